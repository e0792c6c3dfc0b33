"""Price stacking on one order (优惠叠加): threshold discounts, store coupons, platform red packets.

Offers apply in the order the campaign file lists them. Each checks its threshold against
`threshold_on`: the basket at promo prices (`promo_total`, the usual platform rule) or what is still
payable after the offers before it (`after_previous`). Each discount is borne by the merchant, the
platform, or shared (`platform_share` of it by the platform). The buyer pays the promo total less every
discount; the merchant receives what the buyer pays plus the platform-borne parts. Discounts are
apportioned to lines pro rata (分摊), to the fen, so a refunded line returns what it really cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dachu.domain.campaign.offers import CouponOffer, RedPacketOffer, ThresholdOffer
from dachu.domain.money import ZERO, fen


@dataclass(frozen=True)
class Line:
    """A basket line: sku, quantity, unit promo price."""

    sku: str
    quantity: int
    unit_price: Decimal

    @property
    def amount(self) -> Decimal:
        """Quantity × unit promo price."""
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class AppliedOffer:
    """One offer on one order: the base its threshold was checked on, the discount, who bears it."""

    name: str
    kind: str
    base: Decimal
    discount: Decimal
    merchant_part: Decimal
    platform_part: Decimal


@dataclass(frozen=True)
class StackResult:
    """An order after every offer.

    `promo_total`: the lines at promo prices, before offers. `buyer_pays`: after every offer.
    `merchant_receives`: buyer pays + platform-borne discounts (before commission and fees).
    `line_discounts`: each line's share of all discounts, to the fen, summing exactly to the total.
    """

    lines: tuple[Line, ...]
    promo_total: Decimal
    applied: tuple[AppliedOffer, ...]
    buyer_pays: Decimal
    merchant_bears: Decimal
    platform_bears: Decimal
    merchant_receives: Decimal
    line_discounts: tuple[Decimal, ...]


def apportion(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split `total` over `weights` pro rata to the fen; the fen left by rounding goes to the largest line.

    The parts always sum exactly to `total`.
    """
    whole = sum(weights, ZERO)
    if whole == 0:
        return [ZERO for _ in weights]
    parts = [fen(total * w / whole) for w in weights]
    gap = total - sum(parts, ZERO)
    if gap and parts:
        biggest = max(range(len(weights)), key=lambda i: weights[i])
        parts[biggest] += gap
    return parts


def stack(lines: list[Line], offers: list[ThresholdOffer | CouponOffer | RedPacketOffer]) -> StackResult:
    """Apply `offers` in order to an order of `lines` and say who pays for what."""
    promo_total = sum((line.amount for line in lines), ZERO)
    remaining = promo_total
    applied: list[AppliedOffer] = []
    for offer in offers:
        base = promo_total if offer.threshold_on == "promo_total" else remaining
        discount = fen(offer.discount_on(base, remaining))
        platform = offer.platform_part(discount)
        applied.append(AppliedOffer(offer.name, offer.kind, base, discount, discount - platform, platform))
        remaining -= discount
    platform_bears = sum((a.platform_part for a in applied), ZERO)
    merchant_bears = sum((a.merchant_part for a in applied), ZERO)
    return StackResult(
        lines=tuple(lines),
        promo_total=promo_total,
        applied=tuple(applied),
        buyer_pays=remaining,
        merchant_bears=merchant_bears,
        platform_bears=platform_bears,
        merchant_receives=remaining + platform_bears,
        line_discounts=tuple(apportion(promo_total - remaining, [line.amount for line in lines])),
    )
