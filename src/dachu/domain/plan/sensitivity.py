"""Sensitivity (敏感性): the budget and net profit when conversion and cost per click move.

Orders are held at the scenario's targets; traffic is re-derived at the moved conversion and bought at
moved channel prices (every channel's price × the factor; committed budgets stay, their traffic moves).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dachu.domain.campaign.model import Campaign
from dachu.domain.plan.allocation import plan_channels
from dachu.domain.plan.budget import Scenario, effective_channels, pricing_context, traffic_for_orders

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
    for dc in steps:
        conversion = min(scenario.conversion * (1 + dc), Decimal(1))
        traffic = sum(traffic_for_orders(p.orders, conversion) for p in scenario.products)
        incremental = max(0, traffic - scenario.baseline)
        for dp in steps:
            ctx = pricing_context(campaign, conversion, price_factor=1 + dp)
            plan = plan_channels(channels, incremental, ctx)
            net = scenario.gross_profit - plan.budget
            cells.append(SensitivityCell(dc, dp, conversion, traffic, plan.budget, net, plan.short))
    return cells
