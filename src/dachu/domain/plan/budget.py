"""Budget from the goal (活动推广预算, docs/domain.md §1), by the seed's method and net of spend.

Seed method: each product's share of the goal ÷ its unit profit (or price, or 1) → order target
(订单预算目标, whole orders rounded up) → traffic needed = orders ÷ event conversion (rounded up) →
incremental traffic over the store's ordinary day → cost budget along the channels' cost curves.

Net of spend: the seed method forgets that the paid traffic eats the profit. For a profit goal this
solves for the gross profit whose orders, after paying for their own traffic, leave the goal as net
profit. For a GMV or order goal the spend does not reduce the goal, so both methods agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from dachu.domain.campaign.channels import ChannelBase, PricingContext
from dachu.domain.campaign.model import Campaign, Metric, Product
from dachu.domain.money import ZERO, ceil_int, fen, floor_int
from dachu.domain.plan.allocation import ChannelPlan, marginal_pieces, plan_channels

Method = Literal["seed", "net_of_spend"]
NoteValue = Decimal | int | str
"""A note's parameter: money (Decimal), a count (int) or a word; the faces format numbers as in their tables."""


@dataclass(frozen=True)
class ProductPlan:
    """One product's targets in a scenario.

    `orders`: whole orders. `traffic`: visitors those orders need at the event conversion (rounded up).
    `gmv`: orders × promo price. `gross_profit`: orders × unit profit, before advertising spend. When the
    channels cannot bring the traffic, every figure counts only the visitors they deliver (see `Scenario`).
    """

    sku: str
    name: str
    role: str
    orders: int
    traffic: int
    unit_profit: Decimal
    gmv: Decimal
    gross_profit: Decimal
    fixed: bool
    target_orders: int | None = None
    """The orders the goal asks of the product; `orders` is less when the channels cannot bring the traffic
    (then `orders`, `traffic`, `gmv` and `gross_profit` count only the visitors that can be delivered)."""


@dataclass(frozen=True)
class Scenario:
    """A target reached by one method: products, traffic, channels and totals.

    `net_profit` = gross profit − budget (promotions are accounted separately). `reachable` is False when
    the goal cannot be met (traffic short, or visitors cost more than they earn); `note` says why, in one
    line with the best reachable net profit (`note_params` are values: the faces format them as in their
    tables). `conversion`: the event-day conversion (orders ÷ visitors) the scenario was planned at — read
    from the campaign once, by `pricing_context`, and handed to everything built on the scenario.

    Honest totals: `traffic_needed` is what the goal needs, `reach` what the store's own visitors and the
    channels can deliver (less when channels are short); `orders`, `gmv`, `gross_profit` and `net_profit`
    count only delivered visitors. `order_value`: the planned order value (GMV ÷ orders of the goal's
    orders), at which pay-per-sale channels without their own `order_value` are priced.
    """

    name: str
    method: Method
    target: Decimal
    products: tuple[ProductPlan, ...]
    traffic_needed: int
    baseline: int
    incremental: int
    channels: ChannelPlan
    orders: int
    gmv: Decimal
    gross_profit: Decimal
    net_profit: Decimal
    reachable: bool
    conversion: Decimal
    note: str | None = None
    note_params: tuple[tuple[str, NoteValue], ...] = ()
    reach: int | None = None
    order_value: Decimal | None = None

    @property
    def budget(self) -> Decimal:
        """Advertising spend of the scenario (every channel's budget)."""
        return self.channels.budget


def contribution(product: Product, metric: Metric) -> Decimal:
    """What one order of `product` adds to the goal: its unit profit, its promo price, or 1 order."""
    if metric == "profit":
        return product.unit_profit
    if metric == "gmv":
        return product.promo_price
    return Decimal(1)


def share_orders(campaign: Campaign, share_goal: Decimal) -> dict[str, int]:
    """Orders per share product so that each earns its share of `share_goal` (rounded up)."""
    metric = campaign.goal.metric
    out: dict[str, int] = {}
    for p in campaign.products:
        if p.goal_share is None:
            continue
        per_order = contribution(p, metric)
        amount = p.goal_share * share_goal
        out[p.sku] = ceil_int(amount / per_order) if amount > 0 and per_order > 0 else 0
    return out


def fixed_contribution(campaign: Campaign) -> Decimal:
    """What the fixed-order products (planned_orders) add to the goal; may be negative (traffic drivers)."""
    metric = campaign.goal.metric
    return sum(
        (contribution(p, metric) * p.planned_orders for p in campaign.products if p.planned_orders is not None),
        ZERO,
    )


def traffic_for_orders(orders: int, conversion: Decimal) -> int:
    """Visitors needed for `orders` at `conversion` (所需流量 = 订单 / 转化率), rounded up."""
    return ceil_int(orders / conversion) if orders else 0


def effective_channels(campaign: Campaign) -> list[ChannelBase]:
    """The campaign's channels; with none listed, one implicit channel at the store's cost per visitor."""
    from dachu.domain.campaign.channels import CpcChannel

    if campaign.channels:
        return list(campaign.channels)
    if campaign.store.cost_per_visitor is not None:
        return [CpcChannel(name="paid traffic", kind="cpc", cpc=campaign.store.cost_per_visitor)]
    return []


def pricing_context(
    campaign: Campaign, conversion: Decimal | None = None, price_factor: Decimal = Decimal(1)
) -> PricingContext:
    """Conversion and order value channels price with: the event conversion, the mean product price.

    The mean price is only the starting point: a scenario prices its channels at its own planned order
    value (`planned_order_value`), see `build_scenario`.
    """
    prices = [p.promo_price for p in campaign.products]
    value = sum(prices, ZERO) / len(prices)
    return PricingContext(
        conversion=conversion if conversion is not None else campaign.store.event_conversion,
        order_value=value,
        price_factor=price_factor,
    )


def scenario_pricing(campaign: Campaign, scenario: Scenario) -> PricingContext:
    """The pricing a scenario's channels were bought at: its conversion and its planned order value."""
    ctx = pricing_context(campaign, scenario.conversion)
    return replace(ctx, order_value=scenario.order_value) if scenario.order_value is not None else ctx


def planned_order_value(campaign: Campaign, orders: Mapping[str, int]) -> Decimal | None:
    """GMV ÷ orders of `orders` per share product plus the fixed products' planned orders (客单价); None for none."""
    counts = [(p, p.planned_orders if p.planned_orders is not None else orders.get(p.sku, 0))
              for p in campaign.products]
    total = sum(n for _, n in counts)
    return sum((n * p.promo_price for p, n in counts), ZERO) / total if total else None


def build_scenario(
    campaign: Campaign,
    name: str,
    method: Method,
    target: Decimal,
    orders: dict[str, int],
    ctx: PricingContext,
    conversion: Decimal | None = None,
) -> Scenario:
    """A scenario from each product's orders: traffic, channels and totals.

    The channels are priced at the orders' own order value. When they cannot bring the visitors needed,
    each product keeps its share of the visitors delivered (⌊traffic × reach ÷ needed⌋) and the orders
    those make (⌊visitors × conversion⌋): totals never count orders from visitors no channel delivers.
    """
    conv = conversion if conversion is not None else ctx.conversion
    value = planned_order_value(campaign, orders)
    if value is not None:
        ctx = replace(ctx, order_value=value)
    wanted = [(p, p.planned_orders if p.planned_orders is not None else orders.get(p.sku, 0))
              for p in campaign.products]
    needed = sum(traffic_for_orders(n, conv) for _, n in wanted)
    baseline = campaign.store.baseline_daily_uv
    incremental = max(0, needed - baseline)
    channel_plan = plan_channels(effective_channels(campaign), incremental, ctx)
    reach = needed - channel_plan.short
    products: list[ProductPlan] = []
    for p, n in wanted:
        traffic = traffic_for_orders(n, conv)
        made = n
        if channel_plan.short:
            traffic = floor_int(Decimal(traffic) * reach / needed)
            made = min(n, floor_int(traffic * conv))
        products.append(
            ProductPlan(p.sku, p.name, p.role, made, traffic, p.unit_profit, made * p.promo_price,
                        made * p.unit_profit, p.planned_orders is not None, n)
        )
    gross = sum((pp.gross_profit for pp in products), ZERO)
    net = gross - channel_plan.budget
    note: str | None = None
    params: tuple[tuple[str, NoteValue], ...] = ()
    if channel_plan.short:
        note = "plan.traffic_short"
        params = (("short", channel_plan.short), ("reach", reach), ("needed", needed), ("best", fen(net)))
    return Scenario(
        name=name, method=method, target=target, products=tuple(products), traffic_needed=needed,
        baseline=baseline, incremental=incremental, channels=channel_plan,
        orders=sum(pp.orders for pp in products), gmv=sum((pp.gmv for pp in products), ZERO),
        gross_profit=gross, net_profit=net,
        reachable=channel_plan.short == 0, conversion=conv, note=note, note_params=params,
        reach=reach, order_value=ctx.order_value,
    )


def seed_method(campaign: Campaign, name: str, target: Decimal) -> Scenario:
    """docs/domain.md §1 as the seed does it: orders from the goal, traffic from orders, budget from traffic."""
    orders = share_orders(campaign, target - fixed_contribution(campaign))
    return build_scenario(campaign, name, "seed", target, orders, pricing_context(campaign))


def _share_traffic_rate(campaign: Campaign, conv: Decimal) -> Decimal:
    """k: visitors needed per yuan of share-product gross profit at conversion `conv` (before rounding)."""
    return sum(
        (p.goal_share / (p.unit_profit * conv) for p in campaign.products if p.goal_share and p.unit_profit > 0),
        ZERO,
    )


def _continuous_gross(
    campaign: Campaign, target: Decimal, channels: Sequence[ChannelBase], ctx: PricingContext
) -> tuple[Decimal, str | None, Decimal]:
    """The share-product gross profit that nets `target` after spend, ignoring rounding.

    Walks the cost curve piece by piece, cheapest first: within a piece net profit is linear in gross
    profit. Returns (gross, why, best net) where `why` is None when the target is met, "cost" when the
    next visitors cost more than the profit they bring (gross is then where net peaks), "cap" when the
    channels' caps run out first (gross is then where they run out).
    """
    conv = ctx.conversion
    k = _share_traffic_rate(campaign, conv)
    fixed = fixed_contribution(campaign)
    fixed_traffic = sum(
        (Decimal(p.planned_orders) / conv for p in campaign.products if p.planned_orders is not None), ZERO
    )
    committed_traffic, committed_spend, pieces = marginal_pieces(channels, ctx)
    a = fixed_traffic - campaign.store.baseline_daily_uv - committed_traffic  # open visitors D(P) = k·P + a
    need = target - fixed + committed_spend  # gross the share products must bring before open spend
    gross = max(need, ZERO)
    if k * gross + a <= 0:
        return gross, None, target
    free_until = -a / k  # gross reachable before any open visitor is bought
    best = free_until + fixed - committed_spend
    spent_before = ZERO
    start = ZERO
    for visitors, price in pieces:
        slope = 1 - price * k
        if slope <= 0:
            return (start - a) / k, "cost", best
        gross = (need + spent_before + price * (a - start)) / slope
        if visitors is None or k * gross + a <= start + visitors:
            return gross, None, target
        spent_before += price * visitors
        start += visitors
        best = (start - a) / k + fixed - committed_spend - spent_before
    return (start - a) / k, "cap", best


def net_of_spend(campaign: Campaign, name: str, target: Decimal) -> Scenario:
    """The orders at which profit after the spend they need meets `target` (profit goals only)."""
    ctx = pricing_context(campaign)
    if campaign.goal.metric != "profit" or _share_traffic_rate(campaign, ctx.conversion) == 0:
        seed = seed_method(campaign, name, target)
        return _renamed(seed, "net_of_spend", "plan.net_same_for_metric", (("metric", campaign.goal.metric),))
    fixed = fixed_contribution(campaign)

    def evaluate(gross: Decimal) -> Scenario:
        return build_scenario(campaign, name, "net_of_spend", target, share_orders(campaign, gross), ctx)

    # Pay-per-sale visitors cost a share of the order value, which depends on the orders: start from the
    # seed method's mix and settle the order value and the gross profit together (a few rounds suffice).
    channels = effective_channels(campaign)
    value = planned_order_value(campaign, share_orders(campaign, target - fixed))
    for _ in range(8):
        if value is not None:
            ctx = replace(ctx, order_value=value)
        low, why, _best = _continuous_gross(campaign, target, channels, ctx)
        value = planned_order_value(campaign, share_orders(campaign, max(low, ZERO)))
        if value is None or abs(value - ctx.order_value) < Decimal("0.000001"):
            break
    if why is not None:
        # the row is the best reachable point: its own (honest) net profit is the best there is
        key = "plan.net_unreachable_cost" if why == "cost" else "plan.net_unreachable_cap"
        at_best = evaluate(low)
        return _unreachable(at_best, key, (("best", fen(at_best.net_profit)),))
    scenario = evaluate(low)
    if scenario.net_profit >= target or not scenario.reachable:
        return scenario
    # Rounding (whole orders, whole visitors, flat slots bought whole) left it short: search upward.
    step = max(abs(target - fixed), Decimal(100)) / 1000
    high = low + step
    for _ in range(60):
        candidate = evaluate(high)
        if candidate.net_profit >= target or not candidate.reachable:
            break
        low, high, step = high, high + step * 2, step * 2
    else:  # pragma: no cover - the continuous solution guarantees a bracket
        return _unreachable(scenario, "plan.net_unreachable_cost", (("best", fen(scenario.net_profit)),))
    for _ in range(40):
        if high - low <= Decimal("0.01"):
            break
        mid = (low + high) / 2
        if evaluate(mid).net_profit >= target:
            high = mid
        else:
            low = mid
    return evaluate(high)


def _renamed(s: Scenario, method: Method, note: str, params: tuple[tuple[str, NoteValue], ...]) -> Scenario:
    return replace(s, method=method, note=note, note_params=params)


def _unreachable(s: Scenario, note: str, params: tuple[tuple[str, NoteValue], ...]) -> Scenario:
    return replace(s, method="net_of_spend", reachable=False, note=note, note_params=params)
