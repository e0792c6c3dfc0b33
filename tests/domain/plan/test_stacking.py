"""Offer stacking on one order, and who bears each part — worked by hand."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from dachu.domain.campaign.offers import CouponOffer, RedPacketOffer, ThresholdOffer
from dachu.domain.plan.stacking import Line, apportion, stack

EVERY_300 = ThresholdOffer(name="每满300减50", kind="threshold", every=Decimal(300), minus=Decimal(50))
COUPON = CouponOffer(name="满199减20", kind="coupon", threshold=Decimal(199), amount=Decimal(20))
RED = RedPacketOffer(name="红包", kind="red_packet", amount=Decimal(10))


def test_two_gift_boxes():
    # 2 × 199 = 398: 满减 once (one full 300) −50; coupon (398 ≥ 199) −20; red packet −10 (platform)
    r = stack([Line("A03", 2, Decimal(199))], [EVERY_300, COUPON, RED])
    assert r.promo_total == Decimal(398)
    assert [a.discount for a in r.applied] == [Decimal(50), Decimal(20), Decimal(10)]
    assert r.buyer_pays == Decimal(318)
    assert (r.merchant_bears, r.platform_bears) == (Decimal(70), Decimal(10))
    assert r.merchant_receives == Decimal(328)  # 318 paid + 10 the platform covers


def test_threshold_repeats_and_caps():
    offer = ThresholdOffer(name="x", kind="threshold", every=Decimal(300), minus=Decimal(50), cap=Decimal(100))
    r = stack([Line("A", 1, Decimal(1000))], [offer])
    assert r.applied[0].discount == Decimal(100)  # 3 × 50 = 150, capped at 100


def test_after_previous_threshold_can_fail_where_promo_total_passes():
    coupon = CouponOffer(name="c", kind="coupon", threshold=Decimal(300), amount=Decimal(20),
                         threshold_on="after_previous")
    # 320 → 满减 −50 → 270 < 300: the coupon no longer applies
    r = stack([Line("A", 1, Decimal(320))], [EVERY_300, coupon])
    assert r.applied[1].discount == 0
    assert r.buyer_pays == Decimal(270)


def test_shared_offer_split():
    shared = CouponOffer(name="跨店", kind="coupon", amount=Decimal(30), borne_by="shared",
                         platform_share=Decimal("0.4"))
    r = stack([Line("A", 1, Decimal(100))], [shared])
    assert (r.applied[0].merchant_part, r.applied[0].platform_part) == (Decimal(18), Decimal(12))


def test_lines_share_the_discount_to_the_fen():
    # 3 × 59 = 177 and 39: total 216, discount 20 + 10 = 30 → 30 × 177/216 = 24.58, 30 × 39/216 = 5.42
    r = stack([Line("A02", 3, Decimal(59)), Line("A04", 1, Decimal(39))], [EVERY_300, COUPON, RED])
    assert r.line_discounts == (Decimal("24.58"), Decimal("5.42"))


@given(
    total=st.decimals(0, 10_000, places=2),
    weights=st.lists(st.decimals(0, 5_000, places=2), min_size=1, max_size=8),
)
def test_apportion_always_sums_exactly(total, weights):
    parts = apportion(total, weights)
    if sum(weights) > 0:
        assert sum(parts) == total
