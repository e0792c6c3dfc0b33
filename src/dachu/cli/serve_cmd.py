"""`dachu serve` and `dachu replay`: the war room (作战室) and the client that feeds it."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dachu.app import Workspace
from dachu.cli.common import FormatOption, LangOption, console, friendly_errors, h, resolve_lang
from dachu.errors import InputError
from dachu.i18n import t

if TYPE_CHECKING:
    from dachu.web.run import Entrance


def serve(
    file: Annotated[Path, typer.Argument(help=h("warroom.arg.file"))],
    host: Annotated[str, typer.Option("--host", help=h("warroom.opt.host"))] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help=h("warroom.opt.port"))] = 8000,
    log: Annotated[Path | None, typer.Option("--log", help=h("warroom.opt.log"))] = None,
    store: Annotated[Path | None, typer.Option("--store", help=h("warroom.opt.store"))] = None,
    stock: Annotated[str, typer.Option("--stock", help=h("stock.cli.url_help"))] = "sqlite",
    flush_every: Annotated[
        float, typer.Option("--flush-every", min=0.01, help=h("warroom.opt.flush_every"))
    ] = 0.5,
    snapshot_every: Annotated[
        float, typer.Option("--snapshot-every", min=0.1, help=h("warroom.opt.snapshot_every"))
    ] = 30.0,
    remind_every: Annotated[
        float, typer.Option("--remind-every", min=0, help=h("warroom.opt.remind_every"))
    ] = 60.0,
    webhook: Annotated[str | None, typer.Option("--webhook", help=h("warroom.opt.webhook"))] = None,
    ingest_token: Annotated[str | None, typer.Option("--ingest-token", help=h("warroom.opt.ingest_token"))] = None,
    dashboard_token: Annotated[
        str | None, typer.Option("--dashboard-token", help=h("warroom.opt.dashboard_token"))
    ] = None,
    hmac_secret: Annotated[str | None, typer.Option("--hmac-secret", help=h("warroom.opt.hmac_secret"))] = None,
    webhook_secret: Annotated[
        str | None, typer.Option("--webhook-secret", help=h("warroom.opt.webhook_secret"))
    ] = None,
    lang: LangOption = None,
) -> None:
    """Start the war room and serve until interrupted."""
    from dachu.app.live import LiveRoom, SeenSignatures, alert_robots, load_secrets, tune_gc
    from dachu.app.stock import stock_url
    from dachu.web.run import serve as serve_room

    tune_gc()  # before the room reads its snapshot and log: the start-up's parsing gains as much as the ingest

    lang_ = resolve_lang(lang)
    workspace = Workspace.for_file(file)
    live_dir = file.parent / "live"
    secret = hmac_secret or os.environ.get("DACHU_HMAC_SECRET")
    # tokens: the option, else the environment, else the 0600 file beside the campaign (made once); never printed
    keys = load_secrets(live_dir / "secrets.json", {
        "ingest_token": ingest_token or os.environ.get("DACHU_INGEST_TOKEN"),
        "dashboard_token": dashboard_token or os.environ.get("DACHU_DASHBOARD_TOKEN"),
        "webhook_secret": webhook_secret or os.environ.get("DACHU_WEBHOOK_SECRET"),
        "address_key": os.environ.get("DACHU_ADDRESS_KEY"),
    })
    # the campaign's payment reminders, run on the store every `remind_every` seconds (0: not in this room)
    remind = None
    if remind_every > 0 and workspace.campaign().remind.enabled:
        from dachu.app.remind import LiveReminders

        remind = LiveReminders(file, dict(os.environ), keys.address_key, remind_every)
    store_path = store or workspace.store_path
    room = LiveRoom(workspace.plan(), log or live_dir / "events.ndjson", webhook=webhook,
                    webhook_secret=keys.webhook_secret, store_path=store_path,
                    stock=stock_url(stock, store_path.parent),
                    flush_every=flush_every, snapshot_every=snapshot_every, store_process=True,
                    reminders=remind, robots=alert_robots(workspace.campaign(), os.environ, file.parent),
                    tracking_salt=os.environ.get("DACHU_KUAIDI100_SALT") or None)
    term = console()
    if room.stock is not None:
        term.print(t("stock.cli.ledger", lang_, url=room.stock.stock.backend.url), soft_wrap=True)
    if room.restored:
        term.print(t("warroom.serve.restored", lang_, count=room.restored))
    if room.snapshot_unused:
        why = t(f"warroom.snapshot.{room.snapshot_unused}", lang_)
        term.print(t("warroom.serve.snapshot_unused", lang_, why=why), style="yellow")
    if room.rebuilt:
        term.print(t("warroom.serve.rebuilt", lang_, count=room.rebuilt))

    def ready(entrance: Entrance) -> None:
        url = entrance.url
        term.print(t("warroom.serve.ready", lang_, url=f"{url}/?lang={lang_}&token=…"), soft_wrap=True)
        mode = "warroom.serve.ingest_signed" if entrance.ingest_token is None else "warroom.serve.ingest"
        term.print(t(mode, lang_, url=url), soft_wrap=True)
        term.print(t("warroom.serve.secrets", lang_, path=str(keys.path)), soft_wrap=True)

    # with an HMAC secret the ingest takes signed requests only: a leaked bearer token cannot write
    serve_room(room, dashboard_token=keys.dashboard_token, ingest_token=None if secret else keys.ingest_token,
               hmac_secret=secret, seen=SeenSignatures(live_dir / "signatures.log", 300) if secret else None,
               host=host, port=port, ready=ready)


def replay(
    source: Annotated[Path, typer.Argument(help=h("warroom.opt.source"))],
    url: Annotated[str, typer.Option("--url", help=h("warroom.opt.url"))] = "http://127.0.0.1:8000",
    token: Annotated[str | None, typer.Option("--token", help=h("warroom.opt.ingest_token"))] = None,
    hmac_secret: Annotated[str | None, typer.Option("--hmac-secret", help=h("warroom.opt.hmac_secret"))] = None,
    speed: Annotated[float, typer.Option("--speed", help=h("warroom.opt.speed"))] = 60.0,
    batch: Annotated[int, typer.Option("--batch", help=h("warroom.opt.batch"))] = 1000,
    from_hour: Annotated[int, typer.Option("--from-hour", help=h("warroom.opt.from_hour"))] = 0,
    limit: Annotated[int | None, typer.Option("--limit", help=h("warroom.opt.limit"))] = None,
    day: Annotated[str | None, typer.Option("--day", help=h("warroom.opt.day"))] = None,
    lang: LangOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Replay a simulated or imported campaign day through the ingest API."""
    from dachu.app.live import replay_day

    lang_ = resolve_lang(lang)
    if not 0 <= from_hour <= 23:
        raise InputError("warroom.replay.bad_from_hour", value=from_hour)
    try:
        the_day = dt.date.fromisoformat(day) if day else None
    except ValueError:
        raise InputError("warroom.replay.bad_day", value=day) from None
    stats = replay_day(source, url, token=token or os.environ.get("DACHU_INGEST_TOKEN"),
                       secret=hmac_secret or os.environ.get("DACHU_HMAC_SECRET"), day=the_day, from_hour=from_hour,
                       limit=limit, speed=speed, batch=batch)
    if fmt == "json":
        print(json.dumps({"events": stats.events, "accepted": stats.accepted, "duplicates": stats.duplicates,
                          "requests": stats.requests, "seconds": round(stats.seconds, 3)}))
        return
    console().print(t("warroom.replay.done", lang_, events=f"{stats.events:,}", requests=stats.requests,
                      seconds=f"{stats.seconds:.1f}", rate=f"{stats.rate:,.0f}"))


def register(app: typer.Typer) -> None:
    """Add `dachu serve` and `dachu replay` to the program."""
    app.command("serve", help=h("warroom.serve.help"))(friendly_errors(serve))
    app.command("replay", help=h("warroom.replay.help"))(friendly_errors(replay))
