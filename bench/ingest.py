"""Benchmark the war room's ingest: sustained events per second (batched) and the ingest → SSE delay.

The server runs as a subprocess (`dachu serve`) on a loopback port with a fresh event log (every batch
fsynced before it is acknowledged). The client is the replay client (`dachu.ops.replay.Sender`) sending a
simulated campaign day as NDJSON batches, flat out, from `--senders` threads; a third thread reads the SSE
stream. Delay = time from sending a batch to the first snapshot whose `seq` includes it (p50, p99).

The ratios are against the issue's target: ≥ 20,000 events/s batched, p99 delay < 1 s, on 2 cores
(client and server share them). Usage: python bench/ingest.py [orders] [batch] (defaults 100,000 and 5,000).
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
TARGET_RATE = 20_000.0
TARGET_P99 = 1.0
DACHU = [str(Path(sys.executable).parent / "dachu")]


def emit(metric: str, value: float, unit: str) -> None:
    print(json.dumps({"bench": "ingest", "metric": metric, "value": round(value, 4), "unit": unit}), flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def main() -> None:
    orders = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    senders = 2
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
            [*DACHU, "serve", str(CAMPAIGN), "--port", str(port), "--log", str(Path(tmp) / "events.ndjson")],
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
            emit("events", len(events), "events")
            emit("events_per_s", rate, "events/s")
            emit("events_per_s_vs_target", rate / TARGET_RATE, "ratio")
            emit("sse_delay_p50", percentile(delays, 0.50), "s")
            emit("sse_delay_p99", percentile(delays, 0.99), "s")
            emit("sse_delay_p99_vs_target", percentile(delays, 0.99) / TARGET_P99, "ratio (lower is better)")
            emit("batches_seen_on_sse", len(delays) / len(sent), "ratio")
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    main()

