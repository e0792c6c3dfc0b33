"""Bundles resolved into their components before the ledger (组合装): `dachu.domain.stock.lines`."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import pytest

from dachu.domain.campaign.model import Product
from dachu.domain.campaign.stock_checks import check_bundles
from dachu.domain.stock.lines import UnknownSku, resolve, unknown_lines
from dachu.domain.stock.model import Line, PlainLedger

NOW = dt.datetime(2026, 11, 11, 0, 5)


def product(sku: str, stock: int | None = None, components: dict[str, int] | None = None) -> Product:
    return Product(sku=sku, name=sku, role="hero", list_price=Decimal(100), promo_price=Decimal(80),
                   unit_cost=Decimal(30), goal_share=Decimal(1), stock=stock, components=components)


PRODUCTS = [product("CUP", 10), product("LID", 20), product("PAIR", components={"CUP": 2}),
            product("SET", components={"CUP": 1, "LID": 3})]


def test_a_bundle_becomes_its_components_and_lines_of_one_sku_add_up() -> None:
    lines = [Line("SET", 2), Line("CUP", 1), Line("PAIR", 1)]
    assert resolve(lines, PRODUCTS) == (Line("CUP", 5), Line("LID", 6))


def test_an_unknown_sku_is_named_never_guessed() -> None:
    with pytest.raises(UnknownSku) as err:
        resolve([Line("CUP", 1), Line("MUG", 2)], PRODUCTS)
    assert (err.value.sku, err.value.index) == ("MUG", 1)
    assert unknown_lines([Line("MUG", 1), Line("CUP", 1), Line("X", 1)], PRODUCTS) == [0, 2]


def test_two_bundles_sharing_a_component_never_oversell_it() -> None:
    ledger = PlainLedger()
    ledger.count("CUP", 10, NOW)
    ledger.count("LID", 20, NOW)
    rng = random.Random(14)
    taken = 0
    for n in range(200):
        sku = rng.choice(["PAIR", "SET", "CUP"])
        outcome = ledger.reserve(f"o{n}", resolve([Line(sku, rng.randint(1, 2))], PRODUCTS),
                                 NOW + dt.timedelta(hours=1), NOW)
        if outcome.ok:
            taken += sum(x.quantity for x in outcome.lines if x.sku == "CUP")
            ledger.commit(f"o{n}", (), NOW)
        cup = ledger.balance("CUP", NOW)
        assert cup.available >= 0 and cup.allocated + cup.reserved <= 10
    assert taken == ledger.balance("CUP", NOW).allocated <= 10


@pytest.mark.parametrize(("products", "key"), [
    ([product("A"), product("B", components={"Z": 1})], "stock.bundle_unknown_sku"),
    ([product("A"), product("B", components={"A": 1}), product("C", components={"B": 2})], "stock.bundle_of_bundle"),
    ([product("B", components={"B": 1})], "stock.bundle_of_bundle"),
], ids=["unknown component", "bundle of bundles", "itself"])
def test_bundles_are_checked(products: list[Any], key: str) -> None:
    from dachu.domain.campaign.model import Campaign

    campaign = Campaign.model_construct(products=products)
    assert [p.key for p in check_bundles(campaign)] == [key]


def test_a_component_needs_at_least_one_unit() -> None:
    with pytest.raises(ValueError, match="greater than 0"):
        product("B", components={"A": 0})
