"""War-room alerts (预警): pure rules turning (state, plan, now) into a list of alerts.

Each rule reads the running figures of `LiveState` at `now` (minutes since the event day's midnight)
and returns `Alert`s; `dachu.ops.alerts` sends new ones to a webhook and the page shows them. Rules:

- behind_floor: paid GMV below the floor pace (floor GMV × the share of the day's orders due by now,
  less `behind_tolerance`), once `behind_after` minutes of the day have passed.
- sellout: a product whose stock left lasts less than `sellout_minutes` at the last `window` minutes'
  selling rate (or is sold out).
- unpaid_surge: of the orders placed between `window`+`unpaid_grace` and `unpaid_grace` minutes ago,
  more than `unpaid_share` still unpaid (DOMAIN.md §7: about 20% is normal; payment reminders act on it).
- cs_slow: mean first-response time over the last `window` minutes above `cs_seconds` (45 s; good
  practice is 30–40 s, DOMAIN.md §8).
- spend_ahead: a channel's spend above its floor budget × the share of the day's visitors due by now,
  plus `spend_tolerance`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dachu.domain.campaign.live import LiveSettings
from dachu.domain.live.state import LivePlan, LiveState, pace


@dataclass(frozen=True)
class Rules:
    """Thresholds of the alert rules (defaults as documented in the module)."""

    behind_tolerance: Decimal = Decimal("0.05")
    behind_after: int = 30
    sellout_minutes: int = 30
    window: int = 15
    unpaid_share: Decimal = Decimal("0.35")
    unpaid_grace: int = 5
    unpaid_min_orders: int = 20
    cs_seconds: Decimal = Decimal(45)
    cs_min_sessions: int = 5
    spend_tolerance: Decimal = Decimal("0.10")


DEFAULT_RULES = Rules()


def rules_of(settings: LiveSettings | None) -> Rules:
    """The rules of a campaign file's `live:` section (the defaults when there is none)."""
    if settings is None:
        return DEFAULT_RULES
    return Rules(
        behind_tolerance=settings.behind_tolerance,
        behind_after=settings.behind_after_minutes,
        sellout_minutes=settings.sellout_minutes,
        window=settings.window_minutes,
        unpaid_share=settings.unpaid_share,
        unpaid_grace=settings.unpaid_grace_minutes,
        unpaid_min_orders=settings.unpaid_min_orders,
        cs_seconds=settings.cs_seconds,
        cs_min_sessions=settings.cs_min_sessions,
        spend_tolerance=settings.spend_tolerance,
    )


@dataclass(frozen=True)
class Alert:
    """One alert: `key` is stable while the condition lasts (the sender sends each key once)."""

    key: str
    kind: str  # behind_floor | sellout | unpaid_surge | cs_slow | spend_ahead
    params: tuple[tuple[str, str], ...]

    @property
    def message_key(self) -> str:
        """The catalogue key of the alert's message."""
        return f"warroom.alert.{self.kind}"


def _yuan(fen: int | Decimal) -> str:
    return f"{Decimal(fen) / 100:,.2f}"


def minutes_to_sellout(state: LiveState, sku: str, stock: int, now: int, window: int) -> Decimal | None:
    """Minutes until `stock` runs out at the last `window` minutes' rate; 0 when sold out; None if no sales."""
    left = stock - state.units.get(sku, 0)
    if left <= 0:
        return Decimal(0)
    series = state.units_by_minute.get(sku)
    sold = 0 if series is None else int(state.window(series, window, now))
    if sold == 0:
        return None
    return Decimal(left) * window / sold


def evaluate(state: LiveState, plan: LivePlan, now: int, rules: Rules = DEFAULT_RULES) -> list[Alert]:
    """Every alert that holds at minute `now` (0–1440)."""
    alerts: list[Alert] = []
    expected = plan.floor_gmv * pace(plan.order_shares, now) * 100 * (1 - rules.behind_tolerance)
    if now >= rules.behind_after and state.paid_fen < expected:
        alerts.append(
            Alert("behind_floor", "behind_floor", (("actual", _yuan(state.paid_fen)), ("expected", _yuan(expected))))
        )
    for product in plan.products:
        if product.stock is None:
            continue
        left_minutes = minutes_to_sellout(state, product.sku, product.stock, now, rules.window)
        if left_minutes is not None and left_minutes <= rules.sellout_minutes:
            left = max(0, product.stock - state.units.get(product.sku, 0))
            alerts.append(
                Alert(
                    f"sellout:{product.sku}",
                    "sellout",
                    (("sku", product.sku), ("name", product.name), ("left", str(left)),
                     ("minutes", str(int(left_minutes)))),
                )
            )
    end = now - rules.unpaid_grace
    placed = int(state.window(state.placed_by_minute, rules.window, end))
    paid = int(state.window(state.paid_of_placed, rules.window, end))
    if placed >= rules.unpaid_min_orders and Decimal(placed - paid) > rules.unpaid_share * placed:
        share = Decimal(placed - paid) / placed
        alerts.append(Alert("unpaid_surge", "unpaid_surge", (("share", f"{share:.0%}"), ("orders", str(placed)))))
    sessions = int(state.window(state.cs_count, rules.window, now))
    if sessions >= rules.cs_min_sessions:
        mean = Decimal(str(state.window(state.cs_wait, rules.window, now))) / sessions
        if mean > rules.cs_seconds:
            alerts.append(Alert("cs_slow", "cs_slow", (("seconds", f"{mean:.0f}"), ("limit", str(rules.cs_seconds)))))
    share_due = pace(plan.visitor_shares, now)
    for channel, budget in plan.budgets:
        spent = state.spend_fen.get(channel, 0)
        allowed = budget * share_due * 100 * (1 + rules.spend_tolerance)
        if spent > 0 and spent > allowed:
            alerts.append(
                Alert(
                    f"spend_ahead:{channel}",
                    "spend_ahead",
                    (("channel", channel), ("spent", _yuan(spent)), ("planned", _yuan(budget * share_due * 100))),
                )
            )
    return alerts
