"""The war room keeps the channels' listings within the ledger's stock: "set listed quantity" actions through
the outbox to the CSV for a manual upload, each exactly once (the double11 example, 天猫 0.6 / 京东 0.4)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from dachu.app import Workspace, example_text
from dachu.app.remind import LiveReminders
from tests.web.conftest import start


def rows(folder: Path) -> list[list[str]]:
    path = folder / "out" / "listings.csv"
    return list(csv.reader(path.read_text("utf-8-sig").splitlines()))[1:] if path.exists() else []


def test_the_room_sets_a_falling_listing_lower_once(tmp_path: Path) -> None:
    text = example_text("double11", "zh").replace(
        "    listed_ratio: 0.95", "    channels: {天猫: 0.6, 京东: 0.4}\n    listed_ratio: 0.95", 1)
    campaign = tmp_path / "campaign.yaml"
    campaign.write_text(text, encoding="utf-8")
    srv = start(tmp_path, store=tmp_path / "dachu.duckdb", plan=Workspace.for_file(campaign).plan(),
                stock=str(tmp_path / "stock.sqlite"), reminders=LiveReminders(campaign, {}, "k", every=3600))
    try:
        srv.room.ingest(json.dumps([{"id": "t1", "type": "traffic", "at": "2026-11-11T09:00:00", "page": "activity",
                                     "source": "首页", "visitors": 3}]).encode())
        srv.room.flush()
        first = srv.room.remind()
        assert first is not None
        synced = {r[0]: r[3] for r in rows(tmp_path)}
        # A03 (蜂蜜礼盒) 4,000 in stock: 3,800 listed, 天猫 2,280 and 京东 1,520
        assert "2280" in synced["listing:天猫:A03:1"] and "1520" in synced["listing:京东:A03:1"]
        srv.room.ingest(json.dumps([{"id": "o1", "type": "order", "at": "2026-11-11T09:05:00", "order_id": "L1",
                                     "amount": "398000.00", "buyer_key": "b1",
                                     "lines": [{"sku": "A03", "quantity": 2000}]}]).encode())
        srv.room.flush()
        srv.room.remind()
        lowered = {r[0]: r[3] for r in rows(tmp_path)} .keys() - synced.keys()
        # 2,000 held: 1,900 listed, 天猫 1,140 and 京东 760 — both listed more: both set lower
        assert lowered == {"listing:天猫:A03:2", "listing:京东:A03:2"}
        texts = {r[0]: r[3] for r in rows(tmp_path)}
        assert "1140" in texts["listing:天猫:A03:2"] and "760" in texts["listing:京东:A03:2"]
        before = len(rows(tmp_path))
        srv.room.remind()
        assert len(rows(tmp_path)) == before  # nothing changed: nothing sent again
    finally:
        srv.running.stop()
        srv.room.close()


def test_a_listing_the_channel_adapter_does_not_take_raises_the_out_of_step_alert(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on: the adapter is down
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    text = example_text("double11", "zh").replace(
        "    listed_ratio: 0.95", "    channels: {天猫: 1}\n    listing_sender: webhook\n    listed_ratio: 0.95", 1)
    text += f"\nsenders:\n  webhook:\n    url: http://127.0.0.1:{port}/listing\n    secret_env: LISTING_SECRET\n"
    campaign = tmp_path / "campaign.yaml"
    campaign.write_text(text, encoding="utf-8")
    srv = start(tmp_path, store=tmp_path / "dachu.duckdb", plan=Workspace.for_file(campaign).plan(),
                stock=str(tmp_path / "stock.sqlite"),
                reminders=LiveReminders(campaign, {"LISTING_SECRET": "s"}, "k", every=3600))

    def traffic(n: int, at: str) -> None:
        srv.room.ingest(json.dumps([{"id": f"t{n}", "type": "traffic", "at": at, "page": "activity", "source": "首页",
                                     "visitors": 3}]).encode())
        srv.room.flush()

    try:
        traffic(1, "2026-11-11T09:00:00")
        first = srv.room.remind()
        assert first is not None and first["listings"] == []  # just planned: not out of step yet
        traffic(2, "2026-11-11T09:15:00")
        later = srv.room.remind()
        assert later is not None and ["天猫", "A03", "3800", "stock.listing.pending 10"] in later["listings"]
        alerts = [a for a in srv.room.snapshot()["alerts"] if a["kind"] == "listing_out_of_step"]
        a03 = next(a for a in alerts if a["params"]["sku"] == "A03")
        assert "3800" in a03["message"]["zh"] and "等待超过 10 分钟" in a03["message"]["zh"]
        assert "pending over 10 minutes" in a03["message"]["en"]
    finally:
        srv.running.stop()
        srv.room.close()


def test_a_listing_goes_to_the_channel_adapter_signed_and_is_refused_once(tmp_path: Path) -> None:
    """A key naming a channel in Chinese travels percent-encoded in the header (headers are ASCII)."""
    import http.server
    import threading
    from urllib.parse import unquote

    got: list[tuple[str, dict[str, str]]] = []

    class Refuse(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            got.append((unquote(self.headers["X-Dachu-Message-Key"]), body["params"]))
            self.send_response(400)  # the adapter refuses: failed for good, not retried blindly
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    text = example_text("double11", "zh").replace(
        "    listed_ratio: 0.95", "    channels: {天猫: 1}\n    listing_sender: webhook\n    listed_ratio: 0.95", 1)
    text += (f"\nsenders:\n  webhook:\n    url: http://127.0.0.1:{httpd.server_address[1]}/listing\n"
             "    secret_env: LISTING_SECRET\n")
    campaign = tmp_path / "campaign.yaml"
    campaign.write_text(text, encoding="utf-8")
    srv = start(tmp_path, store=tmp_path / "dachu.duckdb", plan=Workspace.for_file(campaign).plan(),
                stock=str(tmp_path / "stock.sqlite"),
                reminders=LiveReminders(campaign, {"LISTING_SECRET": "s"}, "k", every=3600))
    try:
        srv.room.ingest(json.dumps([{"id": "t1", "type": "traffic", "at": "2026-11-11T09:00:00", "page": "activity",
                                     "source": "首页", "visitors": 3}]).encode())
        srv.room.flush()
        result = srv.room.remind()
        assert ("listing:天猫:A03:1", {"channel": "天猫", "sku": "A03", "quantity": "3800"}) in got
        assert result is not None and ["天猫", "A03", "3800", "stock.listing.failed"] in result["listings"]
        alert = next(a for a in srv.room.snapshot()["alerts"]
                     if a["kind"] == "listing_out_of_step" and a["params"]["sku"] == "A03")
        assert "发送失败" in alert["message"]["zh"] and "sending failed" in alert["message"]["en"]
        calls = len(got)
        srv.room.remind()
        assert len(got) == calls + 4  # a failed listing is followed by a new action (n = 2), each sent once
        assert {k for k, _ in got[calls:]} == {f"listing:天猫:{sku}:2" for sku in ("A01", "A02", "A03", "A04")}
    finally:
        srv.running.stop()
        srv.room.close()
        httpd.shutdown()
        httpd.server_close()
