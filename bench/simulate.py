"""Benchmark `dachu simulate`: orders generated and written per second, and peak memory as the size grows.

Each size runs in its own process (peak RSS is per process). The memory metric is the ratio of the
larger run's peak to the smaller's: flat streaming gives ≈ 1.0.

Usage: python bench/simulate.py [small] [large]
(defaults 200,000 and 1,000,000 campaign orders; history orders add half again).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

CAMPAIGN = Path(__file__).resolve().parent.parent / "tests" / "data" / "simulate_campaign.yaml"

CHILD = """
import json, resource, sys, time
from pathlib import Path
from dachu.domain.campaign.file import parse_campaign
from dachu.domain.plan.plan import make_plan
from dachu.data.exports import PLATFORM_FORMATS, ExportOptions
from dachu.data.simulate.run import run_simulation
from dachu.data.simulate.setup import Options
plan = make_plan(parse_campaign(Path(sys.argv[1]).read_text(encoding="utf-8"), "bench"))
start = time.perf_counter()
result = run_simulation(plan, Options(orders=int(sys.argv[2]), seed=1), Path(sys.argv[3]),
                        ExportOptions(formats=PLATFORM_FORMATS["tmall"]))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"orders": result.orders, "seconds": seconds, "peak_kib": peak}))
"""


def run(orders: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(CAMPAIGN), str(orders), out],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def emit(metric: str, value: float, unit: str) -> None:
    print(json.dumps({"bench": "simulate", "metric": metric, "value": round(value, 3), "unit": unit}))


def main() -> None:
    small_n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    large_n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    small, large = run(small_n), run(large_n)
    for n, r in ((small_n, small), (large_n, large)):
        emit(f"orders_per_second_{n}", r["orders"] / r["seconds"], "orders/s")
        emit(f"peak_rss_{n}", r["peak_kib"] / 1024, "MiB")
    emit("peak_memory_ratio_large_vs_small", large["peak_kib"] / small["peak_kib"], "ratio")
    emit(
        "throughput_ratio_large_vs_small",
        (large["orders"] / large["seconds"]) / (small["orders"] / small["seconds"]),
        "ratio",
    )


if __name__ == "__main__":
    main()
