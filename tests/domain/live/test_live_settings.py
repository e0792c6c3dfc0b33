"""The campaign file's `live:` section sets the war room's alert thresholds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dachu.app import example_text
from dachu.domain.campaign.file import parse_campaign
from dachu.domain.campaign.live import DEFAULT_SETTINGS, LiveSettings
from dachu.domain.live.alerts import evaluate
from dachu.domain.live.events import OrderEvent
from dachu.domain.live.state import LivePlan, LiveProduct, LiveState
from dachu.errors import CampaignFileError

DAY = dt.date(2026, 11, 11)
LIVE = """
live:
  sellout_minutes: 10
  unpaid_share: 50%
  cs_seconds: 30
  window_minutes: 20
"""


def test_a_live_section_sets_the_rules_and_the_rest_keep_their_defaults() -> None:
    campaign = parse_campaign(example_text("double11", "en") + LIVE, "campaign.yaml")
    settings = campaign.live
    assert (settings.sellout_minutes, settings.unpaid_share, settings.cs_seconds, settings.window_minutes) == (
        10, Decimal("0.5"), Decimal(30), 20)
    assert (settings.behind_tolerance, settings.spend_tolerance, settings.unpaid_grace_minutes) == (
        Decimal("0.05"), Decimal("0.10"), 5)


def test_no_live_section_means_the_documented_defaults() -> None:
    campaign = parse_campaign(example_text("double11", "en"), "campaign.yaml")
    assert campaign.live == DEFAULT_SETTINGS


@pytest.mark.parametrize(
    ("text", "path"),
    [("live:\n  unpaid_share: 150%\n", "live.unpaid_share"), ("live:\n  window_minutes: 0\n", "live.window_minutes"),
     ("live:\n  sellout_after: 3\n", "live.sellout_after")],
    ids=["rate-over-one", "zero-window", "unknown-key"],
)
def test_a_bad_threshold_is_named_by_its_key(text: str, path: str) -> None:
    with pytest.raises(CampaignFileError) as caught:
        parse_campaign(example_text("double11", "en") + "\n" + text, "campaign.yaml")
    assert path in [p.path for p in caught.value.problems]


def test_the_sellout_threshold_decides_the_alert() -> None:
    # stock 100; 50 units ordered at 00:10 → at 00:11 the last 15 minutes sold 50, i.e. 50/15 a minute,
    # so the 50 left last 50 / (50/15) = 15 minutes: under the default 30, over a threshold of 10.
    plan = LivePlan(DAY, Decimal(1000), Decimal(2000), (LiveProduct("A", "围巾", 100),), ())
    state = LiveState(plan.start)
    state.apply([OrderEvent(id="o", type="order", at=dt.datetime(2026, 11, 11, 0, 10), order_id="O",
                            amount=Decimal(10), lines=[{"sku": "A", "quantity": 50}])])  # type: ignore[list-item]
    kinds = {a.kind for a in evaluate(state, plan, 11, DEFAULT_SETTINGS)}
    assert "sellout" in kinds
    assert "sellout" not in {a.kind for a in evaluate(state, plan, 11, LiveSettings(sellout_minutes=10))}
