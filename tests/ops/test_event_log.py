"""The event log under a real write fault: a file-size limit (RLIMIT_FSIZE) set on a real process.

The kernel refuses the bytes past the limit: the write that crosses it is short, the next one fails with
EFBIG — what a full disk does to a log (ENOSPC) without needing a small filesystem. The log must answer
507, keep no part of the refused line, and write again once there is room.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dachu.errors import IngestError
from dachu.ops.event_log import EventLog

CHILD = r"""
import json, resource, signal, sys
from pathlib import Path
from dachu.errors import IngestError
from dachu.ops.event_log import EventLog

path, limit = Path(sys.argv[1]), int(sys.argv[2])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # past the limit: EFBIG instead of being killed
log = EventLog(path)
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
acked, refused = [], []
for i in range(200):
    line = json.dumps([{"id": f"e{i}", "pad": "x" * 90}]).encode()
    try:
        log.append(line)
        acked.append(i)
    except IngestError as exc:
        refused.append([i, exc.status, exc.key])
resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))  # room again
log.append(json.dumps([{"id": "after"}]).encode())
print(json.dumps({"acked": acked, "refused": refused}))
"""


def test_a_full_disk_refuses_the_batch_keeps_no_torn_line_and_writes_again(tmp_path: Path) -> None:
    path = tmp_path / "events.ndjson"
    limit = 4096 + 37  # not on a line boundary: the line crossing it is written in part, then cut back
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), str(limit)], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    result = json.loads(out)
    assert result["acked"] and result["refused"]
    assert {status for _, status, _ in result["refused"]} == {507}
    assert {key for _, _, key in result["refused"]} == {"warroom.log.full"}
    data = path.read_bytes()
    assert data.endswith(b"\n")
    ids = [json.loads(line)[0]["id"] for line in data.splitlines()]
    # exactly the acknowledged lines, in order, then the one written once there was room: nothing torn
    assert ids == [f"e{i}" for i in result["acked"]] + ["after"]
    assert len(data) - len(b'[{"id": "after"}]\n') <= limit


def test_an_io_error_is_503_and_cut_back(tmp_path: Path) -> None:
    log = EventLog(tmp_path / "events.ndjson")
    log.append(b'["first"]')
    good = log.size
    import os

    os.close(log._fd)  # the descriptor goes bad under the log: EBADF on write, as an I/O error would
    log._fd = os.open(tmp_path / "events.ndjson", os.O_RDONLY)
    with pytest.raises(IngestError) as err:
        log.append(b'["second"]')
    assert (err.value.status, err.value.key) == (503, "warroom.log.write_failed")
    assert log.error is not None and (tmp_path / "events.ndjson").stat().st_size == good
    log.close()
