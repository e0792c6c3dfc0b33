"""Compact indexes of ids (紧凑索引): 16 bytes of digest an id, never a Python string.

The war room remembers every event id of the day (the ingest is idempotent by it), finds each order's row by
its order id and counts each paying buyer once, for tens of millions of ids, in bounded memory, with a
snapshot that loads in a fraction of a second. `KeyIndex` is an open-addressing hash table (linear probing)
held in three numpy arrays: the 128-bit digest of each id (two uint64 words, `digests`) and its row, the
position at which the id was first added (0, 1, 2, …). The table is kept between 35% and 70% full, so an id
costs 29–57 bytes (20 bytes a slot), against about 120 for a string in a Python set.

Two different ids share a digest with a probability of about n²/2¹²⁹ — 1e-25 for ten million ids: never in
practice, and a shared digest could only make a new id look seen. Rows never depend on where an id sits in the
table, so the same ids added in the same order give the same rows however they were batched.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

MAX_LOAD = 0.7
_FIRST_CAPACITY = 1 << 10
_BIG = 100_000  # inserts at least this large find their slots without a sort
_TAIL = 32  # probes still running when this few are left finish one by one

Keys = npt.NDArray[np.uint64]
"""Digests, shape (n, 2): `digests(ids)`."""


_P1, _P2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def _finish(h: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """splitmix64's finaliser (a bijection of 64-bit words)."""
    h = (h ^ (h >> np.uint64(30))) * _M1
    h = (h ^ (h >> np.uint64(27))) * _M2
    return h ^ (h >> np.uint64(31))


def digests(ids: Sequence[str]) -> Keys:
    """128-bit digests of `ids`, shape (n, 2) uint64, computed for the whole batch at once.

    Two 64-bit lanes, each folding the id's code points (two to a 64-bit word) into its state with a
    bijective step `(h ^ word) × odd constant`, seeded with the id's length, then finalised (splitmix64);
    an id's digest never depends on the other ids of its batch. Ids of one
    length that differ in one word can never share a lane; others share a lane with probability about 2⁻⁶⁴,
    both lanes about 2⁻¹²⁸. Not a cryptographic hash: ids come only from an authenticated sender.
    """
    n = len(ids)
    if n == 0:
        return np.zeros((0, 2), dtype=np.uint64)
    text = np.array(ids, dtype=np.str_)  # zero-padded to the batch's longest id (trailing NULs dropped)
    width = text.dtype.itemsize // 4
    points = np.zeros((n, width + (width & 1)), dtype=np.uint32)
    points[:, :width] = text.view(np.uint32).reshape(n, width)
    words = points.view(np.uint64)
    size = np.fromiter(map(len, ids), dtype=np.uint64, count=n)  # the true length, trailing NULs included
    used = (size + np.uint64(1)) // np.uint64(2)  # words of each id: padding past them is not folded in
    h1 = size * _P2 ^ np.uint64(0x243F6A8885A308D3)
    h2 = size * _P1 ^ np.uint64(0x13198A2E03707344)
    for j in range(words.shape[1]):
        w = words[:, j]
        live = used > np.uint64(j)
        g1 = (h1 ^ w) * _P1
        g2 = (h2 ^ w) * _P2
        h1 = np.where(live, g1 ^ (g1 >> np.uint64(29)), h1)
        h2 = np.where(live, g2 ^ (g2 >> np.uint64(32)), h2)
    out = np.empty((n, 2), dtype=np.uint64)
    out[:, 0] = _finish(h1)
    out[:, 1] = _finish(h2 ^ np.uint64(0xA4093822299F31D0))
    return out


def _distinct(keys: Keys) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(where each distinct key first occurs, in that order; for each key, its distinct key's number)."""
    hi, lo = keys[:, 0], keys[:, 1]
    order = np.lexsort((lo, hi))  # stable: equal keys keep their order, the first occurrence leads
    sh, sl = hi[order], lo[order]
    lead = np.empty(len(order), dtype=bool)
    lead[0] = True
    lead[1:] = (sh[1:] != sh[:-1]) | (sl[1:] != sl[:-1])
    group = np.cumsum(lead) - 1
    first = order[lead]
    by_first = np.argsort(first, kind="stable")
    rank = np.empty(len(first), dtype=np.int64)
    rank[by_first] = np.arange(len(first))
    inverse = np.empty(len(order), dtype=np.int64)
    inverse[order] = rank[group]
    return first[by_first], inverse


def first_seen(keys: Keys) -> npt.NDArray[np.bool_]:
    """True at the first occurrence of each key in `keys` (later repeats within the batch are False)."""
    mask = np.zeros(len(keys), dtype=bool)
    if len(keys):
        mask[_distinct(keys)[0]] = True
    return mask


class KeyIndex:
    """A set of digests, each with its row (the order it was first added in); see the module doc."""

    def __init__(self, capacity: int = _FIRST_CAPACITY) -> None:
        cap = _FIRST_CAPACITY
        while cap < capacity:
            cap <<= 1
        self._hi = np.zeros(cap, dtype=np.uint64)
        self._lo = np.zeros(cap, dtype=np.uint64)
        self._rows = np.full(cap, -1, dtype=np.int32)  # -1: an empty slot
        self.count = 0

    def __len__(self) -> int:
        return self.count

    @property
    def nbytes(self) -> int:
        """Bytes the table holds."""
        return int(self._hi.nbytes + self._lo.nbytes + self._rows.nbytes)

    def _find(
        self, hi: npt.NDArray[np.uint64], lo: npt.NDArray[np.uint64]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        """For each key: the slot holding it (found) or the empty slot its probe ended at (not found)."""
        mask = len(self._rows) - 1
        slot = (hi & np.uint64(mask)).astype(np.int64)
        found = np.zeros(len(hi), dtype=bool)
        active = np.arange(len(hi))
        while active.size > _TAIL:
            s = slot[active]
            rows = self._rows[s]
            empty = rows < 0
            match = ~empty & (self._hi[s] == hi[active]) & (self._lo[s] == lo[active])
            found[active[match]] = True
            active = active[~(empty | match)]
            slot[active] = (slot[active] + 1) & mask
        for k in active.tolist():  # the few long probes: one key at a time is cheaper than another pass
            at, h, lw = int(slot[k]), hi[k], lo[k]
            while self._rows[at] >= 0:
                if self._hi[at] == h and self._lo[at] == lw:
                    found[k] = True
                    break
                at = (at + 1) & mask
            slot[k] = at
        return slot, found

    def _insert(self, hi: npt.NDArray[np.uint64], lo: npt.NDArray[np.uint64], rows: npt.NDArray[np.int64]) -> None:
        """Put keys known to be absent (and distinct) into empty slots."""
        mask = len(self._rows) - 1
        slot = (hi & np.uint64(mask)).astype(np.int64)
        pending = np.arange(len(hi))
        claim = np.full(len(self._rows), -1, dtype=np.int64) if len(hi) >= _BIG else None
        while pending.size > _TAIL:
            s = slot[pending]
            free = np.flatnonzero(self._rows[s] < 0)
            if free.size:
                if claim is None:
                    _, first = np.unique(s[free], return_index=True)
                    won = free[first]
                else:  # one claimant per slot without a sort: the last write to a slot wins it
                    claim[s[free]] = free
                    won = free[claim[s[free]] == free]
                key = pending[won]
                self._hi[s[won]] = hi[key]
                self._lo[s[won]] = lo[key]
                self._rows[s[won]] = rows[key]
                keep = np.ones(pending.size, dtype=bool)
                keep[won] = False
                pending = pending[keep]
            slot[pending] = (slot[pending] + 1) & mask
        for k in pending.tolist():
            at = int(slot[k])
            while self._rows[at] >= 0:
                at = (at + 1) & mask
            self._hi[at], self._lo[at], self._rows[at] = hi[k], lo[k], rows[k]

    def _reserve(self, total: int) -> None:
        cap = len(self._rows)
        if total <= cap * MAX_LOAD:
            return
        while total > cap * MAX_LOAD:
            cap <<= 1
        used = self._rows >= 0
        hi, lo, rows = self._hi[used], self._lo[used], self._rows[used].astype(np.int64)
        self._hi = np.zeros(cap, dtype=np.uint64)
        self._lo = np.zeros(cap, dtype=np.uint64)
        self._rows = np.full(cap, -1, dtype=np.int32)
        self._insert(hi, lo, rows)

    def rows(self, keys: Keys) -> npt.NDArray[np.int64]:
        """The row of each key, -1 where it is not in the index."""
        if not len(keys):
            return np.zeros(0, dtype=np.int64)
        slot, found = self._find(keys[:, 0], keys[:, 1])
        return np.where(found, self._rows[slot], -1).astype(np.int64)

    def contains(self, keys: Keys) -> npt.NDArray[np.bool_]:
        """True for each key in the index."""
        if not len(keys):
            return np.zeros(0, dtype=bool)
        return self._find(keys[:, 0], keys[:, 1])[1]

    def add(self, keys: Keys) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        """Add `keys` (repeats allowed); return each key's row and True where the key was new (first time).

        New keys get the next rows in the order of their first occurrence in `keys`.
        """
        n = len(keys)
        if n == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
        at, inverse = _distinct(keys)
        hi, lo = keys[at, 0], keys[at, 1]
        slot, found = self._find(hi, lo)
        rows = np.empty(len(at), dtype=np.int64)
        rows[found] = self._rows[slot[found]]
        absent = ~found
        fresh = int(absent.sum())
        if fresh:
            rows[absent] = np.arange(self.count, self.count + fresh)
            self._reserve(self.count + fresh)
            self._insert(hi[absent], lo[absent], rows[absent])
            self.count += fresh
        new = np.zeros(n, dtype=bool)
        new[at[absent]] = True
        return rows[inverse], new

    def keys_by_row(self) -> Keys:
        """Every key, in row order (row 0 first): what the index holds, independent of the table's layout."""
        used = self._rows >= 0
        out = np.empty((self.count, 2), dtype=np.uint64)
        rows = self._rows[used]
        out[rows, 0] = self._hi[used]
        out[rows, 1] = self._lo[used]
        return out

    def arrays(self, prefix: str, copy: bool = True) -> dict[str, npt.NDArray[np.generic]]:
        """The table's arrays, named `prefix.hi|lo|rows`, for a snapshot.

        Copies, or (`copy` False) the arrays themselves, valid until the next `add`.
        """
        parts: dict[str, npt.NDArray[np.generic]] = {f"{prefix}.hi": self._hi, f"{prefix}.lo": self._lo,
                                                      f"{prefix}.rows": self._rows}
        return {name: a.copy() for name, a in parts.items()} if copy else parts

    @classmethod
    def from_arrays(cls, arrays: dict[str, npt.NDArray[np.generic]], prefix: str) -> KeyIndex:
        """The index `arrays(prefix)` was taken from. Raises ValueError when the arrays do not fit together."""
        hi, lo, rows = arrays[f"{prefix}.hi"], arrays[f"{prefix}.lo"], arrays[f"{prefix}.rows"]
        size = len(rows)
        if size < _FIRST_CAPACITY or size & (size - 1) or len(hi) != size or len(lo) != size:
            raise ValueError(f"{prefix}: not a table")
        if hi.dtype != np.uint64 or lo.dtype != np.uint64 or rows.dtype != np.int32:
            raise ValueError(f"{prefix}: wrong types")
        index = cls.__new__(cls)
        index._hi = hi.astype(np.uint64, copy=False)
        index._lo = lo.astype(np.uint64, copy=False)
        index._rows = rows.astype(np.int32, copy=False)
        index.count = int((index._rows >= 0).sum())
        if index.count and int(index._rows.max()) != index.count - 1:
            raise ValueError(f"{prefix}: rows are not 0…n-1")
        return index
