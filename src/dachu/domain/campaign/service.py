"""The campaign file's `service:` section (客服): inquiries, the service target and the team.

The staffing calculation (Erlang C) is `dachu.domain.prepare.staffing`; the rota `dachu.domain.prepare.rota`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, Field

from dachu.domain.types import Count, Factor, Model, PositiveCount, Rate


class ServiceTeam(Model):
    """The current customer-service team (客服团队): pre-sale (售前), after-sale (售后), temporary (临时)."""

    presale: Count = 0
    aftersale: Count = 0
    temporary: Count = 0

    @property
    def size(self) -> int:
        """Every agent, temporary ones included."""
        return self.presale + self.aftersale + self.temporary

    def agent_ids(self) -> list[str]:
        """Ids the rota and leave requests use: P01… pre-sale, S01… after-sale, T01… temporary."""
        out: list[str] = []
        for prefix, count in (("P", self.presale), ("S", self.aftersale), ("T", self.temporary)):
            width = max(2, len(str(count)))
            out += [f"{prefix}{i:0{width}d}" for i in range(1, count + 1)]
        return out


class Leave(Model):
    """A personal leave request (请假): the agent id (P01, S03, T02 …) and the dates off."""

    agent: str
    dates: Annotated[list[dt.date], Field(min_length=1)]


DEFAULT_CONTRACT = "default"
"""The key of `contract_days` that applies to every temporary agent not named."""


def _contract_map(value: object) -> object:
    """`contract_days: 12` is short for `contract_days: {default: 12}`."""
    if isinstance(value, int) and not isinstance(value, bool):
        return {DEFAULT_CONTRACT: value}
    return value


class Service(Model):
    """The campaign file's `service:` section (客服): inquiries, service target and the team.

    `inquiry_rate`: share of visitors who open a chat. `handle_seconds`: one chat's handle time.
    `chats_per_agent`: chats an agent handles at once. `target_share` of first replies within
    `target_seconds` (e.g. 80% within 20 s). `shrinkage`: share of paid time not on chats.
    `month`: the rota's month as YYYY-MM (default: the event day's month). `days_off`: days off a month.
    `contract_days`: the days a temporary agent (T01…) works in the rota's month by contract (合同天数),
    as one number for every temporary agent, or as `{default: 12, T03: 8}`; a temporary agent with no
    contract days works like the regular team (the month less `days_off`). Checked in
    `checks.check_service` (between 1 and the regular team's working days; keys name temporary agents).
    """

    inquiry_rate: Rate
    handle_seconds: Factor = Decimal(180)
    chats_per_agent: PositiveCount = 1
    target_share: Rate = Decimal("0.8")
    target_seconds: Count = 20
    shrinkage: Rate = Decimal("0.3")
    agents: ServiceTeam = ServiceTeam()
    leave: tuple[Leave, ...] = ()
    month: Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")] | None = None
    days_off: Count = 4
    contract_days: Annotated[dict[str, int], BeforeValidator(_contract_map)] = Field(default_factory=dict)

    def work_days(self) -> dict[str, int]:
        """Each temporary agent's contract days in the month (only agents that have some)."""
        out: dict[str, int] = {}
        default = self.contract_days.get(DEFAULT_CONTRACT)
        for agent in self.agents.agent_ids():
            if not agent.startswith("T"):
                continue
            days = self.contract_days.get(agent, default)
            if days is not None:
                out[agent] = days
        return out
