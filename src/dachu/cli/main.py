"""The `dachu` program: a Typer app with one module per command group.

Each command module exposes `register(app)`; add a module to `COMMANDS` to add its commands.
"""

from __future__ import annotations

from typing import Annotated

import typer

from dachu.cli import (
    calendar_cmd,
    demo_cmd,
    import_cmd,
    init_cmd,
    metrics_cmd,
    notify_cmd,
    plan_cmd,
    prepare_cmd,
    remind_cmd,
    review_cmd,
    serve_cmd,
    simulate_cmd,
    staff_cmd,
)
from dachu.cli.common import STATE, h

app = typer.Typer(
    name="dachu",
    help=h("cli.app.help"),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)

COMMANDS = (
    init_cmd, plan_cmd, prepare_cmd, calendar_cmd, staff_cmd, simulate_cmd, import_cmd, demo_cmd, metrics_cmd,
    review_cmd,
    serve_cmd,
    remind_cmd,
    notify_cmd,
)
for _module in COMMANDS:
    _module.register(app)


@app.callback()
def _root(
    lang: Annotated[str | None, typer.Option("--lang", help=h("cli.opt.lang"), show_default=False)] = None,
    debug: Annotated[bool, typer.Option("--debug", help=h("cli.opt.debug"))] = False,
) -> None:
    STATE.lang = lang
    STATE.debug = debug


def main() -> None:
    """Entry point of the `dachu` console script."""
    app()
