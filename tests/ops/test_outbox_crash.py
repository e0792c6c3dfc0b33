"""Exactly once under kill -9: `dachu remind` killed at each step of the outbox, then run again.

A real `dachu remind` process sends payment reminders to the loopback Alibaba Cloud SMS gateway (which
checks every signature and counts every `SendSms` per OutId). It is killed with SIGKILL right after it
claimed a batch, right after it marked the batch provider_called (before any call), right after the
provider answered (before the answers were recorded), and at an arbitrary moment in the middle of sending;
then it is run again. In every case each message key reaches the provider exactly once and the outbox ends
with every message sent: none lost, none twice.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dachu.data.store import Store
from tests.ops import remind_workspace
from tests.peers.aliyun_sms import SmsPeer

DACHU = Path(sys.executable).parent / "dachu"
NOW = dt.datetime(2026, 11, 11, 10, 30)
KEY_ID, SECRET = "LTAI-crash-test", "crash-test-secret"


def make_workspace(root: Path, peer_url: str, buyers: int) -> Path:
    return remind_workspace.make_workspace(
        root, peer_url, buyers, key_env="CRASH_SMS_KEY_ID", secret_env="CRASH_SMS_SECRET"
    )


def remind(campaign: Path, now: dt.datetime, *extra: str, failpoint: str | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "CRASH_SMS_KEY_ID": KEY_ID, "CRASH_SMS_SECRET": SECRET, "DACHU_LANG": "en"}
    env.pop("DACHU_FAILPOINT", None)
    if failpoint:
        env["DACHU_FAILPOINT"] = failpoint
    return subprocess.Popen(
        [str(DACHU), "remind", str(campaign), "--now", now.isoformat(), *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out, err


def planned_keys(campaign: Path) -> set[str]:
    code, out, err = finish(remind(campaign, NOW, "--dry-run", "--format", "json"))
    assert code == 0, err
    actions = json.loads(out)["actions"]
    return {f"{a['kind']}:{a['buyer']}:{a['send_at'][:10]}" for a in actions if a["send_at"] <= NOW.isoformat()}


def outbox_states(campaign: Path) -> dict[str, int]:
    """States of the first reminders (the before-close reminders, due days later, stay planned)."""
    with Store.open(campaign.parent / "dachu.duckdb") as store:
        rows = store.con.execute(
            "SELECT state, count(*) FROM outbox WHERE kind = 'payment_reminder' GROUP BY 1"
        ).fetchall()
    return {r[0]: int(r[1]) for r in rows}


@pytest.fixture
def peer() -> SmsPeer:
    started = SmsPeer(secret=SECRET, access_key_id=KEY_ID)
    yield started
    started.stop()


@pytest.mark.slow
@pytest.mark.parametrize("failpoint", ["outbox.claimed", "outbox.provider_called", "outbox.provider_replied"])
def test_killed_at_each_step_every_message_reaches_the_provider_exactly_once(
    tmp_path: Path, peer: SmsPeer, failpoint: str
) -> None:
    campaign = make_workspace(tmp_path / "w", peer.url, buyers=400)
    expected = planned_keys(campaign)
    assert len(expected) > 350  # 400 buyers less the ~5% holdout

    code, _, err = finish(remind(campaign, NOW, failpoint=failpoint))
    assert code == -signal.SIGKILL, err
    landed = peer.calls()
    if failpoint == "outbox.provider_replied":
        assert set(landed) == expected  # every call landed; none recorded
    else:
        assert landed == {}  # killed before any provider call

    # run again a minute later (past reconcile_after): what landed is reconciled, the rest is sent
    code, _, err = finish(remind(campaign, NOW + dt.timedelta(minutes=1)))
    assert code == 0, err
    calls = peer.calls()
    assert set(calls) == expected
    assert max(calls.values()) == 1, {k: n for k, n in calls.items() if n > 1}
    assert outbox_states(campaign) == {"sent": len(expected)}


@pytest.mark.slow
def test_killed_in_the_middle_of_sending_nothing_is_lost_or_sent_twice(tmp_path: Path, peer: SmsPeer) -> None:
    campaign = make_workspace(tmp_path / "w", peer.url, buyers=6_000)
    expected = planned_keys(campaign)
    proc = remind(campaign, NOW)
    deadline = time.monotonic() + 120
    while peer.total() < 1_000 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    code, _, _ = finish(proc)
    assert code == -signal.SIGKILL  # killed mid-send, not finished before
    assert 0 < peer.total() < len(expected)

    code, _, err = finish(remind(campaign, NOW + dt.timedelta(minutes=1)))
    assert code == 0, err
    calls = peer.calls()
    assert set(calls) == expected
    assert max(calls.values()) == 1
    assert outbox_states(campaign) == {"sent": len(expected)}
