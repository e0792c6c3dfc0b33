"""The war-room page in headless Chromium: it loads, figures change as events arrive, no console errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
import pytest

from tests.browser import chromium_page
from tests.web.conftest import DASH, INGEST, Server, at

DOCS_SHOT = Path(__file__).resolve().parents[2] / "docs" / "war-room.png"


def events(n0: int, count: int, minute: int) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for n in range(n0, n0 + count):
        sku = "A" if n % 3 == 0 else "B"
        out.append({"id": f"o{n}", "type": "order", "at": at(minute), "order_id": f"O{n}", "amount": "129.00",
                    "buyer_key": f"k{n}", "lines": [{"sku": sku, "quantity": 1}], "source": "直通车"})
        if n % 5:
            out.append({"id": f"p{n}", "type": "payment", "at": at(minute + 1), "order_id": f"O{n}",
                        "amount": "129.00"})
    out.append({"id": f"t{n0}", "type": "traffic", "at": at(minute), "page": "activity", "source": "直通车",
                "visitors": count * 20})
    out.append({"id": f"t{n0}s", "type": "traffic", "at": at(minute), "page": "store", "source": "organic",
                "visitors": count * 5})
    out.append({"id": f"a{n0}", "type": "ad_spend", "at": at(minute), "channel": "直通车", "spend": "12.50"})
    return out


def ingest(server: Server, body: list[dict[str, object]]) -> None:
    r = httpx.post(f"{server.url}/api/events", content=json.dumps(body).encode(),
                   headers={"Authorization": f"Bearer {INGEST}"})
    assert r.status_code == 200


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_loads_and_figures_follow_the_ingest(server: Server, lang: str) -> None:
    first = events(0, 40, 3)  # 40 orders, 32 paid, traffic twice, ad spend once: 75 events
    ingest(server, first)
    with chromium_page(1400, 1000) as b:
        b.page.goto(f"{server.url}/?token={DASH}&lang={lang}")
        b.page.wait_for_function(f"Number(document.body.dataset.seq) === {len(first)}", timeout=10_000)
        assert b.errors == []
        assert b.page.inner_text("#t-orders") == "40"
        title = "大促作战室" if lang == "zh" else "Mega-sale war room"
        assert b.page.inner_text("h1") == title
        ingest(server, events(40, 60, 20))
        b.page.wait_for_function("document.getElementById('t-orders').textContent === '100'", timeout=5_000)
        # 80 of 100 orders paid at ¥129: ¥10,320.00
        assert b.page.inner_text("#t-gmv") == "¥10,320.00"
        assert b.page.locator("#products tr").count() == 3
        b.page.wait_for_timeout(300)  # let ECharts finish drawing before the picture
        shot = b.screenshot(f"war-room-{lang}")
        assert b.errors == []
        assert "k1" not in b.page.content().replace("k1\"", "")
    if lang == "en":
        shutil.copyfile(shot, shot.with_name("war-room.png"))
