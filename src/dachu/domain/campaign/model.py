"""The campaign file's models (活动方案): what the user plans, validated key by key.

Parsing the YAML text (with line numbers) lives in `dachu.domain.campaign.file`; cross-field rules
(shares that sum to 1, coupon arithmetic) in `dachu.domain.campaign.checks`. Both report `Problem`s that
name the key path and the line.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from dachu.domain.campaign.channels import Channel
from dachu.domain.campaign.live import LiveSettings
from dachu.domain.campaign.measured import Measured
from dachu.domain.campaign.notify import NotifySettings
from dachu.domain.campaign.offers import Offer
from dachu.domain.campaign.remind import RemindSettings
from dachu.domain.campaign.senders import SendersSettings
from dachu.domain.campaign.service import Service
from dachu.domain.campaign.warehouse import Warehouse
from dachu.domain.money import ZERO
from dachu.domain.types import Count, Factor, Model, Money, PositiveCount, PositiveMoney, Rate

Metric = Literal["profit", "gmv", "orders"]
Role = Literal["traffic", "hero", "profit", "clearance"]
"""A product's task (产品角色): 引流款 traffic driver (may lose money), 主推/爆款 hero, 利润款 profit,
清仓 clearance."""


class CampaignInfo(Model):
    """Which sale this is: its name, the event day, the currency and the platform."""

    name: str
    event_day: dt.date
    currency: Literal["CNY", "USD", "EUR", "HKD"] = "CNY"
    platform: Literal["tmall", "taobao", "jd", "douyin", "pinduoduo", "shopify"] = "tmall"


class Goal(Model):
    """The target range (目标): spend is budgeted on the floor (保底), capacity on the stretch (冲刺).

    `resource_multiplier`: goods, parcels and staff are prepared for the stretch × this factor (the seed
    doubles everything because the day runs at 50% off).
    """

    metric: Metric
    floor: PositiveMoney
    stretch: PositiveMoney
    resource_multiplier: Factor = Decimal(1)


class Store(Model):
    """The store on an ordinary day, and the conversion expected on the event day.

    `baseline_daily_uv`: visitors a normal day brings without extra spend (现有流量).
    `cost_per_visitor`: what one more visitor costs when no channel is listed (the seed's ¥1).
    `baseline_aov`: order value on an ordinary day; defaults to the plan's event-day order value.
    """

    baseline_daily_uv: Count
    baseline_conversion: Rate
    event_conversion: Rate
    baseline_aov: PositiveMoney | None = None
    cost_per_visitor: PositiveMoney | None = None


class Product(Model):
    """A product in the sale's portfolio (产品组合).

    Either `goal_share` (its share of the goal, the shares summing to 1) or `planned_orders` (a fixed
    number, typical of a traffic driver that may lose money). Prices are per order of one unit.
    `platform_fee_rate`: the platform's cut of the promo price (e.g. Tmall's 技术服务费), 0 by default.
    `components`: a bundle (组合装) is sold as these units of other products' SKUs (`{SKU: units}`); its stock
    is theirs (the ledger holds components only: `dachu.domain.stock.lines.resolve`). Every component must
    be a product of the campaign that is not itself a bundle (checked in `stock_checks`).
    """

    sku: str
    name: str
    role: Role
    list_price: PositiveMoney
    promo_price: PositiveMoney
    unit_cost: Money
    shipping_cost: Money = ZERO
    platform_fee_rate: Rate = ZERO
    goal_share: Rate | None = None
    planned_orders: Count | None = None
    stock: Count | None = None
    components: dict[str, PositiveCount] | None = None

    @property
    def unit_profit(self) -> Decimal:
        """Profit of one order (单件利润): promo price less the platform's cut, unit cost and shipping.

        Excludes advertising spend (counted per scenario) and promotion costs (counted per promotion).
        """
        return self.promo_price * (1 - self.platform_fee_rate) - self.unit_cost - self.shipping_cost


class Promotion(Model):
    """An off-site promotion's unit economics (推广核算, docs/domain.md §4).

    net received = list price − coupon − commission × promo price − platform fee − service fee − gift cost.
    `platform_fee_rate`: the platform's cut of the promo price; None takes the rate of the product `sku`
    names (0 without one).
    """

    name: str
    sku: str | None = None
    platform_fee_rate: Rate | None = None
    list_price: PositiveMoney
    coupon: Money = ZERO
    promo_price: PositiveMoney
    commission: Rate = ZERO
    service_fee: Money = ZERO
    gift_cost: Money = ZERO
    shipping_cost: Money = ZERO
    unit_cost: Money
    planned_orders: Count | None = None
    conversion: Rate | None = None


class BasketItem(Model):
    """A line of an example basket: a product and how many."""

    sku: str
    quantity: PositiveCount = 1


class Basket(Model):
    """An example order to show how the offers stack (叠加优惠) and who pays for each part."""

    name: str
    items: Annotated[list[BasketItem], Field(min_length=1)]


class ProfileSegment(Model):
    """A run of days, by offset from the event day, with factors on an ordinary day's figures.

    `uv_factor` × baseline visitors, `conversion_factor` × baseline conversion, `aov_factor` × baseline
    order value. The event day itself always comes from the plan.
    """

    from_day: int
    to_day: int
    uv_factor: Factor
    conversion_factor: Factor
    aov_factor: Factor = Decimal(1)


class Phases(Model):
    """The four phases, in days from the event day (docs/domain.md §3: 9.15–10.31, 11.1–11.10, 11.11, 11.12–11.20).

    `plan_from`: the first day of the daily plan table (营销计划表), about 10.10.
    """

    preparation_from: int = -57
    warm_up_from: int = -10
    follow_up_to: int = 9
    plan_from: int = -32


class Campaign(Model):
    """A whole campaign file."""

    campaign: CampaignInfo
    goal: Goal
    store: Store
    products: Annotated[list[Product], Field(min_length=1)]
    channels: list[Channel] = []
    promotions: list[Promotion] = []
    offers: list[Offer] = []
    baskets: list[Basket] = []
    phases: Phases = Phases()
    daily_profile: list[ProfileSegment] | None = None
    warehouse: Warehouse | None = None  # packing lines, shipping rules, stock rules (campaign.warehouse)
    service: Service | None = None  # customer service and rota (campaign.service)
    live: LiveSettings = LiveSettings()  # war-room alert thresholds (campaign.live); the defaults without one
    remind: RemindSettings = RemindSettings()  # payment reminders (campaign.remind); the defaults without one
    notify: NotifySettings = NotifySettings()  # customer and logistics notices (campaign.notify); defaults without
    senders: SendersSettings = SendersSettings()  # how messages leave (campaign.senders); the file sender without one
    measured: Measured | None = None  # last review's measurements (campaign.measured), from dachu review

    def product(self, sku: str) -> Product | None:
        """The product with `sku`, or None."""
        return next((p for p in self.products if p.sku == sku), None)

