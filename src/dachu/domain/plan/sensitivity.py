"""Sensitivity (敏感性): the budget and net profit when conversion and cost per click move.

Orders are held at the scenario's targets (the goal's orders, `ProductPlan.target_orders`); traffic is
re-derived at the moved conversion and bought at moved channel prices (every channel's price × the factor;
committed budgets stay, their traffic moves), pay-per-sale channels at the scenario's order value. Net
profit counts only the visitors delivered.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from dachu.domain.campaign.model import Campaign
from dachu.domain.money import ZERO, floor_int
from dachu.domain.plan.allocation import plan_channels
from dachu.domain.plan.budget import ProductPlan, Scenario, effective_channels, pricing_context, traffic_for_orders

STEPS: tuple[Decimal, ...] = (Decimal("-0.2"), Decimal("-0.1"), Decimal(0), Decimal("0.1"), Decimal("0.2"))
"""The moves tried on each axis: −20%, −10%, 0, +10%, +20%."""


@dataclass(frozen=True)
class SensitivityCell:
    """One point of the grid: the moves, the budget and the net profit there."""

    conversion_change: Decimal
    cost_change: Decimal
    conversion: Decimal
    traffic: int
    budget: Decimal
    net_profit: Decimal
    short: int


def sensitivity(
    campaign: Campaign, scenario: Scenario, steps: tuple[Decimal, ...] = STEPS
) -> list[SensitivityCell]:
    """The grid of conversion × cost-per-click moves around `scenario` (rows: conversion, then cost)."""
    cells: list[SensitivityCell] = []
    channels = effective_channels(campaign)
    wanted = [(p, p.target_orders if p.target_orders is not None else p.orders) for p in scenario.products]
    for dc in steps:
        conversion = min(scenario.conversion * (1 + dc), Decimal(1))
        traffic = sum(traffic_for_orders(n, conversion) for _, n in wanted)
        incremental = max(0, traffic - scenario.baseline)
        for dp in steps:
            ctx = pricing_context(campaign, conversion, price_factor=1 + dp)
            if scenario.order_value is not None:
                ctx = replace(ctx, order_value=scenario.order_value)
            plan = plan_channels(channels, incremental, ctx)
            gross = _delivered_gross(wanted, conversion, traffic, traffic - plan.short)
            cells.append(SensitivityCell(dc, dp, conversion, traffic, plan.budget, gross - plan.budget, plan.short))
    return cells


def _delivered_gross(wanted: list[tuple[ProductPlan, int]], conversion: Decimal, needed: int, reach: int) -> Decimal:
    """Gross profit of the orders the delivered visitors make (each product its share, as `build_scenario`)."""
    gross = ZERO
    for p, n in wanted:
        made = n
        if reach < needed:
            visitors = floor_int(Decimal(traffic_for_orders(n, conversion)) * reach / needed)
            made = min(n, floor_int(visitors * conversion))
        gross += made * p.unit_profit
    return gross
