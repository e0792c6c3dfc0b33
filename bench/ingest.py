"""Benchmark the war room: sustained ingest, the ingest → SSE delay, and the restart after a long day.

Ingest: the server runs as a subprocess (`dachu serve`) on a loopback port with a fresh event log (every
batch fsynced before it is acknowledged). The client is the replay client (`dachu.ops.replay.Sender`)
sending a simulated campaign day as NDJSON batches, flat out, from 1, 2 and 4 connections (threads); another
thread reads the SSE stream. Delay = time from sending a batch to the first snapshot whose `seq` includes
it (p50, p99). Ratios against the targets: ≥ 30,000 events/s, p99 delay < 1 s, on 2 cores (client and
server share them).

Restart: a log of N events (each order placed, then paid: N/2 orders, N/4 buyers) is written straight to
disk (lines of 5,000, as the ingest writes them). A fresh process opens the room on it with no snapshot: the
baseline, every line of the log read and validated. That room's clean stop writes its snapshot; then a tail
of 200,000 more events is appended (the most a running room leaves past its last snapshot: one is written
every 30 s or 200,000 events) and another fresh process opens the room: snapshot + tail, the restart after a
crash. Reported: both restarts' seconds and peak RSS, the ratio between them, the snapshot+tail restart
against the targets (< 10 s, < 2 GiB), the snapshot's size and the state's bytes per order.

Usage: python bench/ingest.py [orders] [batch] [restart sizes, comma-separated] [seconds]
(defaults 100,000, 2,500, 1000000,10000000 and 60: each connection count sends for that long, the simulated
day over and over with new ids each round).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from dachu.data.live_source import busiest_day, replay_events
from dachu.ops.replay import Sender, encode
from dachu.web.run import bind

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGN = ROOT / "tests" / "data" / "simulate_campaign.yaml"
TARGET_RATE = 30_000.0
TARGET_P99 = 1.0
TARGET_RESTART_S = 10.0
TARGET_RESTART_RSS = 2 * 1024**3
TAIL = 200_000
RESTART_CHILD = """
import json, resource, sys, time
from pathlib import Path
from dachu.app import Workspace
from dachu.app.live import LiveRoom, tune_gc
plan = Workspace.for_file(Path(sys.argv[1])).plan()
tune_gc()  # as `dachu serve` does before it opens the room
began = time.monotonic()
room = LiveRoom(plan, Path(sys.argv[2]))
seconds = time.monotonic() - began
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
result = {"seconds": seconds, "rss": rss, "events": room.state.seq, "restored": room.restored,
          "rebuilt": room.rebuilt, "orders": len(room.state.order_index), "state_bytes": room.state.nbytes,
          "seen_bytes": room.seen.nbytes, "error": room.snapshot_error}
from dachu.ops.snapshots import Shadow
shadow = Shadow()
for key in ("first_copy_seconds", "copy_seconds"):  # what a snapshot copies under the ingest lock
    began = time.monotonic()
    meta, views = room.state.export(copy=False)
    views.update(room.seen.arrays("seen", copy=False))
    shadow.take(views)
    result[key] = time.monotonic() - began
    del meta, views
del shadow
began = time.monotonic()
room.close()  # a clean stop: the last snapshot
result["close_seconds"] = time.monotonic() - began
print(json.dumps(result))
"""
DACHU = [str(Path(sys.executable).parent / "dachu")]


def write_log(path: Path, first: int, n: int, day: str) -> None:
    """Events `first`… `first + n` straight onto an event log, 5,000 a line, as the ingest writes them.

    Event 2k places order k (buyer k mod N/4 … ), event 2k+1 pays it, a minute later.
    """
    buyers = max(1, (first + n) // 4)
    with path.open("ab") as f:
        for start in range(first, first + n, 5000):
            parts = []
            for i in range(start, min(first + n, start + 5000)):
                k = i // 2
                at = f"{day}T{(k // 3600) % 24:02d}:{(k // 60) % 60:02d}:{k % 60:02d}"
                if i % 2 == 0:
                    parts.append(f'{{"id":"o{k}","type":"order","at":"{at}","order_id":"O{k}","amount":"99.00",'
                                 f'"buyer_key":"b{k % buyers}","source":"直通车",'
                                 f'"lines":[{{"sku":"A01","quantity":1}}]}}')
                else:
                    parts.append(f'{{"id":"p{k}","type":"payment","at":"{at}","order_id":"O{k}",'
                                 f'"amount":"99.00","stage":"full"}}')
            f.write(("[" + ",".join(parts) + "]\n").encode())


def _open(log: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", RESTART_CHILD, str(CAMPAIGN), str(log)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)  # type: ignore[no-any-return]


def restart(n: int) -> None:
    """A room opened (a fresh process) on a log of `n` events: from the log alone, then snapshot + tail."""
    from dachu.app import Workspace
    from dachu.ops.snapshots import snapshot_path

    day = Workspace.for_file(CAMPAIGN).plan().campaign.campaign.event_day.isoformat()
    label = f"{n // 1_000_000}M" if n >= 1_000_000 else str(n)
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "events.ndjson"
        write_log(log, 0, n, day)
        whole = _open(log)  # no snapshot yet: the whole log read; its clean stop writes the snapshot
        assert whole["events"] == n and whole["restored"] == 0, whole
        size = snapshot_path(log).stat().st_size
        write_log(log, n, TAIL, day)
        warm = _open(log)
        assert (warm["restored"], warm["rebuilt"]) == (n, TAIL), warm
    emit(f"restart_{label}_from_log_seconds", whole["seconds"], "s")
    emit(f"restart_{label}_from_log_peak_rss", whole["rss"] / 1024**2, "MiB")
    emit(f"restart_{label}_snapshot_write_seconds", whole["close_seconds"], "s (in the background)")
    emit(f"restart_{label}_snapshot_first_copy_seconds", whole["first_copy_seconds"],
         "s (ingest waits for this: the first snapshot, fresh memory)")
    emit(f"restart_{label}_snapshot_copy_seconds", whole["copy_seconds"], "s (ingest waits for this: later ones)")
    emit(f"restart_{label}_snapshot_bytes", size / 1024**2, "MiB")
    emit(f"restart_{label}_seconds", warm["seconds"], "s (snapshot + 200,000-event tail)")
    emit(f"restart_{label}_speedup_vs_log", whole["seconds"] / warm["seconds"], "ratio (higher is better)")
    emit(f"restart_{label}_seconds_vs_target", warm["seconds"] / TARGET_RESTART_S, "ratio (lower is better)")
    emit(f"restart_{label}_peak_rss", warm["rss"] / 1024**2, "MiB")
    emit(f"restart_{label}_peak_rss_vs_target", warm["rss"] / TARGET_RESTART_RSS, "ratio (lower is better)")
    emit(f"restart_{label}_state_bytes_per_order", warm["state_bytes"] / warm["orders"], "B")
    emit(f"restart_{label}_seen_bytes_per_event", warm["seen_bytes"] / warm["events"], "B")


def emit(metric: str, value: float, unit: str) -> None:
    print(json.dumps({"bench": "ingest", "metric": metric, "value": round(value, 4), "unit": unit}), flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def main() -> None:
    orders = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 2500
    sizes = [int(x) for x in (sys.argv[3] if len(sys.argv) > 3 else "1000000,10000000").split(",") if x]
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 60.0
    for senders in (1, 2, 4):
        ingest(orders, batch, senders, seconds)
    for n in sizes:
        restart(n)


def round_body(body: bytes, k: int) -> bytes:
    """The day's batch as sent in round `k`: every id and order id made new (`r{k}:` before it), so each
    round is a fresh day's worth of orders, payments, traffic… and never a duplicate."""
    if k == 0:
        return body
    tag = f"r{k}:".encode()
    return body.replace(b'"id":"', b'"id":"' + tag).replace(b'"order_id":"', b'"order_id":"' + tag)


def ingest(orders: int, batch: int, senders: int, seconds: float = 60.0) -> None:
    """Events/s and ingest → SSE delay with `senders` connections for `seconds` (a fresh server each time).

    The simulated day is sent over and over, each round with new ids (`round_body`), until `seconds` pass.
    """
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "sim"
        subprocess.run([*DACHU, "simulate", str(CAMPAIGN), "--orders", str(orders), "--formats", "parquet,ad_spend",
                        "--out", str(out), "--format", "json"], check=True, capture_output=True)
        events = replay_events(out, busiest_day(out))
        bodies = [encode(events[i : i + batch]) for i in range(0, len(events), batch)]
        counts = [len(events[i : i + batch]) for i in range(0, len(events), batch)]
        sock = bind("127.0.0.1", 0)
        port = sock.getsockname()[1]
        sock.close()
        env = {**os.environ, "DACHU_INGEST_TOKEN": "bench-in", "DACHU_DASHBOARD_TOKEN": "bench-read"}
        server = subprocess.Popen(
            [*DACHU, "serve", str(CAMPAIGN), "--port", str(port), "--log", str(Path(tmp) / "events.ndjson"),
             "--store", str(Path(tmp) / "dachu.duckdb")],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    httpx.get(f"{url}/healthz", timeout=1)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError("server did not start") from None
                    time.sleep(0.1)
            seen: list[tuple[float, int]] = []
            stop = threading.Event()

            def listen() -> None:
                try:
                    with httpx.stream("GET", f"{url}/api/stream?token=bench-read", timeout=30) as r:
                        for line in r.iter_lines():
                            if line.startswith("data: "):
                                seq = int(line[6:40].split('"seq":', 1)[1].split(",", 1)[0])
                                seen.append((time.monotonic(), seq))
                            if stop.is_set():
                                return
                except httpx.HTTPError:
                    return

            listener = threading.Thread(target=listen, daemon=True)
            listener.start()
            time.sleep(0.5)
            sent: list[tuple[float, int]] = []
            lock = threading.Lock()
            taken = [0]

            def send() -> None:
                client = Sender(url, token="bench-in")
                try:
                    while True:
                        with lock:
                            if time.monotonic() - start >= seconds:
                                return
                            i = taken[0]
                            taken[0] += 1
                        body = round_body(bodies[i % len(bodies)], i // len(bodies))
                        began = time.monotonic()
                        answer = client.post(body)
                        with lock:
                            sent.append((began, int(answer["seq"])))
                finally:
                    client.close()

            start = time.monotonic()
            threads = [threading.Thread(target=send) for _ in range(senders)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - start
            # how far the store writer (its own process) is behind the log when the senders stop
            health = httpx.get(f"{url}/healthz", headers={"Authorization": "Bearer bench-read"}, timeout=10).json()
            behind = health["store"]["behind_bytes"]
            time.sleep(1.5)
            stop.set()
            delays = []
            for began, seq in sent:
                arrival = next((at for at, s in seen if s >= seq and at >= began), None)
                if arrival is not None:
                    delays.append(arrival - began)
            total = sum(counts[i % len(bodies)] for i in range(taken[0]))
            rate = total / elapsed
            emit(f"events_{senders}conn", total, "events")
            emit(f"events_per_s_{senders}conn", rate, "events/s")
            emit(f"events_per_s_vs_target_{senders}conn", rate / TARGET_RATE, "ratio")
            emit(f"sse_delay_p50_{senders}conn", percentile(delays, 0.50), "s")
            emit(f"sse_delay_p99_{senders}conn", percentile(delays, 0.99), "s")
            p99 = percentile(delays, 0.99)
            emit(f"sse_delay_p99_vs_target_{senders}conn", p99 / TARGET_P99, "ratio (lower is better)")
            emit(f"batches_seen_on_sse_{senders}conn", len(delays) / len(sent), "ratio")
            emit(f"store_behind_at_end_{senders}conn", behind / 1024**2, "MiB of the log not yet in the store")
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    main()

