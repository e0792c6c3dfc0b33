"""The "set listed quantity" actions (`listing_actions`), worked by hand: the first sync, then only lower."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dachu.domain.campaign.warehouse import StockSettings
from dachu.domain.stock.listings import listing_actions

NOW = dt.datetime(2026, 11, 11, 10)
SETTINGS = StockSettings(listed_ratio=Decimal("0.95"), channels={"天猫": Decimal("0.6"), "京东": Decimal("0.4")})


def quantities(actions: list) -> dict[tuple[str, str], str]:  # type: ignore[type-arg]
    return {(a.recipient, dict(a.variables)["sku"]): dict(a.variables)["quantity"] for a in actions}


def test_the_first_sync_gives_every_channel_its_part() -> None:
    got = listing_actions(SETTINGS, {"A03": 4000}, {}, {}, NOW)
    # 4,000 × 0.95 = 3,800: 天猫 0.6 → 2,280, 京东 0.4 → 1,520
    assert quantities(got) == {("天猫", "A03"): "2280", ("京东", "A03"): "1520"}
    assert [a.key for a in got] == ["listing:京东:A03:1", "listing:天猫:A03:1"]
    assert all(a.kind == "listing" and a.channel == "listing_file" for a in got)


def test_a_channel_listing_more_than_its_part_is_set_lower_and_only_it() -> None:
    listed = {("天猫", "A03"): 2280, ("京东", "A03"): 700}
    got = listing_actions(SETTINGS, {"A03": 2000}, listed, {("天猫", "A03"): 1, ("京东", "A03"): 1}, NOW)
    # 2,000 × 0.95 = 1,900: 天猫 1,140 (listing 2,280: lower), 京东 760 (listing 700: left alone)
    assert quantities(got) == {("天猫", "A03"): "1140"}
    assert got[0].key == "listing:天猫:A03:2"
    assert listing_actions(SETTINGS, {"A03": 2000}, {("天猫", "A03"): 1140, ("京东", "A03"): 700}, {}, NOW) == []


def test_no_channels_no_listings_and_the_webhook_when_chosen() -> None:
    assert listing_actions(StockSettings(), {"A03": 10}, {}, {}, NOW) == []
    hook = SETTINGS.model_copy(update={"listing_sender": "webhook"})
    assert {a.channel for a in listing_actions(hook, {"A03": 10}, {}, {}, NOW)} == {"webhook"}
