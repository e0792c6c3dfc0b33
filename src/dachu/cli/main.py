"""The `dachu` program: a Typer app with one module per command group.

Each command module exposes `register(app)`; add a module to `COMMANDS` to add its commands.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

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
    stock_cmd,
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
    stock_cmd,
)
for _module in COMMANDS:
    _module.register(app)


class _CatalogueHelp:
    """A command whose `--help` option says what it does in the catalogue's words (Click's are English)."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = h("cli.opt.help")
        return option


_WITH_HELP: dict[type, type] = {}


def _with_help(cls: type) -> type:
    if cls not in _WITH_HELP:
        _WITH_HELP[cls] = type(cls.__name__, (_CatalogueHelp, cls), {"__doc__": cls.__doc__})
    return _WITH_HELP[cls]


def _catalogue_help(tree: typer.Typer) -> None:
    """Give every command and group of `tree` the catalogue's `--help` text: one place for the whole program."""
    tree.info.cls = _with_help(tree.info.cls or TyperGroup)
    for command in tree.registered_commands:
        command.cls = _with_help(command.cls or TyperCommand)
    for group in tree.registered_groups:
        if group.typer_instance is not None:
            _catalogue_help(group.typer_instance)


_catalogue_help(app)


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
