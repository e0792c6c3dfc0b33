"""The compact id index against a plain dict doing the same bookkeeping."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dachu.domain.live.keys import KeyIndex, digests, first_seen

ids = st.text(alphabet=st.sampled_from("ab:0\x00é订单"), max_size=12)
batches = st.lists(st.lists(ids, max_size=40), max_size=12)


@settings(max_examples=300, deadline=None)
@given(batches)
def test_the_index_gives_the_rows_a_dict_of_first_appearances_gives(groups: list[list[str]]) -> None:
    index, model = KeyIndex(), dict[str, int]()
    for batch in groups:
        expected_new = []
        for key in batch:
            expected_new.append(key not in model)
            model.setdefault(key, len(model))
        rows, new = index.add(digests(batch))
        assert rows.tolist() == [model[k] for k in batch]
        assert new.tolist() == expected_new
    assert len(index) == len(model)
    probe = [*model, "never-added", "ab:ab:ab:"]
    assert index.rows(digests(probe)).tolist() == [model.get(k, -1) for k in probe]
    assert index.contains(digests(probe)).tolist() == [k in model for k in probe]


@settings(max_examples=200, deadline=None)
@given(st.lists(ids, min_size=1, max_size=30), st.data())
def test_a_digest_never_depends_on_the_batch_around_it(batch: list[str], data: st.DataObject) -> None:
    whole = digests(batch)
    cut = data.draw(st.integers(0, len(batch)))
    parts = np.concatenate([digests(batch[:cut]), digests(batch[cut:])])
    assert (whole == parts).all()
    singly = np.concatenate([digests([k]) for k in batch])
    assert (whole == singly).all()
    distinct = {tuple(d) for d in whole.tolist()}
    assert len(distinct) == len(set(batch))  # no two of these ids share a digest


def test_ids_that_differ_only_in_a_trailing_nul_or_padding_differ() -> None:
    keys = digests(["a", "a\x00", "a\x00\x00", "", "\x00", "ab", "ba"])
    assert len({tuple(k) for k in keys.tolist()}) == 7


def test_first_seen_marks_the_first_of_each_repeat() -> None:
    assert first_seen(digests(["x", "y", "x", "z", "y", "x"])).tolist() == [True, True, False, True, False, False]


def test_a_large_index_grows_keeps_every_row_and_survives_its_arrays() -> None:
    index = KeyIndex()
    names = [f"o:taobao:{i}" for i in range(250_000)]
    for start in range(0, len(names), 50_000):  # inserts past the sort-free size, and several growths
        index.add(digests(names[start : start + 50_000]))
    index.add(digests(names[:10]))  # repeats change nothing
    assert len(index) == 250_000
    assert index.nbytes <= 250_000 * 57
    again = KeyIndex.from_arrays(index.arrays("seen"), "seen")
    sample = names[::997]
    assert again.rows(digests(sample)).tolist() == list(range(0, 250_000, 997))
    assert (again.keys_by_row() == index.keys_by_row()).all()
    assert (index.keys_by_row()[:3] == digests(names[:3])).all()


def test_arrays_that_are_not_an_index_are_refused() -> None:
    good = KeyIndex().arrays("k")
    with pytest.raises(ValueError):
        KeyIndex.from_arrays({**good, "k.rows": good["k.rows"][:-1]}, "k")
    with pytest.raises(ValueError):
        KeyIndex.from_arrays({**good, "k.hi": good["k.hi"].astype(np.int64)}, "k")
    bad_rows = good["k.rows"].copy()
    bad_rows[5] = 3  # one key claiming row 3 of an index of one
    with pytest.raises(ValueError):
        KeyIndex.from_arrays({**good, "k.rows": bad_rows}, "k")
