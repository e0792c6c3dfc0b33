"""Profit after everything (扣除一切后的净利润): what the campaign left the merchant, defined once.

    net_profit = gmv_paid − refunds − product_cost − shipping − platform_fees − commissions − ad_spend
                 − offers − flat_fees − message_costs

- `gmv_paid`: what buyers paid (支付金额), after every coupon and offer: the discounts a merchant funds
  (满减, store coupons) are already out of it and are not subtracted again.
- `refunds`: money returned on those orders (退款金额); the goods are taken as not coming back.
- `product_cost`, `shipping`: units sold × the product's unit cost and shipping cost.
- `platform_fees`: the platform's cut (技术服务费), the product's rate × its sales at line prices.
- `commissions`: pay-per-sale channels' bills (淘宝客, live hosts: CPS spend) and the promotions'
  commission and service fee per order (推广核算, docs/domain.md §4).
- `ad_spend`: paid clicks and impressions (直通车, 钻展, off-site CPC).
- `offers`: the merchant's share of offers not already out of the paid amount: promotion gifts (赠品).
- `flat_fees`: slot fees (坑位费, 聚划算 group-buy slots, KOL posts): flat channels' spend.
- `message_costs`: SMS and other messages: marketing SMS channels' spend and the outbox's sent messages.

A line that cannot be known (no cost for a product sold, no ad spend where the campaign has channels) is
None, and so is the net: an unknown is never taken for 0. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dachu.domain.money import ZERO, fen

COST_LINES = (
    "refunds",
    "product_cost",
    "shipping",
    "platform_fees",
    "commissions",
    "ad_spend",
    "offers",
    "flat_fees",
    "message_costs",
)
"""The lines subtracted from paid GMV, in the order the statement lists them (ids of `dachu.domain.metrics`:
`profit_<line>` except refunds, which is `refund_amount`)."""

LINE_METRICS: dict[str, str] = {line: f"profit_{line}" for line in COST_LINES} | {"refunds": "refund_amount"}
"""Each line's metric id in the metrics dictionary."""


@dataclass(frozen=True)
class ProfitStatement:
    """One period's paid GMV and cost lines (yuan, exact to the fen; None = unknown)."""

    gmv_paid: Decimal | None
    costs: tuple[tuple[str, Decimal | None], ...]
    """(line, amount) in `COST_LINES` order."""

    def line(self, name: str) -> Decimal | None:
        """One cost line's amount."""
        return dict(self.costs)[name]

    @property
    def net(self) -> Decimal | None:
        """Paid GMV less every cost line, to the fen; None when any of them is unknown."""
        amounts = [a for _, a in self.costs]
        if self.gmv_paid is None or any(a is None for a in amounts):
            return None
        return fen(self.gmv_paid - sum((a for a in amounts if a is not None), ZERO))


def statement(gmv_paid: Decimal | None, **costs: Decimal | None) -> ProfitStatement:
    """A statement from named lines; every line of `COST_LINES` must be given (None when unknown)."""
    missing = set(COST_LINES) - set(costs)
    if missing or set(costs) - set(COST_LINES):
        raise ValueError(f"profit lines: missing {sorted(missing)}, unknown {sorted(set(costs) - set(COST_LINES))}")
    return ProfitStatement(
        None if gmv_paid is None else fen(gmv_paid),
        tuple((k, None if costs[k] is None else fen(costs[k])) for k in COST_LINES),  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class Against:
    """Net profit against one target: `goal_met` (net ≥ goal) and `gap` (net − goal; negative = short)."""

    goal: Decimal | None
    goal_met: bool | None
    gap: Decimal | None


def against(net: Decimal | None, goal: Decimal | None) -> Against:
    """Set `net` against `goal`; None where either is unknown."""
    if net is None or goal is None:
        return Against(goal, None, None)
    return Against(fen(goal), net >= goal, fen(net - goal))


@dataclass(frozen=True)
class ProfitReview:
    """The review's profit: the event day and the whole campaign, against the floor and the stretch.

    `goal_metric` is the campaign's goal metric: with `profit` the targets are the goal's floor and stretch;
    otherwise they are the plan's planned net profit of the working floor and stretch.
    """

    event_day: ProfitStatement
    campaign: ProfitStatement
    goal_metric: str
    floor: Against
    stretch: Against
