"""The dashboard's pace lines follow the plan's working floor and stretch (one decision, carried by the plan)."""

from __future__ import annotations

from pathlib import Path

import httpx

from dachu.app import Workspace
from tests.web.conftest import DASH, start


def test_the_snapshot_paces_the_floor_and_the_stretch_of_the_double11_plan(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path)
    workspace.init("double11", "en")
    srv = start(tmp_path, plan=workspace.plan())
    try:
        hourly = httpx.get(f"{srv.url}/api/snapshot", headers={"Authorization": f"Bearer {DASH}"}).json()["hourly"]
    finally:
        srv.running.stop()
        srv.room.close()
    floor, stretch = hourly["floor"], hourly["stretch"]
    assert len(floor) == len(stretch) == 24
    assert all(f < s for f, s in zip(floor, stretch, strict=True))
    assert floor == sorted(floor) and stretch == sorted(stretch)
    # the working scenarios of the plan (tests/app/test_agreement.py works them by hand)
    assert (floor[-1], stretch[-1]) == (457941, 651859)
