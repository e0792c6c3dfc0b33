"""One decision, carried by the plan: the plan, the review and the war room work to the same floor and stretch.

The double11 example is the case that once split them: its floor is reachable net of spend, its stretch is
not. Worked by hand from the plan's own scenarios: the working method is the seed method for both (never a
net-of-spend floor of ¥1,139,505 above a seed stretch of ¥651,859), so every area's floor is ¥457,941 and
its stretch ¥651,859.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from dachu.app import Workspace
from dachu.app.live import LiveRoom
from dachu.data.store import Store
from dachu.domain import day_profile


def _workspace(tmp_path: Path, example: str = "double11") -> Workspace:
    ws = Workspace(tmp_path)
    ws.init(example, "en")
    return ws


def test_double11_works_by_the_seed_method_for_both_targets(tmp_path: Path) -> None:
    plan = _workspace(tmp_path).plan()
    assert plan.scenario("floor", "net_of_spend").reachable
    assert not plan.scenario("stretch", "net_of_spend").reachable
    assert (plan.floor.method, plan.stretch.method) == ("seed", "seed")
    assert plan.working.reason == "plan.working.seed_stretch"
    assert plan.floor.gmv == Decimal(457941)
    assert plan.stretch.gmv == Decimal(651859)
    assert plan.capacity.scenario == "stretch/seed"


def test_seed_2013_works_net_of_spend_when_both_are_reachable(tmp_path: Path) -> None:
    plan = _workspace(tmp_path, "seed-2013").plan()
    assert (plan.floor.method, plan.stretch.method) == ("net_of_spend", "net_of_spend")
    assert plan.working.reason == "plan.working.net_of_spend"


def test_plan_review_and_war_room_agree(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    plan = ws.plan()
    with Store.open(ws.store_path):
        pass  # an empty store: the review's plan columns do not depend on the data
    review = ws.review()
    headline = next(s for s in review.sections if s.id == "headline")
    gmv = next(f for f in headline.figures if f.id == "gmv_paid")
    assert (gmv.floor, gmv.stretch) == (plan.floor.gmv, plan.stretch.gmv)

    room = LiveRoom(plan, tmp_path / "events.ndjson")
    try:
        hourly = room.snapshot()["hourly"]
    finally:
        room.close()
    # the war room's pace lines: the plan's working floor and stretch GMV × the day's running order share
    shares = day_profile.cumulative()
    assert hourly["floor"] == [round(float(plan.floor.gmv * s), 2) for s in shares]
    assert hourly["stretch"] == [round(float(plan.stretch.gmv * s), 2) for s in shares]
    assert hourly["floor"] != hourly["stretch"]
    assert hourly["floor"][-1] == 457941.0 and hourly["stretch"][-1] == 651859.0
