"""War-room alerts (预警): pure rules turning (state, plan, now) into a list of alerts.

Each rule reads the running figures of `LiveState` at `now` (minutes since the event day's midnight)
and returns `Alert`s; `dachu.ops.alerts` sends new ones to a webhook and the page shows them. The
thresholds are the campaign file's `live:` section (`LiveSettings`, its defaults when there is none):

- behind_floor: paid GMV below the floor pace (floor GMV × the share of the day's orders due by now,
  less `behind_tolerance`), once `behind_after_minutes` of the day have passed.
- sellout: a product whose stock left lasts less than `sellout_minutes` at the last `window_minutes`'
  selling rate (or is sold out).
- unpaid_surge: of the orders placed between `window_minutes`+`unpaid_grace_minutes` and
  `unpaid_grace_minutes` ago, more than `unpaid_share` still unpaid (docs/domain.md §7: about 20% is normal;
  payment reminders act on it), once there are `unpaid_min_orders` of them.
- cs_slow: mean first-response time over the last `window_minutes` above `cs_seconds` (45 s; good
  practice is 30–40 s, docs/domain.md §8), over at least `cs_min_sessions` sessions.
- spend_ahead: a channel's spend above its floor budget × the share of the day's visitors due by now,
  plus `spend_tolerance`.

With the stock ledger (`available`: each product's units available in the ledger, a bundle's as the
bundles its components make), stock left is the ledger's, and `stock_alerts` adds:

- oversell: a product with platform orders the ledger refused (the ledger's `refused` rows: taken by the
  platform beyond the available stock);
- sold_out: a product with 0 available; low_stock: available above 0 but below `low_stock_share` of the
  campaign's stock for it (rounded up);
- unknown_sku: order lines naming a SKU that is no product of the campaign (set aside, not in the ledger);
- listing_out_of_step: a channel's "set listed quantity" action failed, or pending over
  `listing_late_minutes`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from dachu.domain.campaign.live import DEFAULT_SETTINGS, LiveSettings
from dachu.domain.live.state import LivePlan, LiveState, pace


@dataclass(frozen=True)
class Alert:
    """One alert: `key` is stable while the condition lasts (the sender sends each key once)."""

    key: str
    kind: str  # behind_floor | sellout | unpaid_surge | cs_slow | spend_ahead | sender_failing
    params: tuple[tuple[str, str], ...]

    @property
    def message_key(self) -> str:
        """The catalogue key of the alert's message."""
        return f"warroom.alert.{self.kind}"


def _yuan(fen: int | Decimal) -> str:
    return f"{Decimal(fen) / 100:,.2f}"


def minutes_to_sellout(state: LiveState, sku: str, stock: int, now: int, window: int,
                       left: int | None = None) -> Decimal | None:
    """Minutes until the stock runs out at the last `window` minutes' rate; 0 when sold out; None if no sales.

    Stock left is `left` (the ledger's available) when given, else `stock` less the units ordered.
    """
    if left is None:
        left = stock - state.units.get(sku, 0)
    if left <= 0:
        return Decimal(0)
    series = state.units_by_minute.get(sku)
    sold = 0 if series is None else int(state.window(series, window, now))
    if sold == 0:
        return None
    return Decimal(left) * window / sold


def evaluate(state: LiveState, plan: LivePlan, now: int, settings: LiveSettings = DEFAULT_SETTINGS,
             available: Mapping[str, int] | None = None) -> list[Alert]:
    """Every alert that holds at minute `now` (0–1440), by the thresholds of `settings` (the `live:` section).

    `available`: the ledger's units available per product (stock left is then the ledger's).
    """
    alerts: list[Alert] = []
    expected = plan.floor_gmv * pace(plan.order_shares, now) * 100 * (1 - settings.behind_tolerance)
    if now >= settings.behind_after_minutes and state.paid_fen < expected:
        alerts.append(
            Alert("behind_floor", "behind_floor", (("actual", _yuan(state.paid_fen)), ("expected", _yuan(expected))))
        )
    for product in plan.products:
        ledger_left = None if available is None else available.get(product.sku)
        if product.stock is None and ledger_left is None:
            continue
        if ledger_left is not None and ledger_left <= 0:
            continue  # the ledger's sold_out says it (`stock_alerts`)
        stock = product.stock or 0
        left_minutes = minutes_to_sellout(state, product.sku, stock, now, settings.window_minutes, ledger_left)
        if left_minutes is not None and left_minutes <= settings.sellout_minutes:
            left = max(0, stock - state.units.get(product.sku, 0) if ledger_left is None else ledger_left)
            alerts.append(
                Alert(
                    f"sellout:{product.sku}",
                    "sellout",
                    (("sku", product.sku), ("name", product.name), ("left", str(left)),
                     ("minutes", str(int(left_minutes)))),
                )
            )
    end = now - settings.unpaid_grace_minutes
    placed = int(state.window(state.placed_by_minute, settings.window_minutes, end))
    paid = int(state.window(state.paid_of_placed, settings.window_minutes, end))
    if placed >= settings.unpaid_min_orders and Decimal(placed - paid) > settings.unpaid_share * placed:
        share = Decimal(placed - paid) / placed
        alerts.append(Alert("unpaid_surge", "unpaid_surge", (("share", f"{share:.0%}"), ("orders", str(placed)))))
    sessions = int(state.window(state.cs_count, settings.window_minutes, now))
    if sessions >= settings.cs_min_sessions:
        mean = Decimal(str(state.window(state.cs_wait, settings.window_minutes, now))) / sessions
        if mean > settings.cs_seconds:
            params = (("seconds", f"{mean:.0f}"), ("limit", str(settings.cs_seconds)))
            alerts.append(Alert("cs_slow", "cs_slow", params))
    share_due = pace(plan.visitor_shares, now)
    for channel, budget in plan.budgets:
        spent = state.spend_fen.get(channel, 0)
        allowed = budget * share_due * 100 * (1 + settings.spend_tolerance)
        if spent > 0 and spent > allowed:
            alerts.append(
                Alert(
                    f"spend_ahead:{channel}",
                    "spend_ahead",
                    (("channel", channel), ("spent", _yuan(spent)), ("planned", _yuan(budget * share_due * 100))),
                )
            )
    return alerts


def sender_failing(failures: Sequence[tuple[str, str, int]]) -> list[Alert]:
    """An alert per channel and reason with failed messages in the outbox: (channel, reason, count) each.

    The key names the channel and the reason (not the count), so the alert goes out once while it lasts.
    `reason` is as the outbox holds it (a catalogue key or the provider's code); its wording is the caller's.
    """
    return [
        Alert(f"sender_failing:{channel}:{reason}", "sender_failing",
              (("channel", channel), ("reason", reason), ("count", str(count))))
        for channel, reason, count in failures
        if count > 0
    ]


def listing_out_of_step(rows: Sequence[tuple[str, str, str, str]]) -> list[Alert]:
    """An alert per channel listing not in step: (channel, SKU, quantity it should list, reason) each.

    `reason` is `stock.listing.failed`, or `stock.listing.pending <minutes>` for one waiting too long.
    """
    return [
        Alert(f"listing_out_of_step:{channel}:{sku}:{quantity}", "listing_out_of_step",
              (("channel", channel), ("sku", sku), ("quantity", quantity), ("reason", reason)))
        for channel, sku, quantity, reason in rows
    ]


def low_stock_threshold(stock: int, share: Decimal) -> int:
    """Units below which a product's stock is low: `share` of the campaign's `stock`, rounded up (≥ 1)."""
    return max(1, int((Decimal(stock) * share).to_integral_value(rounding=ROUND_CEILING)))


def stock_alerts(plan: LivePlan, available: Mapping[str, int], oversold: Mapping[str, int],
                 unknown: Mapping[str, int], settings: LiveSettings = DEFAULT_SETTINGS) -> list[Alert]:
    """The ledger's alerts (see the module doc).

    `available`: units available per product; `oversold`: orders refused per product (its component SKU);
    `unknown`: units ordered per SKU that is no product of the campaign.
    """
    alerts: list[Alert] = []
    for product in plan.products:
        name = (("sku", product.sku), ("name", product.name))
        orders = oversold.get(product.sku, 0)
        if orders:
            alerts.append(Alert(f"oversell:{product.sku}", "oversell", (*name, ("orders", str(orders)))))
        left = available.get(product.sku)
        if left is None:
            continue
        if left <= 0:
            alerts.append(Alert(f"sold_out:{product.sku}", "sold_out", name))
        elif product.stock:
            threshold = low_stock_threshold(product.stock, settings.low_stock_share)
            if left < threshold:
                alerts.append(Alert(f"low_stock:{product.sku}", "low_stock",
                                    (*name, ("available", str(left)), ("threshold", str(threshold)))))
    if unknown:
        skus = sorted(unknown)
        alerts.append(Alert("unknown_sku:" + ",".join(skus), "unknown_sku",
                            (("units", str(sum(unknown.values()))), ("skus", ", ".join(skus)))))
    return alerts
