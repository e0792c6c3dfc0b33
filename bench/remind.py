"""Benchmark the payment reminders (催付): the rules' decisions, and dispatch through the outbox, exactly once.

Decisions: 1,000,000 unpaid orders (about 600,000 buyers, 1.4 lines an order, placed over a day) decided by
`plan_reminders` (vectorised) at 10:30 of the event day. Baseline, the same work one order at a time: the
rules' own per-order path (`explain`, which must agree with the vectorised decision) over 5,000 orders,
scaled per order. Target: under 3 s for the million.

Dispatch: a store of N unpaid orders with contacts; the messages due are planned into the outbox, then the
dispatcher sends them to the loopback Alibaba Cloud SMS gateway (a child process that checks every
signature, `tests/peers/aliyun_sms.py`): claim, send-time checks, address lookup, render, provider_called
committed, one signed `SendSms` each, outcomes committed. Baseline: the SMS sender alone sending the same
number of messages to the same peer (no outbox, no store). Target ≥ 5,000 messages/s.

Exactly once under kill -9: a `dachu remind` process is killed with SIGKILL in the middle of sending and run
again; the peer's count of calls per message key must be exactly 1 for every message planned.

Usage: python bench/remind.py [orders for dispatch] (default 60,000)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.ops.remind_workspace import make_workspace  # noqa: E402
from tests.peers.aliyun_sms import SmsPeer  # noqa: E402

from dachu.domain.automation.remind import explain, plan_reminders  # noqa: E402
from dachu.domain.automation.remind_inputs import BuyerFacts, UnpaidOrders  # noqa: E402
from dachu.domain.campaign.remind import RemindSettings  # noqa: E402
from dachu.ops.senders.aliyun_sms import AliyunSmsSender, AliyunSmsSettings  # noqa: E402
from dachu.ops.senders.base import Outgoing  # noqa: E402

NOW = dt.datetime(2026, 11, 11, 10, 30)
KEY_ID, SECRET = "LTAI-bench", "bench-secret"
DACHU = Path(sys.executable).parent / "dachu"


def emit(metric: str, value: float, unit: str) -> None:
    print(json.dumps({"bench": "remind", "metric": metric, "value": round(value, 4), "unit": unit}), flush=True)


def synthetic(n: int, seed: int = 7) -> tuple[UnpaidOrders, BuyerFacts]:
    rng = np.random.default_rng(seed)
    buyers = rng.integers(0, int(n * 0.6), n)
    start = np.datetime64("2026-11-11T00:00:00")
    created = start + rng.integers(0, 10 * 3600, n).astype("timedelta64[s]")
    lines_per = 1 + (rng.random(n) < 0.4).astype(np.int32)
    line_order = np.repeat(np.arange(n, dtype=np.int32), lines_per)
    line_sku = rng.integers(0, 6, len(line_order)).astype(np.int32)
    paid = rng.random(n) < 0.1
    last_paid = np.where(paid, start - np.timedelta64(3, "D"), np.datetime64("NaT")).astype("datetime64[s]")
    orders = UnpaidOrders(
        order_ids=[f"T{i}" for i in range(n)],
        buyers=[f"b{b:07d}" for b in buyers],
        created=created,
        amount_fen=rng.integers(900, 50_000, n).astype(np.int64),
        line_order=line_order,
        line_sku=line_sku,
        sku_names=["A01", "A02", "B01", "B02", "C01", "Z99"],
    )
    return orders, BuyerFacts(last_paid=last_paid, opted_out=rng.random(n) < 0.01)


def bench_decisions() -> None:
    settings = RemindSettings()
    orders, facts = synthetic(1_000_000)
    began = time.perf_counter()
    decisions = plan_reminders(settings, orders, facts, NOW, shop="bench")
    fast = time.perf_counter() - began
    emit("decisions_1m_orders", fast, "s")
    emit("decisions_1m_messages", len(list(decisions.actions())), "messages")
    emit("decisions_target_ratio", 3.0 / fast, "x (≥1 meets < 3 s)")
    small, small_facts = synthetic(5_000, seed=8)  # explain finds its order by id: a small set keeps that cheap
    began = time.perf_counter()
    for order_id in small.order_ids:
        explain(settings, small, small_facts, NOW, order_id, shop="bench")
    slow = (time.perf_counter() - began) / len(small) * len(orders)
    emit("decisions_per_order_baseline_1m", slow, "s (scaled from 5,000 orders)")
    emit("decisions_speedup", slow / fast, "x")


def workspace(root: Path, peer_url: str, n: int) -> Path:
    return make_workspace(root, peer_url, n, key_env="BENCH_SMS_KEY_ID", secret_env="BENCH_SMS_SECRET")


def remind(campaign: Path, now: dt.datetime, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "BENCH_SMS_KEY_ID": KEY_ID, "BENCH_SMS_SECRET": SECRET}
    return subprocess.Popen(
        [str(DACHU), "remind", str(campaign), "--now", now.isoformat(), "--format", "json", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def bench_dispatch(n: int) -> None:
    from dachu.app import Workspace
    from dachu.app.remind import run_reminders

    with tempfile.TemporaryDirectory() as tmp:
        peer = SmsPeer(secret=SECRET, access_key_id=KEY_ID)
        try:
            # baseline: the sender alone, the same number of messages to the same peer
            sender = AliyunSmsSender(AliyunSmsSettings(KEY_ID, SECRET, "测试店", endpoint=peer.url))
            batch = [
                Outgoing(f"base:{i}", "sms", f"1000{i:07d}", "【测试店】x", template_code="first", params={"item": "x"})
                for i in range(n)
            ]
            began = time.perf_counter()
            for start in range(0, n, 2_000):
                sender.send(batch[start : start + 2_000])
            base = n / (time.perf_counter() - began)
            sender.close()
            emit("sender_alone", base, "messages/s")
            peer.control(reset=True)

            campaign = workspace(Path(tmp) / "w", peer.url, n)
            env = {"BENCH_SMS_KEY_ID": KEY_ID, "BENCH_SMS_SECRET": SECRET}
            ws = Workspace.for_file(campaign)
            dry = run_reminders(ws, NOW, dry_run=True, env=env)
            due = sum(1 for a in dry.actions if a.not_before <= NOW)
            # planned first, before any is due (the first reminders fall due from 10:10): the outbox filled
            began = time.perf_counter()
            early = run_reminders(ws, dt.datetime(2026, 11, 11, 10, 5), env=env)
            plan_s = time.perf_counter() - began
            assert early.sent is not None and early.sent.sent == 0
            began = time.perf_counter()
            run = run_reminders(ws, NOW, env=env)  # scan and rules again (nothing changes), then dispatch
            total = time.perf_counter() - began
            assert run.sent is not None and run.sent.sent == due, (run.sent, due)
            calls = peer.calls()
            assert len(calls) == due and max(calls.values()) == 1
            emit("remind_pass_messages", due, "messages")
            emit("plan_pass", plan_s, f"s (scan, rules, {len(dry.actions)} messages into the outbox)")
            rate = due / run.dispatch_seconds
            emit("whole_pass", due / total, "messages/s (scan, rules, planning again, then dispatch)")
            emit("dispatch", rate, "messages/s (claim, send-time checks, render, provider_called, send, record)")
            emit("dispatch_vs_sender_alone", rate / base, "x")
            emit("dispatch_target_ratio", rate / 5_000, "x (≥1 meets ≥ 5,000/s)")
        finally:
            peer.stop()

        # exactly once under kill -9, through the real command
        peer = SmsPeer(secret=SECRET, access_key_id=KEY_ID)
        try:
            campaign = workspace(Path(tmp) / "k", peer.url, n)
            proc = remind(campaign, NOW)
            while peer.total() < n // 4 and proc.poll() is None:
                time.sleep(0.002)
            proc.send_signal(signal.SIGKILL)
            proc.communicate()
            landed = peer.total()
            again = remind(campaign, NOW + dt.timedelta(minutes=1))
            out, err = again.communicate()
            assert again.returncode == 0, err
            calls = peer.calls()
            emit("kill9_calls_before_kill", landed, "calls")
            emit("kill9_keys_sent", len(calls), "keys")
            emit("kill9_max_calls_per_key", max(calls.values()), "calls (must be 1)")
            emit("kill9_keys_sent_twice", sum(1 for v in calls.values() if v > 1), "keys (must be 0)")
            emit("kill9_reconciled", json.loads(out)["sent"]["reconciled"], "messages")
        finally:
            peer.stop()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 60_000
    bench_decisions()
    bench_dispatch(n)


if __name__ == "__main__":
    main()
