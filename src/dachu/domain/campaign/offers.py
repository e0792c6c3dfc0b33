"""The campaign file's `offers:` (优惠): 满减 thresholds, shop coupons and platform red packets.

The models and each offer's own discount; how offers stack on a basket is `dachu.domain.plan.stacking`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from dachu.domain.money import ZERO, fen, floor_int
from dachu.domain.types import Model, Money, PositiveMoney, Rate

BorneBy = Literal["merchant", "platform", "shared"]


class _OfferBase(Model):
    name: str
    borne_by: BorneBy = "merchant"
    platform_share: Rate | None = None
    threshold_on: Literal["promo_total", "after_previous"] = "promo_total"

    def platform_part(self, discount: Decimal) -> Decimal:
        """The part of `discount` the platform pays."""
        if self.borne_by == "platform":
            return discount
        if self.borne_by == "shared":
            return fen(discount * (self.platform_share or ZERO))
        return ZERO

    def discount_on(self, base: Decimal, remaining: Decimal) -> Decimal:
        """The discount on an order whose threshold base is `base` and payable amount `remaining`."""
        raise NotImplementedError


class ThresholdOffer(_OfferBase):
    """满减: every full `every` takes `minus` (每满300减50), or once (`repeat: false`), at most `cap`."""

    kind: Literal["threshold"]
    every: PositiveMoney
    minus: PositiveMoney
    repeat: bool = True
    cap: Money | None = None

    def discount_on(self, base: Decimal, remaining: Decimal) -> Decimal:
        """`minus` per full `every` of the base (once if not repeating), capped, never above what is due."""
        times = floor_int(base / self.every)
        if not self.repeat:
            times = min(times, 1)
        amount = self.minus * times
        if self.cap is not None:
            amount = min(amount, self.cap)
        return min(amount, remaining)


class CouponOffer(_OfferBase):
    """店铺优惠券: `amount` off when the base reaches `threshold` (0 = no threshold); one per order."""

    kind: Literal["coupon"]
    threshold: Money = ZERO
    amount: PositiveMoney

    def discount_on(self, base: Decimal, remaining: Decimal) -> Decimal:
        """The coupon's face value when the threshold is met, never above what is due."""
        return min(self.amount, remaining) if base >= self.threshold else ZERO


class RedPacketOffer(CouponOffer):
    """平台红包: like a coupon, paid by the platform unless said otherwise."""

    kind: Literal["red_packet"]  # type: ignore[assignment]
    borne_by: BorneBy = "platform"


Offer = Annotated[ThresholdOffer | CouponOffer | RedPacketOffer, Field(discriminator="kind")]
"""Any offer, chosen by its `kind` key."""

