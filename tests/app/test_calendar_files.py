"""Calendar files: the ICS parsed back with the real icalendar library, the progress file, the workbook."""

import datetime as dt

import icalendar
import openpyxl
import pytest

from dachu.data.calendar_state import load_templates, mark_done, progress_path, read_progress, write_progress
from dachu.domain.prepare.calendar import date_tasks, task_status
from dachu.errors import InputError
from dachu.report.calendar_export import task_uid, to_ics, write_xlsx

EVENT = dt.date(2026, 11, 11)


@pytest.fixture(scope="module")
def statuses():
    return task_status(date_tasks(load_templates(), EVENT), {}, dt.date(2026, 10, 20))


def _events(data: bytes):
    return [c for c in icalendar.Calendar.from_ical(data).walk("VEVENT")]


def test_ics_has_one_all_day_event_per_task(statuses):
    stamp = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    events = _events(to_ics(statuses, "2026 双十一", EVENT, "zh", stamp))
    assert len(events) == len(statuses)
    by_uid = {str(e["UID"]): e for e in events}
    coupons = by_uid[task_uid("ads.coupons_hang", "2026 双十一", EVENT)]
    # hung 10.15–11.1: an all-day event ends the day after its last day
    assert coupons.decoded("DTSTART") == dt.date(2026, 10, 15)
    assert coupons.decoded("DTEND") == dt.date(2026, 11, 2)
    assert "预热优惠券" in str(coupons["SUMMARY"])
    assert str(coupons["SUMMARY"]).startswith("[广告推广]")


def test_ics_uids_are_stable_and_unique(statuses):
    first = to_ics(statuses, "2026 双十一", EVENT, "en", dt.datetime(2026, 10, 1, tzinfo=dt.UTC))
    second = to_ics(statuses, "2026 双十一", EVENT, "en", dt.datetime(2026, 10, 9, tzinfo=dt.UTC))
    uids = [str(e["UID"]) for e in _events(first)]
    assert uids == [str(e["UID"]) for e in _events(second)]
    assert len(set(uids)) == len(uids)
    stamp = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    other = to_ics(statuses, "2027 双十一", dt.date(2027, 11, 11), "en", stamp)
    assert not set(uids) & {str(e["UID"]) for e in _events(other)}


def test_progress_round_trip(tmp_path):
    campaign = tmp_path / "campaign.yaml"
    assert progress_path(campaign) == tmp_path / "campaign.progress.yaml"
    assert read_progress(progress_path(campaign)) == {}
    mark_done(campaign, ["ads.coupons_hang"], dt.date(2026, 10, 15))
    mark_done(campaign, ["design.home_page", "ads.budget"], dt.date(2026, 10, 30))
    assert read_progress(progress_path(campaign)) == {
        "ads.coupons_hang": dt.date(2026, 10, 15), "design.home_page": dt.date(2026, 10, 30),
        "ads.budget": dt.date(2026, 10, 30)}
    mark_done(campaign, ["ads.budget"], dt.date(2026, 10, 30), undo=True)
    assert set(read_progress(progress_path(campaign))) == {"ads.coupons_hang", "design.home_page"}


def test_unknown_task_names_the_closest(tmp_path):
    with pytest.raises(InputError) as err:
        mark_done(tmp_path / "c.yaml", ["ads.coupon_hang"], EVENT)
    assert "ads.coupons_hang" in err.value.render("en")


@pytest.mark.parametrize("text", ["done: [a, b]\n", "done: {a: not-a-date}\n", "done: {a: [\n"],
                         ids=["list", "not-a-date", "broken-yaml"])
def test_bad_progress_file_is_an_input_error(tmp_path, text):
    path = tmp_path / "c.progress.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError):
        read_progress(path)


def test_empty_progress_written_and_read(tmp_path):
    path = tmp_path / "c.progress.yaml"
    write_progress(path, {})
    assert read_progress(path) == {}


def test_xlsx_rows(tmp_path, statuses):
    path = tmp_path / "cal.xlsx"
    write_xlsx(path, statuses, "2026 双十一", "en", dt.date(2026, 10, 20))
    ws = openpyxl.load_workbook(path).active
    assert ws.cell(3, 1).value == "id"
    ids = [ws.cell(r, 1).value for r in range(4, 4 + len(statuses))]
    assert ids == [s.task.id for s in statuses]
    row = 4 + ids.index("ads.coupons_hang")
    assert ws.cell(row, 5).value == dt.datetime(2026, 10, 15)
    assert ws.cell(row, 6).value == dt.datetime(2026, 11, 1)
