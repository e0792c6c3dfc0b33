"""Shared fixtures: example campaigns and a helper to build campaign text."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dachu import clock
from dachu.app import example_text
from dachu.domain.campaign.file import parse_campaign
from dachu.domain.campaign.model import Campaign

REQUIRE_ALL = os.environ.get("DACHU_REQUIRE_ALL") == "1"


def need(condition: bool, reason: str) -> None:
    """Skip when `condition` is false on a laptop; fail in CI (DACHU_REQUIRE_ALL=1)."""
    if not condition:
        if REQUIRE_ALL:
            pytest.fail(f"required in CI: {reason}")
        pytest.skip(reason)


@pytest.fixture
def frozen_clock() -> Iterator[Callable[[dt.datetime], None]]:
    """Set dachu's one clock (`dachu.clock`) to a local time for the test; the system clock comes back after."""

    def freeze(at: dt.datetime) -> None:
        stamp = at.timestamp()
        clock.set_clock(lambda: stamp)

    try:
        yield freeze
    finally:
        clock.reset_clock()


@pytest.fixture
def double11() -> Campaign:
    return parse_campaign(example_text("double11", "zh"), "double11.zh.yaml")


@pytest.fixture
def seed2013() -> Campaign:
    return parse_campaign(example_text("seed-2013", "zh"), "seed-2013.zh.yaml")


CHECK_CAMPAIGN = """\
campaign: {name: check, event_day: 2026-11-11}
goal: {metric: profit, floor: 100000, stretch: 150000, resource_multiplier: 2}
store: {baseline_daily_uv: 30000, baseline_conversion: 0.03, event_conversion: 0.04, cost_per_visitor: 1}
products:
  - {sku: A, name: A, role: hero, list_price: 200, promo_price: 100, unit_cost: 45, shipping_cost: 5,
     goal_share: 0.6}
  - {sku: B, name: B, role: profit, list_price: 50, promo_price: 30, unit_cost: 8, shipping_cost: 2,
     goal_share: 0.4}
"""
"""DOMAIN/issue check: A earns 50 an order (100 − 45 − 5), B 20 (30 − 8 − 2)."""


@pytest.fixture
def check_campaign() -> Campaign:
    return parse_campaign(CHECK_CAMPAIGN, "check.yaml")


@pytest.fixture
def tmp_out(tmp_path: Path) -> Path:
    return tmp_path
