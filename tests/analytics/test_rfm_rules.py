"""The RFM rules in plain Python (`dachu.analytics.rfm`): scores of ties, segments, impossible counts.

Moved here from tests/domain/test_metrics.py with the functions they test; the assertions are unchanged.
"""

from __future__ import annotations

import pytest

from dachu.analytics.rfm import rfm_score, rfm_segment
from dachu.domain.metrics import RFM_SEGMENTS


@pytest.mark.parametrize(
    ("values", "scores"),
    [
        # 10 distinct values, worst first: k = 1..10, ceil(5k/10) = 1,1,2,2,3,3,4,4,5,5
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]),
        # ties: three buyers at F=1 have k=3 (all three are no better than each other) → ceil(15/5)=3;
        # F=2: k=4 → 4; F=3: k=5 → 5
        ([1, 1, 1, 2, 3], [3, 3, 3, 4, 5]),
        # all tied: k = n for everyone → 5
        ([7, 7, 7], [5, 5, 5]),
        # one buyer: k = n = 1 → 5
        ([4], [5]),
        # 4 buyers [10, 20, 20, 30]: k = 1, 3, 3, 4 → ceil(5/4)=2, ceil(15/4)=4, 4, 5
        ([10, 20, 20, 30], [2, 4, 4, 5]),
    ],
    ids=["distinct", "ties_low", "all_tied", "single", "ties_middle"],
)
def test_rfm_scores_share_the_highest_score_of_a_tie(values: list[int], scores: list[int]) -> None:
    n = len(values)
    got = [rfm_score(sum(1 for w in values if w <= v), n) for v in values]
    assert got == scores


@pytest.mark.parametrize(
    ("r", "f", "mm", "segment"),
    [
        (5, 4, 4, "champions"),  # r≥4, (4+4)/2=4
        (4, 5, 3, "champions"),  # (5+3)/2=4
        (4, 4, 3, "loyal"),  # fm 3.5 <4, r≥3, fm≥3
        (3, 5, 5, "loyal"),  # r=3 cannot be a champion
        (5, 1, 2, "promising"),  # recent, fm 1.5
        (3, 2, 3, "needs_attention"),  # fm 2.5
        (2, 3, 3, "at_risk"),
        (1, 1, 1, "hibernating"),
    ],
)
def test_rfm_segments(r: int, f: int, mm: int, segment: str) -> None:
    assert rfm_segment(r, f, mm) == segment
    assert segment in RFM_SEGMENTS


def test_rfm_score_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError):
        rfm_score(0, 3)
