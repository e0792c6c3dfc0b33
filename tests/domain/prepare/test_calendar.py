"""The calendar: the task library (≥60, groups, no cycles), dating for 2026-11-11, progress and overdue."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dachu.data.calendar_state import load_templates
from dachu.domain.prepare.calendar import (
    GROUPS,
    PhaseBounds,
    TaskTemplate,
    TemplateError,
    date_tasks,
    overdue_by_group,
    parse_templates,
    task_status,
)

EVENT = dt.date(2026, 11, 11)


@pytest.fixture(scope="module")
def dated():
    return {d.id: d for d in date_tasks(load_templates(), EVENT)}


def test_library_has_at_least_60_tasks_in_every_group():
    templates = load_templates()
    assert len(templates) >= 60
    assert {t.group for t in templates} == set(GROUPS)
    assert len({t.id for t in templates}) == len(templates)
    assert all(t.zh and t.en for t in templates)


def test_library_dates_respect_every_dependency(dated):
    for task in dated.values():
        assert task.pushed == 0, f"{task.id} is moved by its dependencies"
        for dep in task.template.after:
            assert dated[dep].end < task.start, f"{task.id} starts before {dep} ends"


@pytest.mark.parametrize(
    ("task_id", "first", "last"),
    [
        ("design.zuanzhan_creatives", None, "2026-10-14"),  # submitted before 10.15
        ("ads.coupons_hang", "2026-10-15", "2026-11-01"),   # hung 10.15–11.1
        ("ads.ztc_keywords", "2026-10-15", None),           # core keywords from 10.15
        ("ads.ztc_targeting", "2026-11-01", None),          # 定向 from 11.1
        ("design.home_page", None, "2026-10-31"),           # home page by 11.1
        ("warehouse.inbound", None, "2026-11-04"),          # in the warehouse a week before
        ("warehouse.full_count", "2026-11-08", "2026-11-09"),  # 3 and 2 days before
        ("members.sms_prewarm", "2026-11-01", "2026-11-05"),
        ("members.sms_after", "2026-11-12", "2026-11-15"),
        ("members.wake_up", "2026-11-01", "2026-11-04"),    # 10 to 7 days before
        ("members.warm_notice", "2026-11-08", "2026-11-08"),  # 3 days before
        ("members.start_notice", "2026-11-10", "2026-11-11"),  # the day before and the day
        ("product.listing_times", None, "2026-11-04"),      # set a week ahead
        ("members.new_care", "2026-11-26", "2026-12-01"),   # 15–20 days after
        ("cs.hire_temps", "2026-09-15", "2026-09-30"),      # in September
    ],
    ids=lambda v: v if isinstance(v, str) and "." in v else None,
)
def test_named_facts_dated_for_2026(dated, task_id, first, last):
    task = dated[task_id]
    if first is not None:
        assert task.start == dt.date.fromisoformat(first)
    if last is not None:
        if first is None:
            assert task.end <= dt.date.fromisoformat(last)
        else:
            assert task.end == dt.date.fromisoformat(last)


def test_phases_of_the_seed(dated):
    assert dated["members.goal"].phase == "preparation"      # 9.15
    assert dated["ads.ztc_targeting"].phase == "warm_up"     # 11.1
    assert dated["ads.ztc_bids_day"].phase == "event"
    assert dated["ads.bids_down"].phase == "follow_up"
    assert dated["members.new_care"].phase == "after"


@pytest.mark.parametrize(
    ("offset", "phase"),
    [(-58, "before"), (-57, "preparation"), (-11, "preparation"), (-10, "warm_up"), (-1, "warm_up"),
     (0, "event"), (1, "follow_up"), (9, "follow_up"), (10, "after")],
)
def test_phase_bounds(offset, phase):
    assert PhaseBounds().phase(offset) == phase


def _t(task_id, start, days=1, after=()):
    return TaskTemplate(id=task_id, group="ads", start=start, days=days, after=tuple(after), zh="x", en="x")


def test_dependency_pushes_a_task_to_the_day_after():
    # a: days 0..2; b wants day 1 but must start on day 3 → pushed 2; c after b: b ends day 3 → c day 4
    tasks = {d.id: d for d in date_tasks([_t("ads.c", 0, after=["ads.b"]), _t("ads.b", 1, after=["ads.a"]),
                                          _t("ads.a", 0, days=3)], EVENT)}
    assert tasks["ads.b"].start == dt.date(2026, 11, 14) and tasks["ads.b"].pushed == 2
    assert tasks["ads.c"].start == dt.date(2026, 11, 15) and tasks["ads.c"].pushed == 4


def test_a_cycle_is_refused_and_named():
    data = [t.model_dump() for t in (_t("ads.a", 0, after=["ads.b"]), _t("ads.b", 0, after=["ads.a"]))]
    with pytest.raises(TemplateError, match=r"cycle: ads\.a → ads\.b → ads\.a"):
        parse_templates(data)


@pytest.mark.parametrize(
    "data",
    [
        [{"id": "ads.a", "group": "ads", "start": 0, "zh": "x", "en": "x", "after": ["ads.z"]}],
        [{"id": "ads.a", "group": "ads", "start": 0, "zh": "x", "en": "x"}] * 2,
        [{"id": "ads.a", "group": "ops", "start": 0, "zh": "x", "en": "x"}],
        [{"id": "ads.a", "group": "ads", "start": 0, "days": 0, "zh": "x", "en": "x"}],
    ],
    ids=["unknown-dependency", "duplicate-id", "unknown-group", "zero-days"],
)
def test_bad_templates_are_refused(data):
    with pytest.raises(TemplateError):
        parse_templates(data)


def test_status_and_overdue_by_group():
    templates = [_t("ads.a", -10, days=2), _t("ads.b", -5), _t("ads.c", -1, days=3), _t("ads.d", 2)]
    tasks = date_tasks(templates, EVENT)
    # as of 11.11: a ended 11.2 (9 days late), b ended 11.6 but is done, c runs 11.10–11.12, d starts 11.13
    statuses = {s.task.id: s for s in task_status(tasks, {"ads.b": dt.date(2026, 11, 7)}, EVENT)}
    assert statuses["ads.a"].state == "overdue" and statuses["ads.a"].days_late == 9
    assert statuses["ads.b"].state == "done" and statuses["ads.b"].done_on == dt.date(2026, 11, 7)
    assert statuses["ads.c"].state == "in_progress"
    assert statuses["ads.d"].state == "upcoming"
    late = overdue_by_group(statuses.values())
    assert list(late) == ["ads"] and [s.task.id for s in late["ads"]] == ["ads.a"]


def test_real_library_overdue_on_the_event_day_without_progress():
    statuses = task_status(date_tasks(load_templates(), EVENT), {}, EVENT)
    late = overdue_by_group(statuses)
    # every task that ended before 11.11 is overdue, grouped in the command centre's order
    ended = [s for s in statuses if s.task.end < EVENT]
    assert sum(len(v) for v in late.values()) == len(ended)
    assert list(late) == [g for g in GROUPS if g in late]


# ---------------------------------------------------------------- tasks follow the campaign's phases

MOVED = PhaseBounds(preparation_from=-40, warm_up_from=-15, follow_up_to=12)
"""Preparation 10.02–10.26 (default 9.15–10.31), warm-up 10.27–11.10 (11.1–11.10), follow-up to 11.23 (11.20).

Spans (last − first): preparation 46 → 24, warm-up 9 → 14, follow-up 8 → 11."""


@pytest.mark.parametrize(
    ("template", "start", "end", "pushed"),
    [
        # first day of preparation stays first: −57 → −40 = 10.02; 7 days → 10.08
        (_t("ads.a", -57, days=7), "2026-10-02", "2026-10-08", 0),
        # −50: (7 × 24 / 46 = 3.65 → 4) → −36, but ads.a ends −34 → starts −33 = 10.09, pushed 3, 5 days
        (_t("ads.b", -50, days=5, after=["ads.a"]), "2026-10-09", "2026-10-13", 3),
        # last day of preparation stays last: −11 → −16 = 10.26
        (_t("ads.c", -11), "2026-10-26", "2026-10-26", 0),
        # −20 (8 days, ends −13 inside preparation): 37 × 24 / 46 = 19.30 → 19 → −21, which would end on −14,
        # after the phase's last day −16: clamped back to start −23 (10.19), end −16 (10.26), still 8 days
        (_t("ads.d", -20, days=8), "2026-10-19", "2026-10-26", 0),
        # warm-up −3: 7 × 14 / 9 = 10.89 → 11 → −15 + 11 = −4 = 11.07
        (_t("ads.e", -3), "2026-11-07", "2026-11-07", 0),
        # −27 for 18 days runs into the warm-up (ends −10, its first day): start 30 × 24 / 46 = 15.65 → 16 → −24
        # (10.18); end = the warm-up's first day mapped, −15 (10.27): "until warm-up begins" holds
        (_t("ads.f", -27, days=18), "2026-10-18", "2026-10-27", 0),
        # follow-up +5: 4 × 11 / 8 = 5.5 → half up 6 → 1 + 6 = +7 (11.18), 3 days → 11.20
        (_t("ads.g", 5, days=3), "2026-11-18", "2026-11-20", 0),
        # after the follow-up: +15 keeps 6 days after its last day: 15 − 9 + 12 = +18 (11.29)
        (_t("ads.h", 15, days=6), "2026-11-29", "2026-12-04", 0),
        # before the preparation: −60 keeps 3 days before its first day: −60 + 57 − 40 = −43 (9.29)
        (_t("ads.i", -60), "2026-09-29", "2026-09-29", 0),
        (_t("ads.j", 0), "2026-11-11", "2026-11-11", 0),  # the event day stays the event day
    ],
    ids=lambda v: v.id if isinstance(v, TaskTemplate) else None,
)
def test_tasks_move_with_their_phase(template, start, end, pushed):
    library = [_t("ads.a", -57, days=7), template] if template.id != "ads.a" else [template]
    task = next(d for d in date_tasks(library, EVENT, MOVED) if d.id == template.id)
    assert (task.start.isoformat(), task.end.isoformat(), task.pushed) == (start, end, pushed)


def test_default_phases_leave_the_library_where_it_was(dated):
    again = {d.id: d for d in date_tasks(load_templates(), EVENT, PhaseBounds())}
    for task_id, task in dated.items():
        assert (again[task_id].start_offset, again[task_id].end_offset) == (task.template.start,
                                                                          task.template.start
                                                                          + task.template.days - 1)


@settings(max_examples=60, deadline=None)
@given(prep=st.integers(-120, -3), warm=st.integers(-60, -1), follow=st.integers(1, 40))
def test_any_phases_keep_dependency_order_and_phase_membership(prep, warm, follow):
    if not prep < warm:
        return
    phases = PhaseBounds(prep, warm, follow)
    tasks = {d.id: d for d in date_tasks(load_templates(), EVENT, phases)}
    for task in tasks.values():
        assert task.end >= task.start
        for dep in task.template.after:
            assert tasks[dep].end < task.start, f"{task.id} starts before {dep} ends"
        span = phases.span(task.phase)
        if task.pushed == 0 and span is not None:  # an unpushed task starts inside its own phase
            assert span[0] <= task.start_offset <= span[1], task.id
