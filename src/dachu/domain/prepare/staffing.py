"""Customer-service staffing (客服排班人数, docs/domain.md §3, §8): agents needed per hour by Erlang C.

The model, step by step:

1. Inquiries (咨询量) in an hour = the hour's visitors × `inquiry_rate` (the share of visitors who open a
   chat). The event day's visitors are the stretch scenario's traffic × the resource multiplier (capacity
   is prepared for the stretch, docs/domain.md §3), spread over the hours by `day_profile.VISITOR_SHARES`.
2. Traffic in Erlangs A = inquiries × handle time / 3600 s.
3. Concurrent chats: an agent who handles `c` chats at once is modelled as `c` servers, each with the full
   `handle_seconds` (the handle time is measured per chat while multitasking, as chat tools report it).
   So servers N are found by Erlang C, and agents = ⌈N / c⌉.
4. Erlang C (M/M/N queue): P(wait) = C(N, A) computed from the Erlang B recursion
   B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)) — no factorials or powers, stable for thousands of servers;
   C = N·B / (N − A·(1 − B)). The share answered within `target_seconds` t is
   SL = 1 − C·exp(−(N − A)·t / handle). N is the smallest count with N > A and SL ≥ `target_share`.
   N ≤ A is an unstable queue (the wait grows without bound): reported, never divided by.
5. Shrinkage (损耗: breaks, training, absence): scheduled = ⌈agents / (1 − shrinkage)⌉.

Published check (Erlang C worked example): 100 contacts per 30 min, 180 s → 10 Erlangs; 13 agents answer
79.56% within 20 s, 14 agents 88.84% → 14; with 30% shrinkage 14 / 0.7 = 20.

The campaign file's optional `service:` section is the `Service` model below.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from dachu.domain.campaign.service import Service, ServiceTeam
from dachu.domain.day_profile import VISITOR_SHARES, spread
from dachu.domain.money import ONE, ZERO, ceil_int
from dachu.domain.plan.plan import capacity_visitors

if TYPE_CHECKING:
    from dachu.domain.plan.plan import Plan

ONLINE_FROM = 9
"""Online service (在线时间) opens at 9:00 …"""
ONLINE_TO_SLOT = 47
"""… and closes at 23:30 (half-hour slot 47 of the day). Hours 0–8 run on auto-reply."""








# ---------------------------------------------------------------- Erlang C


def erlang_b(servers: int, traffic: float) -> float:
    """Blocking probability B(N, A) by the recursion B(n) = A·B(n−1) / (n + A·B(n−1)); B(0) = 1."""
    b = 1.0
    for n in range(1, servers + 1):
        b = traffic * b / (n + traffic * b)
    return b


def _erlang_c_from_b(servers: int, traffic: float, b: float) -> float:
    return servers * b / (servers - traffic * (1 - b))


@dataclass(frozen=True)
class Queue:
    """How a queue of `traffic` Erlangs behaves with `servers` servers.

    `stable` is False when servers ≤ traffic: the queue grows without bound, so `wait_probability` is 1,
    `service_level` 0 and `average_wait_seconds` None (infinite).
    """

    servers: int
    traffic: float
    stable: bool
    wait_probability: float
    service_level: float
    average_wait_seconds: float | None

    @property
    def occupancy(self) -> float:
        """Share of server time busy (A / N); above 1 when unstable."""
        return self.traffic / self.servers if self.servers else math.inf


def queue(servers: int, traffic: float, handle_seconds: float, target_seconds: float) -> Queue:
    """Erlang C figures for `servers` serving `traffic` Erlangs (unstable when servers ≤ traffic)."""
    if traffic <= 0:
        return Queue(servers, 0.0, True, 0.0, 1.0, 0.0)
    if servers <= traffic:
        return Queue(servers, traffic, False, 1.0, 0.0, None)
    return _queue_from_b(servers, traffic, erlang_b(servers, traffic), handle_seconds, target_seconds)


def _queue_from_b(servers: int, traffic: float, b: float, handle: float, target: float) -> Queue:
    c = _erlang_c_from_b(servers, traffic, b)
    sl = 1 - c * math.exp(-(servers - traffic) * target / handle)
    asa = c * handle / (servers - traffic)
    return Queue(servers, traffic, True, c, sl, asa)


def servers_needed(
    traffic: float, handle_seconds: float, target_share: float, target_seconds: float
) -> Queue:
    """The smallest stable server count whose service level reaches `target_share` (and its figures).

    Walks N upward from ⌊A⌋ + 1 carrying B(N) along, so the cost is O(N) in total, not O(N²).
    """
    if traffic <= 0:
        return Queue(0, 0.0, True, 0.0, 1.0, 0.0)
    n = math.floor(traffic) + 1
    b = erlang_b(n, traffic)
    while True:
        q = _queue_from_b(n, traffic, b, handle_seconds, target_seconds)
        if q.service_level >= target_share:
            return q
        n += 1
        b = traffic * b / (n + traffic * b)


@dataclass(frozen=True)
class Staffing:
    """Agents for one period by Erlang C, then per agent and with shrinkage.

    `servers` are concurrent chats, `agents` = servers ÷ chats per agent,
    `scheduled` = agents ÷ (1 − shrinkage).
    `traffic` is in Erlangs. `agents` excludes shrinkage; `scheduled` includes it.
    """

    contacts: Decimal
    traffic: Decimal
    servers: int
    agents: int
    scheduled: int
    service_level: float
    wait_probability: float
    average_wait_seconds: float


def staff_for(
    contacts: Decimal,
    period_seconds: int,
    handle_seconds: Decimal,
    *,
    chats_per_agent: int = 1,
    target_share: Decimal = Decimal("0.8"),
    target_seconds: int = 20,
    shrinkage: Decimal = ZERO,
) -> Staffing:
    """Agents needed for `contacts` arriving over `period_seconds` (Erlang C, then shrinkage).

    Raises:
        ValueError: shrinkage of 100% or more, or a target share of 100% or more (never reachable).
    """
    if shrinkage >= 1:
        raise ValueError("shrinkage must be below 1")
    if target_share >= 1:
        raise ValueError("target_share must be below 1")
    traffic = contacts * handle_seconds / period_seconds
    q = servers_needed(float(traffic), float(handle_seconds), float(target_share), float(target_seconds))
    agents = ceil_int(Decimal(q.servers) / chats_per_agent)
    scheduled = ceil_int(Decimal(agents) / (ONE - shrinkage))
    return Staffing(
        contacts,
        traffic,
        q.servers,
        agents,
        scheduled,
        q.service_level,
        q.wait_probability,
        q.average_wait_seconds or 0.0,
    )


# ---------------------------------------------------------------- hourly staffing of a day


@dataclass(frozen=True)
class HourStaffing:
    """One hour of one day: visitors, inquiries, Erlangs and agents.

    `online` is False for hours outside 9:00–23:30 (auto-reply; the rota staffs none of them except hours
    0–1 on a day whose busiest hour is midnight, with the midnight shift).
    """

    hour: int
    visitors: int
    staffing: Staffing
    online: bool


def hourly_staffing(visitors: int, service: Service) -> list[HourStaffing]:
    """A day's 24 hours: `visitors` spread by the event-day visitor shape, then Erlang C per hour."""
    out: list[HourStaffing] = []
    for hour, v in enumerate(spread(visitors, VISITOR_SHARES)):
        s = staff_for(
            v * service.inquiry_rate,
            3600,
            service.handle_seconds,
            chats_per_agent=service.chats_per_agent,
            target_share=service.target_share,
            target_seconds=service.target_seconds,
            shrinkage=service.shrinkage,
        )
        out.append(HourStaffing(hour, v, s, hour >= ONLINE_FROM))
    return out


def event_visitors(plan: Plan) -> int:
    """Event-day visitors to staff for: the working stretch's traffic × the resource multiplier."""
    return capacity_visitors(plan)


def day_visitors(plan: Plan, date: dt.date) -> int:
    """Visitors to staff for on `date`: the event day's, else the daily plan's row, else an ordinary day."""
    if date == plan.campaign.campaign.event_day:
        return event_visitors(plan)
    row = next((d for d in plan.daily if d.date == date), None)
    return row.visitors if row is not None else plan.campaign.store.baseline_daily_uv


# ---------------------------------------------------------------- the event day's arrangement


@dataclass(frozen=True)
class EventDayArrangement:
    """Who works the event day (docs/domain.md §3): pre-sale agents move to after-sale, pre-sale on auto-reply.

    `day_peak` is the most agents any hour 9–16 needs, `night_peak` any hour 17–23 (scheduled, shrinkage
    included). One agent works one shift, so `headcount` = day_peak + night_peak is the fewest agents who
    can cover the online hours; `to_hire` the temporary agents missing beyond the current team.
    `offline_peak` is the most agents an hour outside online service would need.

    The midnight shift (零点班 00:00–02:00) is offered when midnight is the busiest hour (hour 0 needs more than
    every online hour, as on the event day): `midnight_peak` agents in hours 0–1 (0 when not offered). A
    midnight agent can work the half-day or the night shift that day but not the 9:00 day shift, so covering
    midnight too takes `midnight_headcount` = the agents only the day shift can cover (hours 9 and 15–16)
    + `midnight_peak`; `midnight_to_hire` the agents to hire for it beyond `to_hire`. Hours the team cannot
    cover stay on auto-reply.
    """

    presale: int
    aftersale: int
    temporary: int
    aftersale_on_day: int
    day_peak: int
    night_peak: int
    headcount: int
    to_hire: int
    offline_peak: int
    midnight_peak: int = 0
    midnight_headcount: int = 0
    midnight_to_hire: int = 0


def midnight_peak(need: list[int]) -> int:
    """Agents the midnight shift needs (most of hours 0–1) when midnight is the day's busiest hour, else 0."""
    if len(need) < 24 or need[0] <= max(need[ONLINE_FROM:24]):
        return 0
    return max(need[0:2])


def arrange_event_day(hours: list[HourStaffing], team: ServiceTeam) -> EventDayArrangement:
    """The event day's arrangement for `team` given the day's hourly staffing."""
    need = [h.staffing.scheduled for h in hours]
    day_peak = max(need[ONLINE_FROM:17], default=0)
    night_peak = max(need[17:24], default=0)
    headcount = day_peak + night_peak
    midnight = midnight_peak(need)
    # 9:00–10:00 and 15:30–17:00 only the day shift covers; its agents cannot also work midnight
    day_only = max(need[ONLINE_FROM], need[15], need[16]) if len(need) == 24 else 0
    with_midnight = max(headcount, day_only + midnight) if midnight else 0
    to_hire = max(0, headcount - team.size)
    return EventDayArrangement(
        presale=team.presale,
        aftersale=team.aftersale,
        temporary=team.temporary,
        aftersale_on_day=team.size,
        day_peak=day_peak,
        night_peak=night_peak,
        headcount=headcount,
        to_hire=to_hire,
        offline_peak=max(need[:ONLINE_FROM], default=0),
        midnight_peak=midnight,
        midnight_headcount=with_midnight,
        midnight_to_hire=max(0, with_midnight - team.size - to_hire),
    )


def unstable_hours(hours: list[HourStaffing], team_size: int, service: Service) -> list[int]:
    """Hours in which the whole team on chats would face more Erlangs than its servers: an unstable queue."""
    servers = team_size * service.chats_per_agent
    return [h.hour for h in hours if h.staffing.traffic > 0 and servers <= h.staffing.traffic]


# ---------------------------------------------------------------- cross-field checks






