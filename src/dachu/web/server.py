"""The war-room web app (FastAPI): ingest API, dashboard page, snapshot and server-sent events.

Routes:
- `POST /api/events` — events (JSON object, JSON array, or NDJSON with `Content-Type: application/x-ndjson`);
  ingest token or HMAC signature. 200 `{"accepted", "duplicates", "seq"}`; 4xx `{"error": {...}}` naming
  the field, with the message and the fix in zh and en.
- `GET /` — the dashboard (`?token=<dashboard token>&lang=zh|en`).
- `GET /api/snapshot`, `GET /api/stream` (SSE, event `snapshot`) — dashboard token.
- `POST /api/import?name=…[&source=…&force=1]` — one export file as the body (`dachu import --server`),
  imported into the room's store in this process; ingest token or HMAC signature. 200 `{"results": [...]}`.
- `POST /api/stock/reserve|commit|release`, `GET /api/stock` — the stock ledger for a store's own checkout
  (ingest token or HMAC signature; the balances also with the dashboard token): 200, or 409 `{"short"}`.
- `GET /healthz` — `{"up": true}` to anyone; with the dashboard token the log, the store writer and the
  snapshot's age, 503 when any fails.
- `GET /static/…` — the page's script and ECharts (bundled, no CDN).

Every check a request can fail on the headers alone (credentials, a declared size) runs before its body
is read.

A broadcaster computes one snapshot whenever events arrived (checked every `tick` seconds) and hands it
to every open stream, so the page sees an ingested event within about `tick` plus the time to send.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import shutil
import time
from collections.abc import AsyncIterator
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from dachu import clock
from dachu.app.live import LiveRoom, metric_name_key, snapshot_json
from dachu.app.notify import TRACKER_OK
from dachu.errors import DachuError, IngestError
from dachu.i18n import CATALOGUE, LANGS, Lang, t
from dachu.report.assets import echarts_js
from dachu.web.auth import Guard

MAX_BODY = 16 * 1024 * 1024
"""Largest request body accepted (bytes)."""
MAX_IMPORT = 4 << 30
"""Largest export file `dachu import --server` may hand over (bytes)."""
STALE_SNAPSHOT = 15.0
"""Seconds after which the figures count as stuck (the broadcaster recomputes them at least every 5 s)."""

_STATIC = files("dachu.web").joinpath("static")


def _lang(request: Request) -> Lang:
    asked = request.query_params.get("lang") or request.headers.get("accept-language", "")
    return "zh" if asked.lower().startswith("zh") else "en"


def _error(exc: DachuError, lang: Lang) -> JSONResponse:
    body = {
        "error": {
            "code": exc.key,
            "field": getattr(exc, "field", ""),
            "message": exc.message(lang),
            "fix": exc.fix(lang),
            "zh": exc.render("zh"),
            "en": exc.render("en"),
        }
    }
    return JSONResponse(body, status_code=getattr(exc, "status", 422))


def _check_length(header: str | None) -> None:
    """Refuse a declared body over `MAX_BODY` before reading it (413)."""
    if header is None:
        return
    try:
        declared = int(header)
    except ValueError:
        raise IngestError("warroom.ingest.bad_length", status=400, value=header[:40]) from None
    if declared > MAX_BODY:
        raise IngestError("warroom.ingest.too_large", status=413, limit=MAX_BODY)


async def _read_capped(request: Request) -> bytes:
    """The body, read piece by piece and refused (413) as soon as it passes `MAX_BODY` (chunked uploads too)."""
    parts: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise IngestError("warroom.ingest.too_large", status=413, limit=MAX_BODY)
        parts.append(chunk)
    return b"".join(parts)


class Broadcaster:
    """Computes a snapshot when the room changed and fans it out to every subscriber queue."""

    def __init__(self, room: LiveRoom, tick: float) -> None:
        self.room = room
        self.tick = tick
        self.latest: str | None = None
        self.subscribers: set[asyncio.Queue[str]] = set()
        self._seq = -1
        self._task: asyncio.Task[None] | None = None
        self.published: float | None = None  # time.monotonic() of the last snapshot computed

    async def run(self) -> None:
        """Loop: every tick, if events arrived (or every 5 s for the clock-driven alerts), publish a snapshot."""
        last_alerts = 0.0
        while True:
            seq = self.room.state.seq
            # alerts depend on the clock too: re-evaluate at least every few seconds
            if seq != self._seq or time.monotonic() - last_alerts > 5:
                self._seq = seq
                last_alerts = time.monotonic()
                snap = await run_in_threadpool(self.room.snapshot)
                self.latest = snapshot_json(snap)
                self.published = time.monotonic()
                for queue in list(self.subscribers):
                    if queue.full():
                        with contextlib.suppress(asyncio.QueueEmpty):
                            queue.get_nowait()  # a slow reader gets only the newest figures
                    queue.put_nowait(self.latest)
            await asyncio.sleep(self.tick)

    def age(self) -> float | None:
        """Seconds since the last snapshot was computed (None before the first)."""
        return None if self.published is None else time.monotonic() - self.published

    def start(self) -> None:
        """Start the loop as a task of the running event loop."""
        self._task = asyncio.create_task(self.run())

    async def stop(self) -> None:
        """Cancel the loop."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


TILE_METRICS = {
    "gmv": "gmv_paid",
    "orders": "orders_placed",
    "paid": "orders_paid",
    "aov": "aov",
    "conversion": "conversion",
    "visitors": "visitors",
    "spend": "spend",
    "not_shipped": "backlog",
    "refunds": "refund_amount",
    "units_sold": "units_sold",
    "reminders_sent": "reminders_sent",
    "paid_after_reminder": "paid_after_reminder",
    "recovered_gmv": "recovered_gmv",
    "reminder_lift": "reminder_lift",
}
"""Dashboard figures that are metrics of the dictionary (`dachu.domain.metrics`): labelled by its names."""


def labels(lang: Lang) -> dict[str, str]:
    """Every dashboard label in `lang` (keys without the `warroom.page.` prefix), metric names from the dictionary."""
    prefix = "warroom.page."
    out = {k[len(prefix):]: t(k, lang) for k in CATALOGUE if k.startswith(prefix)}
    for label, metric_id in TILE_METRICS.items():
        out[label] = t(metric_name_key(metric_id), lang)
    return out


def create_app(room: LiveRoom, guard: Guard, *, tick: float = 0.1, close_room: bool = False) -> FastAPI:
    """The war-room app over `room`, checking credentials with `guard`.

    With `close_room`, the app owns the room: its shutdown (SIGTERM, SIGINT, uvicorn's exit) writes every
    logged event to the store and closes the room before the process goes — uvicorn re-raises the signal
    once it has stopped, so code after `Server.run` never runs on a signal.
    """
    broadcaster = Broadcaster(room, tick)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        broadcaster.start()
        try:
            yield
        finally:
            await broadcaster.stop()
            if close_room:
                await run_in_threadpool(room.close)

    app = FastAPI(title="dachu war room", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.room = room
    app.state.broadcaster = broadcaster

    @app.post("/api/events")
    async def ingest(request: Request) -> Response:
        lang = _lang(request)
        h = request.headers
        try:
            # credentials and size from the headers first: no body is read for a stranger or a giant
            now = clock.timestamp()
            signed = guard.admit(h.get("authorization"), h.get("x-dachu-timestamp"), h.get("x-dachu-signature"), now)
            _check_length(h.get("content-length"))
            body = await _read_capped(request)
            if signed:
                guard.check_signature(h.get("x-dachu-timestamp"), h.get("x-dachu-signature"), body, now)
            ndjson = "ndjson" in h.get("content-type", "")
            result = await run_in_threadpool(room.ingest, body, ndjson)
        except IngestError as exc:
            return _error(exc, lang)
        answer: dict[str, Any] = {"accepted": result.accepted, "duplicates": result.duplicates, "seq": result.seq}
        if result.set_aside:
            answer["set_aside"] = list(result.set_aside)
        return JSONResponse(answer)

    @app.post("/api/stock/{kind}")
    async def stock_call(kind: str, request: Request) -> Response:
        """The stock API for a store's own checkout: reserve / commit / release an order (idempotent by id)."""
        lang = _lang(request)
        h = request.headers
        try:
            if kind not in ("reserve", "commit", "release"):
                raise IngestError("stock.api.unknown_call", status=404, kind=kind[:20])
            now = clock.timestamp()
            signed = guard.admit(h.get("authorization"), h.get("x-dachu-timestamp"), h.get("x-dachu-signature"), now)
            _check_length(h.get("content-length"))
            body = await _read_capped(request)
            if signed:
                guard.check_signature(h.get("x-dachu-timestamp"), h.get("x-dachu-signature"), body, now)
            status, answer = await run_in_threadpool(room.stock_call, kind, body)
        except DachuError as exc:
            return _error(exc, lang)
        return JSONResponse(answer, status_code=status)

    @app.get("/api/stock")
    async def stock_balances(request: Request) -> Response:
        """Every SKU's balance (the ingest token, or the dashboard's: it only reads)."""
        lang = _lang(request)
        h = request.headers
        try:
            if not guard.check_read(h.get("authorization"), request.query_params.get("token")):
                guard.admit(h.get("authorization"), None, None, clock.timestamp())
            answer = await run_in_threadpool(room.stock_balances)
        except DachuError as exc:
            return _error(exc, lang)
        return JSONResponse(answer)

    @app.post("/api/sms/{kind}")
    async def sms_push(kind: str, request: Request) -> Response:
        """The SMS provider's pushes (Alibaba Cloud's HTTP batch push of SmsUp / SmsReport).

        The ingest token in the header or, since the provider calls a fixed URL, as `?token=` in it.
        """
        lang = _lang(request)
        h = request.headers
        try:
            if kind not in ("up", "report"):
                raise IngestError("warroom.sms.unknown_kind", status=404, kind=kind[:20])
            query = request.query_params.get("token")
            authorization = h.get("authorization") or (f"Bearer {query}" if query else None)
            if guard.admit(authorization, None, None, clock.timestamp()):
                raise IngestError("warroom.auth.missing", status=401)
            _check_length(h.get("content-length"))
            body = await _read_capped(request)
            changed = await run_in_threadpool(room.sms_push, kind, body)
        except DachuError as exc:
            return _error(exc, lang)
        return JSONResponse({"code": 0, "msg": "成功", "changed": changed})

    @app.post("/api/logistics/kuaidi100")
    async def tracking_push(request: Request) -> Response:
        """快递100's subscription push (订阅推送: form fields `param` and `sign`) into `shipment_events`.

        The ingest token as `?token=` in the callback URL (or the header); the signature checked when
        `DACHU_KUAIDI100_SALT` is set (the salt the subscription gave). Answered as the tracker expects.
        """
        lang = _lang(request)
        h = request.headers
        try:
            query = request.query_params.get("token")
            authorization = h.get("authorization") or (f"Bearer {query}" if query else None)
            if guard.admit(authorization, None, None, clock.timestamp()):
                raise IngestError("warroom.auth.missing", status=401)
            _check_length(h.get("content-length"))
            body = await _read_capped(request)
            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
            except UnicodeDecodeError:
                raise IngestError("warroom.tracking.bad_body", status=400, detail="not UTF-8") from None
            param = (form.get("param") or [""])[0]
            sign = (form.get("sign") or [""])[0]
            added = await run_in_threadpool(room.tracking_push, param, sign)
        except DachuError as exc:
            return _error(exc, lang)
        return JSONResponse({**TRACKER_OK, "added": added})

    @app.post("/api/import")
    async def import_file(request: Request) -> Response:
        lang = _lang(request)
        h = request.headers
        folder: Path | None = None
        try:
            now = clock.timestamp()
            signed = guard.admit(h.get("authorization"), h.get("x-dachu-timestamp"), h.get("x-dachu-signature"), now)
            room.check_can_import()  # before a byte of the file is received
            name = Path(request.query_params.get("name") or "").name
            if not name:
                raise IngestError("warroom.import.no_name", status=400)
            declared = h.get("content-length")
            if declared is not None and declared.isdigit() and int(declared) > MAX_IMPORT:
                raise IngestError("warroom.import.too_large", status=413, limit=MAX_IMPORT)
            # under its own folder, with its own name: importers tell formats by header and name the file in
            # the import log and the quarantine
            folder = room.log.path.parent / "imports" / secrets.token_hex(8)
            folder.mkdir(parents=True)
            path = folder / name
            mac = guard.body_mac(h.get("x-dachu-timestamp")) if signed else None
            size = 0
            with path.open("wb") as out:
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > MAX_IMPORT:
                        raise IngestError("warroom.import.too_large", status=413, limit=MAX_IMPORT)
                    out.write(chunk)
                    if mac is not None:
                        mac.update(chunk)
            if mac is not None:
                guard.check_mac(h.get("x-dachu-signature"), mac, now)
            force = request.query_params.get("force") == "1"
            source = request.query_params.get("source") or None
            results = await run_in_threadpool(lambda: room.import_files([path], source=source, force=force))
        except DachuError as exc:
            return _error(exc, lang)
        finally:
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
        # the sender knows the file by its own name, not the server's copy
        return JSONResponse({"results": [{**r.as_dict(), "file": name} for r in results]})

    def _read_denied(request: Request) -> Response | None:
        if guard.check_read(request.headers.get("authorization"), request.query_params.get("token")):
            return None
        key = "warroom.page.unauthorised"
        return JSONResponse({"error": {"code": key, "zh": t(key, "zh"), "en": t(key, "en")}}, status_code=401)

    @app.get("/api/snapshot")
    async def snapshot(request: Request) -> Response:
        denied = _read_denied(request)
        if denied is not None:
            return denied
        return Response(snapshot_json(await run_in_threadpool(room.snapshot)), media_type="application/json")

    @app.get("/api/stream")
    async def stream(request: Request) -> Response:
        denied = _read_denied(request)
        if denied is not None:
            return denied
        queue: asyncio.Queue[str] = asyncio.Queue(maxsize=2)
        first = broadcaster.latest or snapshot_json(await run_in_threadpool(room.snapshot))

        async def events() -> AsyncIterator[str]:
            broadcaster.subscribers.add(queue)
            try:
                yield "retry: 1000\n\n"
                yield f"event: snapshot\ndata: {first}\n\n"
                while True:
                    try:
                        data = await asyncio.wait_for(queue.get(), timeout=15)
                    except TimeoutError:
                        yield ": keep-alive\n\n"
                        continue
                    yield f"event: snapshot\ndata: {data}\n\n"
            finally:
                broadcaster.subscribers.discard(queue)

        headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
        return StreamingResponse(events(), media_type="text/event-stream", headers=headers)

    @app.get("/")
    async def page(request: Request) -> Response:
        lang = _lang(request)
        if not guard.check_read(request.headers.get("authorization"), request.query_params.get("token")):
            return HTMLResponse(f"<!doctype html><meta charset=utf-8><p>{t('warroom.page.unauthorised', lang)}</p>",
                                status_code=401)
        html = _STATIC.joinpath("warroom.html").read_text(encoding="utf-8")
        config = {"lang": lang, "labels": labels(lang), "langs": list(LANGS)}
        html = html.replace("__LANG__", lang).replace("__TITLE__", t("warroom.page.title", lang))
        html = html.replace("__CONFIG__", json.dumps(config, ensure_ascii=False).replace("</", "<\\/"))
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})

    @app.get("/static/echarts.min.js")
    async def echarts() -> Response:
        return Response(echarts_js(), media_type="application/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/static/warroom.js")
    async def script() -> Response:
        return Response(_STATIC.joinpath("warroom.js").read_text(encoding="utf-8"), media_type="application/javascript")

    @app.get("/healthz")
    async def health(request: Request) -> Response:
        # a bare "up" for anyone (a load balancer's probe); the details only with the dashboard token
        if not guard.check_read(request.headers.get("authorization"), request.query_params.get("token")):
            return JSONResponse({"up": True})
        report = room.health()
        age = broadcaster.age()
        report["snapshot_age_seconds"] = None if age is None else round(age, 3)
        if age is None or age > STALE_SNAPSHOT:
            report["ok"] = False
        return JSONResponse(report, status_code=200 if report["ok"] else 503)

    return app
