"""The holdout (对照组): about 5% of buyers by a stable hash of their key, the same in every process."""

import math
import os
import subprocess
import sys

from dachu.domain.automation.holdout import holdout_split, holdout_values, in_holdout
from dachu.domain.campaign.remind import RemindSettings
from dachu.domain.live.keys import digests

KEYS = [f"buyer-{i}" for i in range(100_000)]


def test_the_share_is_five_percent_within_binomial_bounds():
    held = int(holdout_split(RemindSettings(), KEYS).sum())
    n, p = len(KEYS), 0.05
    sigma = math.sqrt(n * p * (1 - p))  # 68.9
    assert abs(held - n * p) < 5 * sigma


def test_another_share_and_another_salt():
    ten = int(holdout_split(RemindSettings(holdout="10%"), KEYS).sum())
    assert abs(ten - 10_000) < 5 * math.sqrt(100_000 * 0.1 * 0.9)
    a = holdout_split(RemindSettings(), KEYS)
    b = holdout_split(RemindSettings(holdout_salt="2027"), KEYS)
    both = int((a & b).sum())  # independent draws: 5% of 5% = 250 expected
    assert abs(both - 250) < 5 * math.sqrt(100_000 * 0.0025)
    assert not holdout_split(RemindSettings(holdout=0), KEYS).any()


def test_values_are_pinned():
    # a change here moves buyers between the groups of a running campaign: never change it silently
    values = holdout_values(RemindSettings().holdout_salt, digests(["b-000001", "buyer-42", "买家甲", "tb_小蜜蜂"]))
    assert [hex(int(v)) for v in values] == [
        "0x3f8b1e4bed914355", "0xc00dfce69090a77d", "0xf9ef0efe8e5fa6ba", "0x5f684e40a0a6f9e9"]
    held = [k for k in KEYS[:100] if in_holdout(RemindSettings(), k)]
    assert held == ["buyer-28", "buyer-53", "buyer-57", "buyer-59", "buyer-70", "buyer-73", "buyer-77"]


def test_one_at_a_time_agrees_with_the_batch():
    settings = RemindSettings()
    batch = holdout_split(settings, KEYS[:3000])
    assert [in_holdout(settings, k) for k in KEYS[:3000]] == batch.tolist()


def test_the_same_in_another_process_with_another_hash_seed():
    code = ("from dachu.domain.automation.holdout import holdout_split as h;"
            "from dachu.domain.campaign.remind import RemindSettings as R;"
            "print(''.join('1' if x else '0' for x in h(R(), [f'buyer-{i}' for i in range(500)])))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONHASHSEED": "12345"}).stdout.strip()
    here = "".join("1" if x else "0" for x in holdout_split(RemindSettings(), KEYS[:500]))
    assert out == here
