"""Generate a simulation and write it: the work behind `dachu simulate`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dachu.data.exports import ExportOptions, Sink, open_sinks
from dachu.data.simulate.generate import generate
from dachu.data.simulate.people import People
from dachu.data.simulate.setup import Options, Setup, build_setup
from dachu.domain.plan.plan import Plan


@dataclass(frozen=True)
class Written:
    """One file (or Parquet folder) written and its rows (orders for Parquet)."""

    path: Path
    rows: int


@dataclass(frozen=True)
class SimulationResult:
    """What a simulation wrote: orders generated (history included) and each file."""

    orders: int
    history_orders: int
    files: tuple[Written, ...]


Progress = Callable[[int, int], None]


def run_simulation(
    plan: Plan,
    options: Options,
    out: Path,
    exports: ExportOptions,
    platform: str | None = None,
    progress: Progress | None = None,
) -> SimulationResult:
    """Generate every batch and append it to every chosen format; `progress(done, total)` after each batch."""
    setup: Setup = build_setup(plan, options, platform)
    people = People.make(options.seed)
    sinks: list[Sink] = open_sinks(setup, people, out, exports)
    done = 0
    try:
        for batch in generate(setup):
            for sink in sinks:
                sink.write(batch)
            done += len(batch.orders)
            if progress is not None:
                progress(done, setup.total_orders)
    finally:
        for sink in sinks:
            sink.close()
    return SimulationResult(done, setup.history_orders, tuple(Written(s.path, s.rows) for s in sinks))
