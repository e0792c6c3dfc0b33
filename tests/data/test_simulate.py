"""The simulator: determinism, the statistical shape of a campaign, consistency, streaming."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from dachu.data.exports import FORMATS, ExportOptions
from dachu.data.simulate import batch as b
from dachu.data.simulate.generate import generate
from dachu.data.simulate.run import run_simulation
from dachu.data.simulate.setup import PHASE_CODE, Options, build_setup
from dachu.domain.campaign.file import parse_campaign
from dachu.domain.plan.plan import Plan, make_plan

CAMPAIGN = Path(__file__).parent / "simulate_campaign.yaml"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return make_plan(parse_campaign(CAMPAIGN.read_text(encoding="utf-8"), str(CAMPAIGN)))


@pytest.fixture(scope="module")
def orders(plan: Plan) -> dict[str, np.ndarray]:
    """60,000 campaign orders (+30,000 history), concatenated from every batch (small enough for a test)."""
    setup = build_setup(plan, Options(orders=60_000, seed=11, chunk_size=20_000))
    keys = ("buyer", "created", "paid", "shipped", "phase", "paid_later", "refund", "status", "n_lines")
    parts: dict[str, list[np.ndarray]] = {k: [] for k in keys}
    for batch in generate(setup):
        for k in keys:
            parts[k].append(getattr(batch.orders, k))
    return {k: np.concatenate(v) for k, v in parts.items()}


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_writes_the_same_bytes_and_another_seed_does_not(plan: Plan, tmp_path: Path) -> None:
    exports = ExportOptions(formats=FORMATS, xlsx=True)
    run_simulation(plan, Options(orders=1500, seed=4, chunk_size=1000), tmp_path / "a", exports)
    run_simulation(plan, Options(orders=1500, seed=4, chunk_size=1000), tmp_path / "b", exports)
    run_simulation(plan, Options(orders=1500, seed=5, chunk_size=1000), tmp_path / "c", exports)
    a, b_, c = _digest(tmp_path / "a"), _digest(tmp_path / "b"), _digest(tmp_path / "c")
    assert len(a) >= 15
    assert a == b_
    assert a["ExportOrderList202611210000.csv"] != c["ExportOrderList202611210000.csv"]


def test_the_event_day_opens_with_the_midnight_rush(orders: dict[str, np.ndarray]) -> None:
    event = orders["phase"] == PHASE_CODE["event"]
    hour = (orders["created"][event] % 86400) // 3600
    share = np.bincount(hour, minlength=24) / event.sum()
    # day_profile.ORDER_SHARES: 18% in hour 0; the evening (20–23h) 5.2+5.8+6.0+6.7 = 23.7%.
    assert share[0] == pytest.approx(0.18, abs=0.002)
    assert share[20:24].sum() == pytest.approx(0.237, abs=0.003)
    assert share[0] > 3 * share[12]


def test_over_a_fifth_of_orders_go_unpaid_at_first_and_a_third_of_those_pay_later(
    orders: dict[str, np.ndarray],
) -> None:
    never = orders["paid"] == b.NONE
    later = orders["paid_later"]
    not_at_once = never | later
    assert not_at_once.mean() > 0.20
    assert (later.sum() / not_at_once.sum()) == pytest.approx(1 / 3, abs=0.03)
    paid_later_delay = orders["paid"][later] - orders["created"][later]
    assert paid_later_delay.min() > 3600


def test_returning_buyers_of_the_year_before_exist(orders: dict[str, np.ndarray]) -> None:
    history = orders["phase"] == PHASE_CODE["history"]
    past = set(orders["buyer"][history].tolist())
    campaign = orders["buyer"][~history]
    returning = np.isin(campaign, list(past)).mean()
    assert 0.2 < returning < 0.6


def test_refunds_and_a_shipping_backlog_after_the_event_day(orders: dict[str, np.ndarray]) -> None:
    paid = orders["paid"] != b.NONE
    assert 0.04 < (orders["refund"][paid] > 0).mean() < 0.12
    shipped = orders["shipped"] != b.NONE
    wait = (orders["shipped"] - orders["paid"]) / 3600
    event = shipped & (orders["phase"] == PHASE_CODE["event"])
    ordinary = shipped & (orders["phase"] == PHASE_CODE["preparation"])
    assert np.median(wait[event]) > 2 * np.median(wait[ordinary])
    assert (orders["n_lines"] > 1).mean() > 0.15


def test_every_paid_line_has_a_buy_event_by_its_buyer(plan: Plan) -> None:
    setup = build_setup(plan, Options(orders=4000, seed=2, chunk_size=1500))
    for batch in generate(setup):
        o, li, e = batch.orders, batch.lines, batch.events
        buys = set(
            zip(
                e.visitor[e.behaviour == b.BUY].tolist(),
                e.product[e.behaviour == b.BUY].tolist(),
                e.at[e.behaviour == b.BUY].tolist(),
                strict=True,
            )
        )
        paid = o.paid[li.order_row] != b.NONE
        expected = set(
            zip(
                o.buyer[li.order_row][paid].tolist(),
                li.product[paid].tolist(),
                o.paid[li.order_row][paid].tolist(),
                strict=True,
            )
        )
        assert expected <= buys
        assert (e.behaviour == b.BUY).sum() == paid.sum()
        views = e.behaviour == b.PV
        assert views.sum() > len(li)


def test_cs_first_responses_slow_down_in_the_rush(plan: Plan) -> None:
    setup = build_setup(plan, Options(orders=20_000, seed=3))
    rush, calm = [], []
    for batch in generate(setup):
        s, o = batch.cs, batch.orders
        wait = s.first_response - s.started
        phase = np.where(s.order_row >= 0, o.phase[np.maximum(s.order_row, 0)], -1)
        hour = (s.started % 86400) // 3600
        rush.append(wait[(phase == PHASE_CODE["event"]) & (hour == 0)])
        calm.append(wait[phase == PHASE_CODE["history"]])
    assert np.median(np.concatenate(rush)) > 3 * np.median(np.concatenate(calm))
    assert setup.agents >= 2


def test_generation_is_a_stream_of_bounded_batches(plan: Plan) -> None:
    setup = build_setup(plan, Options(orders=10_000, seed=1, chunk_size=2_000))
    sizes = [len(batch.orders) for batch in generate(setup)]
    assert max(sizes) <= 2_000
    assert sum(sizes) == 15_000  # 10,000 campaign + 5,000 history (half by default)


_PEAK = """
import json, resource, sys
from pathlib import Path
from dachu.domain.campaign.file import parse_campaign
from dachu.domain.plan.plan import make_plan
from dachu.data.exports import ExportOptions
from dachu.data.simulate.run import run_simulation
from dachu.data.simulate.setup import Options
plan = make_plan(parse_campaign(Path(sys.argv[1]).read_text(encoding="utf-8"), "c"))
run_simulation(plan, Options(orders=int(sys.argv[2]), seed=1, chunk_size=20_000), Path(sys.argv[3]),
               ExportOptions(formats=("tmall67", "taobao_items", "user_behavior", "cs_sessions", "traffic")))
print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""


def _peak_kib(orders: int, out: Path) -> int:
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, str(CAMPAIGN), str(orders), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.slow
def test_memory_stays_flat_as_the_simulation_grows(tmp_path: Path) -> None:
    small = _peak_kib(20_000, tmp_path / "small")
    large = _peak_kib(160_000, tmp_path / "large")
    assert large < small * 1.25
