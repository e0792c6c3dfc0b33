"""A small campaign with a warehouse section, shared by the prepare tests (logistics, stock, calendar)."""

CAMPAIGN_YAML = """\
campaign: {name: 2026 双十一, event_day: 2026-11-11, currency: CNY}
goal: {metric: orders, floor: 1000, stretch: 2000, resource_multiplier: 2}
store: {baseline_daily_uv: 8000, baseline_conversion: 0.03, event_conversion: 0.04}
products:
  - {sku: A01, name: 野菊蜜, role: hero, list_price: 69, promo_price: 29, unit_cost: 21, shipping_cost: 5,
     goal_share: 0.6, stock: 3000}
  - {sku: B02, name: 白筷子, role: traffic, list_price: 39, promo_price: 29, unit_cost: 11.32,
     shipping_cost: 5, goal_share: 0.4}
channels:
  - {name: 直通车, kind: cpc, cpc: 5}
warehouse:
  lines: 10
  orders_per_line_per_day: 5000
  stock:
    items: {A01: {lead_time_days: 3, supplier: 蜂场}}
"""
