"""Share traffic out over channels at the least cost (渠道分配): committed budgets first, then an optimiser.

Channels with a `budget` are committed: they spend it and yield its traffic. The traffic still needed
goes to channels without a budget through a mixed-integer program solved by HiGHS (`scipy.optimize.milp`):
each channel's convex cost curve is a run of pieces (cheapest first, cut at its cap), a flat-fee slot is
bought whole or not at all. When the caps cannot cover the need, the plan says how many visitors are short.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from dachu.domain.campaign.channels import ChannelBase, PricingContext
from dachu.domain.money import ZERO


@dataclass(frozen=True)
class ChannelLine:
    """One channel in a plan: what it spends and the visitors it brings.

    `committed`: the budget came from the campaign file (spent whatever the need); otherwise the optimiser
    chose it. `budget` is rounded up to the fen; `traffic` is whole visitors.
    """

    name: str
    kind: str
    budget: Decimal
    traffic: int
    committed: bool


@dataclass(frozen=True)
class ChannelPlan:
    """How the incremental traffic is bought.

    `demand`: incremental visitors to buy. `traffic`: visitors all channels bring (may exceed demand when
    committed budgets bring more). `short`: visitors no channel could bring (caps too low); 0 when covered.
    """

    lines: tuple[ChannelLine, ...]
    demand: int
    traffic: int
    budget: Decimal
    short: int


def _optimise(open_channels: Sequence[ChannelBase], need: int, ctx: PricingContext) -> tuple[list[int], int]:
    """Visitors per open channel meeting `need` at least cost; and the visitors left short."""
    if need <= 0 or not open_channels:
        return [0] * len(open_channels), max(need, 0)
    owners: list[int] = []
    prices: list[float] = []
    upper: list[float] = []
    integral: list[int] = []
    fill: list[float] = []  # visitors a variable brings per unit
    capacity = 0
    for index, channel in enumerate(open_channels):
        for segment in channel.segments(ctx):
            size = need if segment.visitors is None else segment.visitors
            if channel.is_divisible():
                owners.append(index)
                prices.append(float(segment.price))
                upper.append(float(size))
                integral.append(0)
                fill.append(1.0)
            else:
                owners.append(index)
                prices.append(float(segment.price) * size)
                upper.append(1.0)
                integral.append(1)
                fill.append(float(size))
            capacity += size
    reachable = min(need, capacity)
    result = milp(
        c=np.array(prices),
        constraints=LinearConstraint(np.array([fill]), lb=reachable, ub=np.inf),
        integrality=np.array(integral),
        bounds=Bounds(np.zeros(len(prices)), np.array(upper)),
    )
    if result.x is None:  # pragma: no cover - HiGHS always solves a feasible bounded program
        raise RuntimeError(f"HiGHS failed: {result.message}")
    taken = [round(x * f) for x, f in zip(result.x, fill, strict=True)]
    # Rounding may leave a visitor or two uncovered: give them to the cheapest divisible piece with room.
    gap = reachable - sum(taken)
    order = sorted(range(len(taken)), key=lambda i: prices[i] if not integral[i] else float("inf"))
    for i in order:
        if gap <= 0:
            break
        if integral[i]:
            continue
        room = int(upper[i]) - taken[i]
        extra = min(room, gap)
        taken[i] += extra
        gap -= extra
    per_channel = [0] * len(open_channels)
    for owner, visitors in zip(owners, taken, strict=True):
        per_channel[owner] += visitors
    return per_channel, need - reachable


def plan_channels(channels: Sequence[ChannelBase], demand: int, ctx: PricingContext) -> ChannelPlan:
    """Buy `demand` incremental visitors: committed budgets first, the rest at least cost."""
    lines: list[ChannelLine] = []
    committed_traffic = 0
    for channel in channels:
        if channel.budget is not None:
            visitors = channel.traffic_for_budget(channel.budget, ctx)
            committed_traffic += visitors
            lines.append(ChannelLine(channel.name, channel.lookup_name, channel.budget, visitors, True))
    open_channels = [c for c in channels if c.budget is None]
    need = max(0, demand - committed_traffic)
    visitors_per_channel, short = _optimise(open_channels, need, ctx)
    for channel, visitors in zip(open_channels, visitors_per_channel, strict=True):
        lines.append(
            ChannelLine(channel.name, channel.lookup_name, channel.budget_for_traffic(visitors, ctx), visitors, False)
        )
    by_name = {c.name: i for i, c in enumerate(channels)}
    lines.sort(key=lambda line: by_name[line.name])
    return ChannelPlan(
        lines=tuple(lines),
        demand=demand,
        traffic=sum(line.traffic for line in lines),
        budget=sum((line.budget for line in lines), ZERO),
        short=short,
    )


def marginal_pieces(
    channels: Sequence[ChannelBase], ctx: PricingContext
) -> tuple[int, Decimal, list[tuple[int | None, Decimal]]]:
    """The cost curve of buying more visitors: committed traffic and spend, then open pieces by price.

    Flat slots enter as divisible pieces at their average price (the relaxation the net-of-spend solver
    starts from; the optimiser then buys them whole).
    """
    committed_traffic = 0
    committed_spend = ZERO
    pieces: list[tuple[int | None, Decimal]] = []
    for channel in channels:
        if channel.budget is not None:
            committed_traffic += channel.traffic_for_budget(channel.budget, ctx)
            committed_spend += channel.budget
        else:
            pieces += [(s.visitors, s.price) for s in channel.segments(ctx)]
    pieces.sort(key=lambda piece: piece[1])
    return committed_traffic, committed_spend, pieces
