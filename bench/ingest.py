"""Benchmark the war room: sustained ingest, the ingest → SSE delay, and the restart after a long day.

Ingest: the server runs as a subprocess (`dachu serve`) on a loopback port with a fresh event log (every
batch fsynced before it is acknowledged). The client is the replay client (`dachu.ops.replay.Sender`)
sending a simulated campaign day as NDJSON batches, flat out, from 1, 2 and 4 connections (threads); another
thread reads the SSE stream. Delay = time from sending a batch to the first snapshot whose `seq` includes
it (p50, p99). Ratios against the targets: ≥ 30,000 events/s, p99 delay < 1 s, on 2 cores (client and
server share them).

Restart: a log of N order events is written straight to disk (lines of 5,000, as the ingest writes them),
then a fresh process opens the room on it; seconds until the figures are rebuilt and that process's peak
RSS, against the targets (< 10 s, < 2 GiB).

Usage: python bench/ingest.py [orders] [batch] [restart sizes, comma-separated]
(defaults 100,000, 5,000 and 1000000,10000000).
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
RESTART_CHILD = """
import json, resource, sys, time
from pathlib import Path
from dachu.app import Workspace
from dachu.app.live import LiveRoom
plan = Workspace.for_file(Path(sys.argv[1])).plan()
began = time.monotonic()
room = LiveRoom(plan, Path(sys.argv[2]))
seconds = time.monotonic() - began
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "rss": rss, "events": room.state.seq}))
"""
DACHU = [str(Path(sys.executable).parent / "dachu")]


def write_log(path: Path, n: int, day: str) -> None:
    """`n` order events straight into an event log, 5,000 a line, as the ingest writes them."""
    with path.open("wb") as f:
        for start in range(0, n, 5000):
            line = [{"id": f"o{i}", "type": "order", "at": f"{day}T{(i // 60) % 24:02d}:{i % 60:02d}:00",
                     "order_id": f"O{i}", "amount": "99.00", "buyer_key": f"b{i % 50_000}",
                     "lines": [{"sku": "A01", "quantity": 1}]} for i in range(start, min(n, start + 5000))]
            f.write(json.dumps(line, separators=(",", ":")).encode() + b"\n")


def restart(n: int) -> None:
    """Seconds and peak RSS of a room opened on a log of `n` events (a fresh process)."""
    from dachu.app import Workspace

    day = Workspace.for_file(CAMPAIGN).plan().campaign.campaign.event_day.isoformat()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "events.ndjson"
        write_log(log, n, day)
        out = subprocess.run([sys.executable, "-c", RESTART_CHILD, str(CAMPAIGN), str(log)], check=True,
                             capture_output=True, text=True).stdout
    result = json.loads(out)
    label = f"{n // 1_000_000}M" if n >= 1_000_000 else str(n)
    emit(f"restart_{label}_seconds", result["seconds"], "s")
    emit(f"restart_{label}_seconds_vs_target", result["seconds"] / TARGET_RESTART_S, "ratio (lower is better)")
    emit(f"restart_{label}_peak_rss", result["rss"] / 1024**2, "MiB")
    emit(f"restart_{label}_peak_rss_vs_target", result["rss"] / TARGET_RESTART_RSS, "ratio (lower is better)")


def emit(metric: str, value: float, unit: str) -> None:
    print(json.dumps({"bench": "ingest", "metric": metric, "value": round(value, 4), "unit": unit}), flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def main() -> None:
    orders = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    sizes = [int(x) for x in (sys.argv[3] if len(sys.argv) > 3 else "1000000,10000000").split(",") if x]
    for senders in (1, 2, 4):
        ingest(orders, batch, senders)
    for n in sizes:
        restart(n)


def ingest(orders: int, batch: int, senders: int) -> None:
    """Events/s and ingest → SSE delay with `senders` connections (a fresh server each time)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "sim"
        subprocess.run([*DACHU, "simulate", str(CAMPAIGN), "--orders", str(orders), "--formats", "parquet,ad_spend",
                        "--out", str(out), "--format", "json"], check=True, capture_output=True)
        events = replay_events(out, busiest_day(out))
        bodies = [encode(events[i : i + batch]) for i in range(0, len(events), batch)]
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
            queue = list(enumerate(bodies))

            def send() -> None:
                client = Sender(url, token="bench-in")
                try:
                    while True:
                        with lock:
                            if not queue:
                                return
                            _, body = queue.pop(0)
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
            seconds = time.monotonic() - start
            time.sleep(1.5)
            stop.set()
            delays = []
            for began, seq in sent:
                arrival = next((at for at, s in seen if s >= seq and at >= began), None)
                if arrival is not None:
                    delays.append(arrival - began)
            rate = len(events) / seconds
            emit(f"events_{senders}conn", len(events), "events")
            emit(f"events_per_s_{senders}conn", rate, "events/s")
            emit(f"events_per_s_vs_target_{senders}conn", rate / TARGET_RATE, "ratio")
            emit(f"sse_delay_p50_{senders}conn", percentile(delays, 0.50), "s")
            emit(f"sse_delay_p99_{senders}conn", percentile(delays, 0.99), "s")
            p99 = percentile(delays, 0.99)
            emit(f"sse_delay_p99_vs_target_{senders}conn", p99 / TARGET_P99, "ratio (lower is better)")
            emit(f"batches_seen_on_sse_{senders}conn", len(delays) / len(sent), "ratio")
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    main()

