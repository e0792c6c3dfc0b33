"""The whole review on the hand-built store (tests/analytics/conftest.py): no personal data, every key known.

Event-day payments (by paid_at on 2026-11-11): o1 100.00 (b1, 00:11), o2 50.00 (b2, 01:30), o3 30.50
(b1, 20:05). o5 was placed on the day but paid on 11-12; o4 and o6 were never paid.
"""

from __future__ import annotations

from dachu.analytics.review_model import Review


def test_no_personal_data_in_the_review(hand_review: Review) -> None:
    from dachu.report.review_json import review_dict

    text = repr(review_dict(hand_review))
    for secret in ("b1", "b2", "b3", "b6", "v1", "o1", "s1"):
        assert f"'{secret}'" not in text


def test_every_label_is_a_catalogue_key(hand_review: Review) -> None:
    from dachu.i18n import has

    keys: set[str] = set()
    for s in hand_review.sections:
        keys |= {s.key, *(f.key for f in s.figures), *(k for k, _ in s.notes)}
        for tb in s.tables:
            keys |= {tb.key, *(c.key for c in tb.columns)}
            for i, c in enumerate(tb.columns):
                if c.labels:
                    keys |= {str(row[i]) for row in tb.rows}
        for ch in s.charts:
            keys |= {ch.key, ch.x.key, *(x.key for x in ch.series)}
            if ch.x.labels:
                keys |= {str(x) for x in ch.x_values}
    assert sorted(k for k in keys if not has(k)) == []
