"""The holdout (对照组): a fixed share of buyers never reminded, so the review can measure what reminding wins.

A buyer is held out when a 64-bit value drawn from their key falls below share × 2⁶⁴. The value is the first
lane of the key's 128-bit digest (`dachu.domain.live.keys.digests`, plain integer arithmetic on the key's code
points: the same in every process, machine and Python version — never the built-in `hash`), XORed with the
salt's digest and finalised with splitmix64's bijective mixer, so another salt draws another group. Pure and
vectorised: `holdout_mask` decides a million buyers at once, `in_holdout` one, and both agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from dachu.domain.campaign.remind import RemindSettings
from dachu.domain.live.keys import Keys, digests

_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def _mix(h: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    h = (h ^ (h >> np.uint64(30))) * _M1
    h = (h ^ (h >> np.uint64(27))) * _M2
    return h ^ (h >> np.uint64(31))


def holdout_values(salt: str, keys: Keys) -> npt.NDArray[np.uint64]:
    """Each buyer's 64-bit draw from the digests of their keys (`digests(buyers)`), for `salt`."""
    salt_word = digests([salt])[0, 0]
    return _mix(keys[:, 0] ^ salt_word)


def _threshold(share: Decimal) -> int:
    return min(int(share * 2**64), 2**64 - 1) if share < 1 else 2**64


def holdout_mask(settings: RemindSettings, keys: Keys) -> npt.NDArray[np.bool_]:
    """True for each buyer (by the digest of their key) in the holdout."""
    limit = _threshold(settings.holdout)
    if limit >= 2**64:
        return np.ones(len(keys), dtype=bool)
    return holdout_values(settings.holdout_salt, keys) < np.uint64(limit)


def in_holdout(settings: RemindSettings, buyer_key: str) -> bool:
    """Whether `buyer_key` is held out (never reminded); the same answer as `plan_reminders` gives."""
    return bool(holdout_mask(settings, digests([buyer_key]))[0])


def holdout_split(settings: RemindSettings, buyer_keys: Sequence[str]) -> npt.NDArray[np.bool_]:
    """`in_holdout` for many buyers at once (the review's split of the buyers)."""
    return holdout_mask(settings, digests(buyer_keys))
