"""The campaign file's `warehouse:` section (仓储): packing lines, shipping rules, materials and stock rules.

The calculations are `dachu.domain.prepare.logistics` (capacity, backlog, materials) and
`dachu.domain.prepare.stock_plan` (the stock plan).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from dachu.domain.money import ZERO
from dachu.domain.types import Count, Factor, Model, Money, PositiveCount, Rate

Days = Annotated[Decimal, Field(ge=0, le=365, allow_inf_nan=False)]
"""A number of days, fractions allowed (a supplier that delivers in half a day: 0.5)."""


class StockItem(Model):
    """Per-product supply facts, keyed by sku in `warehouse.stock.items`.

    `lead_time_days`: days from ordering a replenishment to its arrival in the warehouse.
    `safety_stock`: units kept back against surprises; overrides `safety_days` for this product.
    """

    lead_time_days: Days | None = None
    supplier: str | None = None
    safety_stock: Count | None = None


class StockSettings(Model):
    """The stock rules (`warehouse.stock` in the campaign file), seed defaults.

    `listed_ratio`: share of the real stock listed online (seed: 90–95%).
    `hero_share_min`/`hero_share_max`: the band for hero items' share of all stock (seed: 50–60%).
    `safety_days`: safety stock as days of event-day demand, for products without `safety_stock`.
    `channels`: each sales channel's share of the listed stock (渠道库存分配: `{天猫: 0.6, 京东: 0.3, 自营: 0.1}`);
    the war room keeps every channel's listed quantity within its part of what is available (none: no
    listings are managed). `listing_sender`: where the "set listed quantity" actions go — `file`
    (out/listings.csv, for a manual upload) or `webhook` (the campaign's signed webhook: a channel adapter).
    """

    listed_ratio: Annotated[Rate, Field(gt=0)] = Decimal("0.95")
    channels: dict[str, Rate] = Field(default_factory=dict)
    listing_sender: Literal["file", "webhook"] = "file"
    hero_share_min: Rate = Decimal("0.5")
    hero_share_max: Rate = Decimal("0.6")
    safety_days: Money = ZERO
    items: dict[str, StockItem] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _band(self) -> StockSettings:
        if self.hero_share_min > self.hero_share_max:
            raise ValueError("hero_share_min is above hero_share_max")
        return self


class Material(Model):
    """A packing material (物料) counted per parcel.

    `per_parcel`: how much one parcel uses, in the material's own unit (pieces, metres of tape, prints).
    `pack_size`: how many of that unit one bought pack holds (a roll of 500 labels, 100 m of tape).
    `spare`: margin on top (0.1 = 10% more for damage, re-packing and reprints).
    """

    name: str
    per_parcel: Money
    pack_size: PositiveCount = 1
    spare: Rate = Decimal("0.1")


DEFAULT_MATERIALS: tuple[Material, ...] = (
    # most parcels go in a box; soft goods (clothing, textiles) in a bag: 60/40 split as a default
    Material(name="box", per_parcel=Decimal("0.6")),
    Material(name="bag", per_parcel=Decimal("0.4")),
    # one waybill label (快递面单) per parcel, thermal rolls of 500
    Material(name="label", per_parcel=Decimal(1), pack_size=500),
    # one packing slip (发货单) per parcel, reams of 500 sheets
    Material(name="slip", per_parcel=Decimal(1), pack_size=500),
    # about 1.2 m of tape per parcel, rolls of 100 m
    Material(name="tape", per_parcel=Decimal("1.2"), pack_size=100),
    # printer consumables (色带/墨盒): one ribbon or cartridge per ~2,000 prints; label + slip = 2 a parcel
    Material(name="ribbon", per_parcel=Decimal(2), pack_size=2000),
)
"""Default materials and ratios (assumptions to override in `warehouse.materials`)."""


class Warehouse(Model):
    """The `warehouse:` section of a campaign file (仓储): packing lines, shipping rules, materials, stock.

    `lines` and `orders_per_line_per_day` go together; without them only parcels, materials and the
    stock plan are computed. `max_lines`: how many lines the floor space holds (None: no limit given).
    `packers_per_line`: packers (打包员) staffing one line; a temporary packer adds
    orders_per_line_per_day / packers_per_line orders a day.
    """

    lines: PositiveCount | None = None
    orders_per_line_per_day: PositiveCount | None = None
    packers_per_line: PositiveCount = 20
    max_lines: PositiveCount | None = None
    parcels_per_order: Factor = Decimal(1)
    priority_city_share: Rate = Decimal("0.3")
    priority_within_days: PositiveCount = 2
    ship_within_days: PositiveCount = 7
    ship_from_day: Annotated[int, Field(ge=0, le=7)] = 0
    follow_up_shares: list[Rate] = Field(default_factory=list)
    materials: list[Material] = Field(default_factory=lambda: list(DEFAULT_MATERIALS))
    stock: StockSettings = StockSettings()

    @model_validator(mode="after")
    def _lines_together(self) -> Warehouse:
        if (self.lines is None) != (self.orders_per_line_per_day is None):
            raise ValueError("give both lines and orders_per_line_per_day, or neither")
        if self.priority_within_days > self.ship_within_days:
            raise ValueError("priority_within_days is longer than ship_within_days")
        return self

    @property
    def daily_capacity(self) -> int | None:
        """Orders packed a day (lines × orders per line per day), None when the lines are not given."""
        if self.lines is None or self.orders_per_line_per_day is None:
            return None
        return self.lines * self.orders_per_line_per_day
