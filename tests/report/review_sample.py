"""A hand-built Review for the report tests: every section, every Unit, every chart kind and series style.

Labels reuse keys that already exist in the catalogue (plan.col.*, data_import.col.*, review_report.*), so
no string exists only for the tests. One product name carries a script tag and the calibrated YAML a
closing script tag: both must come out inert.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from dachu.analytics.review_model import Chart, Column, Figure, Review, Section, Series, Table

EVIL = "<script>alert('x')</script>"
"""A value that would run if the renderer forgot to escape it."""

HOURS = tuple(range(24))
# cumulative GMV: ¥100 an hour, so ¥2,400 at 23:00; floor pace ¥80 an hour, stretch ¥120 an hour
CUMULATIVE = tuple(Decimal(100 * (h + 1)) for h in HOURS)
FLOOR_PACE = tuple(Decimal(80 * (h + 1)) for h in HOURS)
STRETCH_PACE = tuple(Decimal(120 * (h + 1)) for h in HOURS)
PREVIOUS = (*tuple(Decimal(90 * (h + 1)) for h in range(23)), None)  # last hour unknown


def _headline() -> Section:
    return Section(
        id="headline",
        key="review.section.headline",
        figures=(
            # 1,234.56 / 1,000 = 123.456% of floor; / 1,500 = 82.304%; vs 1,100: +12.2327…%
            Figure("gmv", "plan.col.gmv", "yuan", Decimal("1234.56"), Decimal("1000"), Decimal("1500"),
                   Decimal("1100"), metric="gmv_paid"),
            Figure("orders", "plan.col.orders", "count", 1234567, 1000000, 1500000, None),
            # 0.0321 / 0.03 = 107%
            Figure("conversion", "plan.col.conversion", "rate", 0.0321, 0.03, 0.04, 0.0300),
            Figure("aov", "plan.col.aov", "yuan", Decimal("-5.005")),
            Figure("visitors", "plan.col.visitors", "count", 38459, None, None, None),
        ),
    )


def _hourly() -> Section:
    hour = Column("hour", "review_report.xlsx.item", "hour")
    return Section(
        id="hourly",
        key="review.section.hourly",
        charts=(
            Chart("cumulative", "plan.col.gmv", "line", hour, HOURS, (
                Series("actual", "review_report.actual", "yuan", CUMULATIVE, "actual"),
                Series("floor", "review_report.floor", "yuan", FLOOR_PACE, "floor"),
                Series("stretch", "review_report.stretch", "yuan", STRETCH_PACE, "stretch"),
                Series("previous", "review_report.previous", "yuan", PREVIOUS, "previous"),
            )),
        ),
        tables=(
            Table("by_hour", "plan.col.gmv", (hour, Column("gmv", "plan.col.gmv", "yuan", "gmv_paid"),
                                              Column("orders", "plan.col.orders", "count")),
                  tuple((h, Decimal(100), 2) for h in HOURS)),
        ),
    )


def _funnel() -> Section:
    stage = Column("stage", "plan.col.phase", "text")
    stages = ("plan.col.visitors", "plan.col.orders", "data_import.col.inserted")  # translated stage names
    return Section(
        id="funnel",
        key="review.section.funnel",
        charts=(Chart("funnel", "review.section.funnel", "funnel", stage, stages, (
            Series("people", "plan.col.visitors", "count", (10000, 800, 600)),)),),
        tables=(Table("stages", "review.section.funnel", (stage, Column("n", "plan.col.value", "count"),
                                                          Column("share", "plan.col.conversion", "rate")),
                      tuple(zip(stages, (10000, 800, 600), (1.0, 0.08, 0.06), strict=True))),),
    )


def _reminders() -> Section:
    """Payment reminders as `dachu.analytics.review.reminders` builds them: a lift of +20 pp (the `points` unit)."""
    kind = Column("remind_kind", "review.col.remind_kind", "text", labels=True)
    return Section(
        id="reminders",
        key="review.section.reminders",
        figures=(
            Figure("reminder_lift", "metric.reminder_lift.name", "points", 0.2, metric="reminder_lift"),
            Figure("recovered_gmv", "metric.recovered_gmv.name", "yuan", Decimal("40.00"), metric="recovered_gmv"),
        ),
        tables=(Table("reminder_effect", "review.table.reminder_effect", (
            kind,
            Column("reminder_lift", "metric.reminder_lift.name", "points", "reminder_lift"),
            Column("lift_low", "review.col.lift_low", "points"),
            Column("verdict", "review.col.verdict", "text", labels=True),
        ), (("review.remind.kind.total", 0.2, -0.0512, "review.remind.verdict.unclear"),)),),
        notes=(("review.note.remind_lift_unclear", {"lift": "+20.00", "low": "-5.12", "high": "+45.12"}),),
    )


def _channels() -> Section:
    channel = Column("channel", "plan.col.channel", "text")
    names = ("直通车", "钻展", "淘宝客" + EVIL)  # a label that reaches the chart data and the SVG
    return Section(
        id="channels",
        key="review.section.channels",
        charts=(Chart("spend", "plan.col.budget", "bar", channel, names, (
            Series("plan", "plan.col.budget", "yuan", (Decimal(5000), Decimal(3000), Decimal(2000)), "plan"),
            Series("actual", "review_report.actual", "yuan", (Decimal("5123.4"), Decimal(2900), None), "actual"),
        )),),
        tables=(Table("channels", "review.section.channels", (
            channel, Column("spend", "plan.col.budget", "yuan"), Column("roi", "plan.col.value", "ratio"),
            Column("visitors", "plan.col.visitors", "count")),
            (("直通车", Decimal("5123.4"), 3.456, 4000), ("钻展", Decimal(2900), 1.0, 1500),
             (names[2], None, None, 0)), note_key="review_report.no_personal_data"),),
    )


def _products() -> Section:
    return Section(
        id="products",
        key="review.section.products",
        tables=(Table("products", "review.section.products", (
            Column("sku", "plan.col.sku", "text"), Column("name", "plan.col.name", "text"),
            Column("role", "plan.col.role", "text"), Column("sold_out", "plan.col.date", "datetime"),
            Column("sold_out_hour", "review_report.xlsx.item", "hour"),
            Column("sell_through", "plan.col.stock", "rate"), Column("gmv", "plan.col.gmv", "yuan")),
            (("A-1", "羽绒服 " + EVIL, "plan.role.hero", datetime(2026, 11, 11, 0, 42), 0, 1.0, Decimal("9999.99")),
             ("B-2", "围巾", "plan.role.traffic", None, None, 0.5, Decimal("0.1")))),),
        charts=(Chart("by_role", "plan.col.role", "pie", Column("role", "plan.col.role", "text"),
                      ("plan.role.hero", "plan.role.traffic"),
                      (Series("gmv", "plan.col.gmv", "yuan", (Decimal("9999.99"), Decimal("0.1"))),)),),
    )


def _service() -> Section:
    return Section(
        id="service",
        key="review.section.service",
        tables=(Table("agents", "review.section.service", (
            Column("agent", "plan.col.name", "text"), Column("sessions", "plan.col.value", "count"),
            Column("first_response", "data_import.col.seconds", "seconds"),
            Column("conversion", "plan.col.conversion", "rate")),
            (("客服A", 321, 12.34, 0.4567), ("客服B", 120, 45.0, 0.25))),),
    )


def _logistics() -> Section:
    day = Column("day", "plan.col.date", "date")
    days = (date(2026, 11, 11), date(2026, 11, 12), date(2026, 11, 13))
    return Section(
        id="logistics",
        key="review.section.logistics",
        figures=(Figure("ship_hours", "plan.col.value", "hours", 20.25, 24.0, 12.0),
                 Figure("ship_days", "plan.col.date", "days", 1.5)),
        tables=(Table("backlog", "review.section.logistics", (day, Column("backlog", "plan.col.orders", "count")),
                      tuple(zip(days, (1200, 300, 0), strict=True))),),
        charts=(Chart("backlog", "plan.col.orders", "bar", day, days, (
            Series("backlog", "plan.col.orders", "count", (1200, 300, 0)),
            Series("shipped", "review_report.actual", "rate", (0.5, 0.9, 1.0)))),),
    )


def _after_sale() -> Section:
    return Section(
        id="after_sale",
        key="review.section.after_sale",
        figures=(Figure("refund_rate", "plan.col.conversion", "rate", 0.0123, None, None, 0.02),
                 Figure("dsr", "plan.col.value", "ratio", 4.8)),
        notes=(("plan.capacity.summary", {"orders": 1200, "parcels": 1300, "scenario": EVIL}),),
    )


def _customers() -> Section:
    return Section(
        id="customers",
        key="review.section.customers",
        charts=(Chart("new_returning", "review.section.customers", "pie", Column("kind", "plan.col.kind", "text"),
                      ("新客", "老客"), (Series("buyers", "plan.col.orders", "count", (700, 300)),)),),
        tables=(Table("rfm", "review.section.customers", (
            Column("segment", "plan.col.kind", "text"), Column("buyers", "plan.col.orders", "count"),
            Column("gmv", "plan.col.gmv", "yuan")),
            (("R5F1M3", 120, Decimal("1234.56")), ("R1F1M1", 10, Decimal(0)))),),
    )


def _profit() -> Section:
    return Section(
        id="profit",
        key="review.section.profit",
        figures=(Figure("net_profit", "metric.net_profit.name", "yuan", Decimal("-29.10"), Decimal(100),
                        Decimal(200), metric="net_profit"),),
        tables=(Table("statement", "review.table.profit_statement", (
            Column("line", "review.col.line", "text", labels=True),
            Column("event_day", "review.col.event_day", "yuan")),
            (("metric.gmv_paid.name", Decimal("140.00")), ("metric.net_profit.name", None))),),
    )


def _calibration() -> Section:
    return Section(
        id="calibration",
        key="review.section.calibration",
        notes=(("review_report.event_day", {"day": "2027-11-11"}),),
    )


CALIBRATED_YAML = "campaign: {name: next, event_day: 2027-11-11}\nstore: {event_conversion: 0.0321}  # </script>\n"


def sample_review() -> Review:
    """The sample review (campaign name with an ampersand, to see it escaped)."""
    return Review(
        campaign="双11 & friends",
        event_day=date(2026, 11, 11),
        sections=(_headline(), _hourly(), _funnel(), _reminders(), _channels(), _products(), _service(), _logistics(),
                  _after_sale(), _customers(), _profit(), _calibration()),
        source={"orders": 1234567, "store": "store.duckdb"},
        calibrated_yaml=CALIBRATED_YAML,
    )
