"""The store writer in its own process (what `dachu serve` runs): the same store as in the room's process,
and a writer that dies is reported, then caught up by the next start from its checkpoint."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

from dachu.app.live import LiveRoom
from tests.web.conftest import PLAN
from tests.web.test_store_sink import BATCH_1, BATCH_2, tables


def in_process(folder: Path) -> dict[str, list[tuple[object, ...]]]:
    folder.mkdir()
    room = LiveRoom(PLAN, folder / "events.ndjson", store_path=folder / "dachu.duckdb")
    for batch in (BATCH_1, BATCH_2):
        room.ingest(json.dumps(batch).encode())
    room.close()
    return tables(folder / "dachu.duckdb")


def with_writer(run: Path, flush_every: float) -> LiveRoom:
    run.mkdir(exist_ok=True)
    return LiveRoom(PLAN, run / "events.ndjson", store_path=run / "dachu.duckdb", store_process=True,
                    flush_every=flush_every)


def test_the_writer_process_writes_the_store_the_room_would(tmp_path: Path) -> None:
    expected = in_process(tmp_path / "ref")
    run = tmp_path / "run"
    room = with_writer(run, 0.05)
    assert room.sink is None and room.writer is not None
    room.ingest(json.dumps(BATCH_1).encode())
    room.ingest(json.dumps(BATCH_2).encode())
    room.flush()
    health = room.health()
    assert health["store"] == {"ok": True, "error": None, "behind_bytes": 0}
    room.close()
    assert tables(run / "dachu.duckdb") == expected


def test_a_writer_that_dies_is_reported_and_the_next_start_catches_up(tmp_path: Path) -> None:
    expected = in_process(tmp_path / "ref")
    run = tmp_path / "run"
    room = with_writer(run, 3600)
    room.ingest(json.dumps(BATCH_1).encode())
    room.flush()
    assert room.writer is not None
    os.kill(room.writer._proc.pid or 0, signal.SIGKILL)  # the writer killed, the room still up
    room.writer._proc.join(10)
    room.ingest(json.dumps(BATCH_2).encode())  # accepted: the log holds it
    health = room.health()
    assert not health["ok"] and "exited" in health["store"]["error"] and health["store"]["behind_bytes"] > 0
    room.close(flush=False)
    began = time.monotonic()
    again = with_writer(run, 0.5)
    assert time.monotonic() - began < 20
    again.close()  # its writer resumed at the checkpoint: batch 2 once, batch 1 not again
    assert tables(run / "dachu.duckdb") == expected


def test_a_line_damaged_on_disk_is_set_aside_by_the_writer_and_the_rest_written(tmp_path: Path) -> None:
    expected = in_process(tmp_path / "ref")
    run = tmp_path / "run"
    room = with_writer(run, 3600)
    room.ingest(json.dumps(BATCH_1).encode())
    damaged_at = (run / "events.ndjson").stat().st_size
    with (run / "events.ndjson").open("ab") as f:  # bytes gone bad between the room's two lines
        f.write(b'[{"id": "x", "type": "order", "at": "not a time"}]\n')
    room.ingest(json.dumps(BATCH_2).encode())
    room.flush()
    room.close(flush=False)
    entries = [json.loads(line) for line in (run / "events.ndjson.bad").read_text().splitlines()]
    assert [e["offset"] for e in entries] == [damaged_at]
    assert tables(run / "dachu.duckdb") == expected
