"""Writers of the platforms' real export formats (导出格式), streaming batch by batch.

`FORMATS` names every format `dachu simulate` can write; `open_sinks` opens the files of the chosen ones.
Every sink has `path`, `rows`, `write(batch)` and `close()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from dachu.data.exports import after_sale as af
from dachu.data.exports import columns as c
from dachu.data.exports.parquet import ParquetSink
from dachu.data.exports.platforms import Exporter
from dachu.data.exports.render import CsvSink, CsvStyle, Quirks, XlsxSink
from dachu.data.exports.tables import (
    AdSpendSink,
    TrafficSink,
    as_of,
    behaviour_builder,
    cs_builder,
    generic_csv,
    today_stamp,
)
from dachu.data.simulate.people import People
from dachu.data.simulate.setup import Setup

ORDER_FORMATS = ("tmall45", "tmall67", "taobao_items", "jd", "shopify")
"""Formats that also come as XLSX with --xlsx."""

AFTER_SALE_FORMATS = ("complaints", "dsr_ratings", "shipments")
"""Complaints (投诉/维权), DSR ratings (评价) and the ERP shipping list (发货明细)."""

FORMATS = (*ORDER_FORMATS, "user_behavior", "traffic", "ad_spend", "cs_sessions", *AFTER_SALE_FORMATS, "parquet")

PLATFORM_FORMATS: dict[str, tuple[str, ...]] = {
    "tmall": ("tmall67", "taobao_items", "user_behavior", "traffic", "ad_spend", "cs_sessions", *AFTER_SALE_FORMATS),
    "jd": ("jd", "user_behavior", "traffic", "ad_spend", "cs_sessions", *AFTER_SALE_FORMATS),
    "shopify": ("shopify", "traffic", "ad_spend", "cs_sessions"),
}
"""What `dachu simulate` writes for each platform when --formats is not given."""

ENCODINGS = ("gbk", "gb18030", "utf-8-sig")


class Sink(Protocol):
    """Something that takes batches and writes one file or folder."""

    path: Path
    rows: int

    def write(self, batch: Any) -> None: ...  # noqa: D102

    def close(self) -> None: ...  # noqa: D102


@dataclass(frozen=True)
class ExportOptions:
    """Which formats, and the Excel quirks and encoding of the Chinese CSVs (None = the platform's GBK)."""

    formats: tuple[str, ...]
    quirks: Quirks = field(default_factory=Quirks)
    encoding: str | None = None
    xlsx: bool = False


def open_sinks(setup: Setup, people: People, out: Path, options: ExportOptions) -> list[Sink]:
    """Open one sink per chosen format (and its XLSX twin) in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    ex = Exporter(setup, people)
    stamp = today_stamp(setup)
    gbk = CsvStyle(encoding=options.encoding or "gbk")
    q = options.quirks
    order_formats: dict[str, tuple[str, tuple[str, ...], Any, CsvStyle, frozenset[str]]] = {
        "tmall45": (
            f"ExportOrderList{stamp}_45",
            c.TMALL_ORDERS_45,
            ex.tmall_orders(c.TMALL_ORDERS_45),
            gbk,
            c.TMALL_SPACED_HEADERS,
        ),
        "tmall67": (
            f"ExportOrderList{stamp}",
            c.TMALL_ORDERS_67,
            ex.tmall_orders(c.TMALL_ORDERS_67),
            gbk,
            c.TMALL_SPACED_HEADERS,
        ),
        "taobao_items": (f"ExportOrderDetailList{stamp}", c.TAOBAO_ITEMS, ex.taobao_items, gbk, frozenset()),
        "jd": (
            f"jd_orders_{stamp}",
            c.JD_ORDERS,
            ex.jd_orders,
            CsvStyle(encoding=options.encoding or "gbk", wrap_ids=False, phone_quote=False),
            frozenset(),
        ),
        "shopify": (
            "orders_export_1",
            c.SHOPIFY_ORDERS,
            ex.shopify_orders(c.SHOPIFY_ORDERS, c.SHOPIFY_LINE_COLUMNS),
            CsvStyle(
                encoding="utf-8",
                newline="\n",
                wrap_ids=False,
                phone_quote=False,
                dates="offset",
                tz_offset_min=setup.tz_offset_min,
            ),
            frozenset(),
        ),
    }
    sinks: list[Sink] = []
    for name in options.formats:
        if name in order_formats:
            stem, header, build, style, spaced = order_formats[name]
            quirks = q if name != "shopify" else Quirks()
            sinks.append(CsvSink(out / f"{stem}.csv", header, build, style, quirks, spaced))
            if options.xlsx:
                sinks.append(XlsxSink(out / f"{stem}.xlsx", header, build, as_of(setup)))
        elif name == "user_behavior":
            style = CsvStyle(encoding="utf-8", newline="\n", wrap_ids=False, phone_quote=False)
            sinks.append(
                CsvSink(
                    out / "UserBehavior.csv",
                    c.USER_BEHAVIOR,
                    behaviour_builder(setup),
                    style,
                    write_header=False,
                )
            )
        elif name == "traffic":
            sinks.append(TrafficSink(out / "traffic.csv", setup))
        elif name == "ad_spend":
            sinks.append(AdSpendSink(out / "ad_spend.csv", setup))
        elif name == "cs_sessions":
            sinks.append(generic_csv(out / "cs_sessions.csv", c.CS_SESSIONS, cs_builder(setup), setup))
        elif name in AFTER_SALE_FORMATS:
            sinks.append(_after_sale_sink(name, out, stamp, options))
        elif name == "parquet":
            sinks.append(ParquetSink(out / "parquet", ex))
    return sinks


def _after_sale_sink(name: str, out: Path, stamp: str, options: ExportOptions) -> Sink:
    """Complaints and ratings as the seller centre writes them (GBK, `="…"` ids); shipments as an ERP does."""
    seller = CsvStyle(encoding=options.encoding or "gbk", phone_quote=False)
    if name == "complaints":
        return CsvSink(out / f"complaints_{stamp}.csv", c.COMPLAINTS, af.complaints_builder(), seller, options.quirks)
    if name == "dsr_ratings":
        return CsvSink(out / f"dsr_ratings_{stamp}.csv", c.DSR_RATINGS, af.dsr_builder(), seller, options.quirks)
    erp = CsvStyle(encoding="utf-8-sig", wrap_ids=False, phone_quote=False)
    return CsvSink(out / f"shipments_{stamp}.csv", c.SHIPMENTS, af.shipments_builder(), erp, options.quirks)
