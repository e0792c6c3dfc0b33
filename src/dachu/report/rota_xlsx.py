"""The rota as a workbook (排班表.xlsx): one sheet of shifts, one of coverage against need per hour.

Hours per agent and the surplus per hour are formulas, written with their cached values so any reader
(Excel, WPS, a script) sees the numbers.
"""

from __future__ import annotations

import io
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from dachu.domain.prepare.shifts import SHIFT_BY_CODE, Rota, RotaRequest
from dachu.i18n import Lang, t
from dachu.report.output import write_output


def shift_label(code: str, lang: Lang) -> str:
    """The one-letter label of a shift code ("" = off)."""
    return t(f"staff.rota.shift.{code or 'off'}", lang)


def write_rota_xlsx(path: Path, rota: Rota, req: RotaRequest, lang: Lang) -> None:
    """Write `rota` (solved) and its coverage against `req`'s need to `path`."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer)
    try:
        head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        short = wb.add_format({"bg_color": "#FCE4D6"})
        ws = wb.add_worksheet(t("staff.rota.sheet.rota", lang))
        ws.write(0, 0, t("staff.rota.col.agent", lang), head)
        for j, d in enumerate(rota.days, start=1):
            ws.write(0, j, d.strftime("%m-%d"), head)
        n = len(rota.days)
        ws.write(0, n + 1, t("staff.rota.col.hours", lang), head)
        ws.write(0, n + 2, t("staff.rota.col.off", lang), head)
        for i, a in enumerate(rota.agents, start=1):
            ws.write(i, 0, a)
            for j, code in enumerate(rota.shifts[a], start=1):
                ws.write(i, j, shift_label(code, lang))
            # paid hours from the shift letters, so an edited rota recomputes
            first, last = xl_rowcol_to_cell(i, 1), xl_rowcol_to_cell(i, n)
            terms = "+".join(
                f'COUNTIF({first}:{last},"{shift_label(c, lang)}")*{SHIFT_BY_CODE[c].hours}'
                for c in SHIFT_BY_CODE
            )
            ws.write_formula(i, n + 1, f"={terms}", None, float(rota.hours[a]))
            off_label = shift_label("", lang)
            ws.write_formula(i, n + 2, f'=COUNTIF({first}:{last},"{off_label}")', None,
                             sum(1 for c in rota.shifts[a] if not c))
        ws.write(len(rota.agents) + 2, 0, t("staff.rota.legend", lang))
        if req.midnight_days:
            ws.write(len(rota.agents) + 3, 0, t("staff.rota.legend_midnight", lang))
        ws.freeze_panes(1, 1)

        cov = wb.add_worksheet(t("staff.rota.sheet.coverage", lang))
        cov.write(0, 0, t("staff.rota.col.date", lang), head)
        hours = range(9, 24)
        for k, h in enumerate(hours):
            cov.write(0, 1 + 2 * k, f"{h:02d}h {t('staff.col.scheduled', lang)}", head)
            cov.write(0, 2 + 2 * k, f"{h:02d}h {t('staff.col.agents', lang)}", head)
        for i, d in enumerate(rota.days, start=1):
            cov.write(i, 0, d.isoformat())
            for k, h in enumerate(hours):
                need, have = req.need_at(d, h), rota.coverage(d, h)
                cov.write_number(i, 1 + 2 * k, need)
                cov.write_number(i, 2 + 2 * k, have, short if have < need else None)
        cov.freeze_panes(1, 1)
    finally:
        wb.close()
    write_output(path, buffer.getvalue())
