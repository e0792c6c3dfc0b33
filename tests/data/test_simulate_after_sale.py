"""The simulator's reply waits, complaints, DSR ratings and shipping list: realistic and consistent."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from dachu.data.exports import PLATFORM_FORMATS, ExportOptions
from dachu.data.importers import import_files
from dachu.data.simulate import batch as b
from dachu.data.simulate.generate import generate
from dachu.data.simulate.run import run_simulation
from dachu.data.simulate.setup import Options, build_setup
from dachu.data.store import Store
from dachu.domain.campaign.file import parse_campaign
from dachu.domain.plan.plan import Plan, make_plan

CAMPAIGN = Path(__file__).parent / "simulate_campaign.yaml"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return make_plan(parse_campaign(CAMPAIGN.read_text(encoding="utf-8"), str(CAMPAIGN)))


OPTIONS = Options(orders=30_000, seed=5, chunk_size=10_000)


@pytest.fixture(scope="module")
def batches(plan: Plan) -> list[b.Batch]:
    return list(generate(build_setup(plan, OPTIONS)))


def test_reply_waits_include_the_first_reply_and_differ_by_agent(batches: list[b.Batch]) -> None:
    agent = np.concatenate([x.cs.agent for x in batches])
    first = np.concatenate([x.cs.first_response - x.cs.started for x in batches])
    wait = np.concatenate([x.cs.reply_wait for x in batches])
    replies = np.concatenate([x.cs.replies for x in batches])
    ended = np.concatenate([x.cs.ended - x.cs.started for x in batches])
    assert (wait >= first).all() and (replies >= 1).all()
    assert (ended >= wait).all()  # a chat lasts at least as long as its waits
    per_agent = [wait[agent == a].sum() / replies[agent == a].sum() for a in np.unique(agent)]
    # agents answer at their own pace: a spread, around docs/domain.md's 30–40 s good practice (the rush adds)
    assert max(per_agent) > 1.15 * min(per_agent)
    assert 20 < float(np.median(per_agent)) < 120


def test_complaints_are_a_few_tenths_of_a_percent_to_two_percent_of_paid_orders(
    plan: Plan, batches: list[b.Batch]
) -> None:
    as_of = build_setup(plan, OPTIONS).as_of  # the export time: nothing in an export is later
    paid = sum(int((x.orders.paid != b.NONE).sum()) for x in batches)
    cases = sum(len(x.complaints) for x in batches)
    assert 0.002 < cases / paid < 0.02
    for x in batches:
        o, c = x.orders, x.complaints
        assert (o.paid[c.order_row] != b.NONE).all()  # only paid orders are complained about
        assert (c.opened <= as_of).all() and (c.closed <= as_of).all()
        assert len(np.unique(c.order_row)) == len(c)  # one case per order at most
        closed = c.closed != b.NONE
        assert (c.closed[closed] > c.opened[closed]).all()


def test_dsr_is_mostly_five_with_a_tail_and_follows_confirmation(batches: list[b.Batch]) -> None:
    scores = np.concatenate([np.concatenate([x.ratings.description, x.ratings.service, x.ratings.logistics])
                             for x in batches])
    assert set(np.unique(scores).tolist()) <= {1, 2, 3, 4, 5}
    assert 0.75 < float((scores == 5).mean()) < 0.95
    assert 4.6 < float(scores.mean()) < 4.95
    for x in batches:
        r, o = x.ratings, x.orders
        assert (o.confirmed[r.order_row] != b.NONE).all()
        assert (r.rated >= o.confirmed[r.order_row]).all()


def test_the_shipping_list_holds_every_shipped_order_once(plan: Plan, tmp_path: Path) -> None:
    result = run_simulation(
        plan,
        Options(orders=2000, seed=2, chunk_size=700),
        tmp_path,
        ExportOptions(formats=("shipments", "complaints", "dsr_ratings", "cs_sessions")),
    )
    shipped = sum(
        int((x.orders.shipped != b.NONE).sum())
        for x in generate(build_setup(plan, Options(orders=2000, seed=2, chunk_size=700)))
    )
    files = {f.path.name.split("_2")[0]: f for f in result.files}
    assert files["shipments"].rows == shipped
    with open(files["shipments"].path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["订单编号", "店铺名称", "物流公司", "运单号", "发货时间", "签收时间"]
    assert len({r[0] for r in rows[1:]}) == shipped
    ratings = files["dsr_ratings"].path.read_bytes().decode("gbk").splitlines()
    assert ratings[0] == "订单编号,买家会员名,评价时间,描述相符,服务态度,物流服务"
    assert ratings[1].startswith('="')  # the seller centre's Excel-proof ids


@pytest.mark.parametrize("platform", ["tmall", "jd"])
def test_simulated_files_import_keyed_to_their_orders(plan: Plan, tmp_path: Path, platform: str) -> None:
    # given the files in the order the simulator lists them (JD's orders come in its line-level export)
    result = run_simulation(
        plan, Options(orders=1500, seed=3), tmp_path, ExportOptions(formats=PLATFORM_FORMATS[platform]), platform
    )
    with Store.open(":memory:") as st:
        results = import_files(st, [f.path for f in result.files])
        assert all(r.rejected == 0 for r in results)
        for table, key in (("complaints", "platform, order_id"), ("dsr_ratings", "platform, order_id")):
            n, same = st.con.execute(
                f"SELECT count(*), count(*) FILTER (WHERE t.buyer_key = o.buyer_key) FROM {table} t "
                f"JOIN orders o USING ({key})"
            ).fetchone() or (0, 0)
            total = st.con.execute(f"SELECT count(*) FROM {table}").fetchone()
            assert total == (n,) and n == same > 0, table
        linked, same = st.con.execute(
            "SELECT count(*), count(*) FILTER (WHERE c.buyer_key = o.buyer_key) FROM cs_sessions c "
            "JOIN orders o USING (order_id)"
        ).fetchone() or (0, 0)
        assert linked == same > 0
        assert st.con.execute("SELECT count(*) FROM shipments").fetchone() == st.con.execute(
            "SELECT count(shipped_at) FROM orders"
        ).fetchone()
