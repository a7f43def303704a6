"""Exports of a list of figure tables: XLSX, CSV (for French Excel) and PDF.

Pass tables through ``reports.suppression.suppress`` first when the file leaves the team;
a plain ``Table`` is exported with every figure shown. A masked cell is written as the
text "< 11" everywhere, every other figure as a real number.

Labels come from the organisation's own data (territory and partner names): they are
always written as text, never as formulas, and in CSV a label that a spreadsheet would
read as a formula is prefixed with an apostrophe (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

import xlsxwriter
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reports.charts import chart_for, data_table
from reports.suppression import Cell, SuppressedTable, displayed, legend
from reports.tables import Table

AnyTable = Table | SuppressedTable

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
PDF_CONTENT_TYPE = "application/pdf"


def masked_note(threshold: int) -> str:
    """The footnote of any export with masked counts: what "< 11" and "s" mean."""
    return legend(threshold)


def _header(t: SuppressedTable) -> list[str]:
    header = [t.row_header, *t.columns]
    if t.show_row_totals:
        header.append(_("Total"))
    return header


@dataclass(frozen=True)
class _Line:
    label: str
    cells: list[Cell]
    is_total: bool = False


def _lines(t: SuppressedTable) -> list[_Line]:
    """Body rows then the totals row, as the table shows them."""
    lines = []
    for row in t.rows:
        cells = list(row.cells)
        if t.show_row_totals and row.total is not None:
            cells.append(row.total)
        lines.append(_Line(row.label, cells))
    if t.show_column_totals:
        cells = list(t.column_totals)
        if t.show_row_totals and t.grand_total is not None:
            cells.append(t.grand_total)
        lines.append(_Line(_("Total"), cells, is_total=True))
    return lines


def _has_masked(t: SuppressedTable) -> bool:
    return t.threshold is not None and t.hidden_count > 0


def _has_any_masked(tables: Sequence[SuppressedTable]) -> bool:
    return any(_has_masked(t) for t in tables)


def _threshold(tables: Sequence[SuppressedTable]) -> int:
    return next(t.threshold for t in tables if _has_masked(t))


# ---------------------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------------------

# Row (0-based) of the header in each sheet: title, description, a blank line above it.
XLSX_HEADER_ROW = 3

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31


def sheet_names(titles: Sequence[str]) -> list[str]:
    """Excel sheet names for ``titles``: no []:*?/\\, at most 31 characters, no leading or
    trailing apostrophe, unique without regard to case (Excel's rule), never "History"."""
    names: list[str] = []
    taken: set[str] = set()
    for n, title in enumerate(titles, 1):
        base = _SHEET_FORBIDDEN.sub(" ", title).strip().strip("'").strip()
        base = re.sub(r"\s+", " ", base)[:SHEET_NAME_MAX].strip() or f"{_('Table')} {n}"
        if base.casefold() == "history":
            base = f"{base} {n}"
        name, k = base, 2
        while name.casefold() in taken:
            suffix = f" ({k})"
            name = base[: SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
            k += 1
        taken.add(name.casefold())
        names.append(name)
    return names


def to_xlsx(
    tables: Sequence[AnyTable],
    *,
    title: str = "",
    header: Sequence[tuple[str, str]] = (),
    narrative: Sequence[tuple[str, str]] = (),
) -> bytes:
    """One sheet per table: its title and description, a header row, real numbers (a
    masked count is the text "< 11" or "s"), the totals row, and the masking footnote;
    first, when ``header`` or ``narrative`` are given, a sheet that says what the file is
    (organisation, period, status, who validated it and when) with the narrative."""
    about = list(header)
    shown = [displayed(t) for t in tables]
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    workbook.set_properties({"title": title, "comments": "Terrain"})
    bold = workbook.add_format({"bold": True})
    heading = workbook.add_format({"bold": True, "font_size": 14})
    header = workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
    number = workbook.add_format({"num_format": "#,##0"})
    total = workbook.add_format({"num_format": "#,##0", "bold": True, "top": 1})
    masked = workbook.add_format({"align": "right", "font_color": "#4f5965"})
    masked_total = workbook.add_format({"align": "right", "bold": True, "top": 1})
    total_label = workbook.add_format({"bold": True, "top": 1})
    note = workbook.add_format({"italic": True, "font_color": "#4f5965"})
    if about or narrative:
        # First sheet: what the file is (whose, which period, draft or validated) and
        # the coordinator's words, before any figure.
        names = sheet_names([_("Report")] + [t.title for t in shown])
        sheet = workbook.add_worksheet(names[0])
        sheet.write_string(0, 0, title, heading)
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        row = 2
        for label, value in about:
            sheet.write_string(row, 0, label, bold)
            sheet.write_string(row, 1, value, wrap)
            row += 1
        if _has_any_masked(shown):
            sheet.write_string(row, 0, legend(_threshold(shown)), note)
            row += 1
        row += 1
        for label, text in narrative:
            sheet.write_string(row, 0, label, bold)
            sheet.write_string(row, 1, text or "—", wrap)
            row += 1
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, 1, 90)
        table_names = names[1:]
    else:
        table_names = sheet_names([t.title for t in shown])
    for t, name in zip(shown, table_names, strict=True):
        sheet = workbook.add_worksheet(name)
        sheet.write_string(0, 0, t.title, heading)
        if t.description:
            sheet.write_string(1, 0, t.description)
        first = XLSX_HEADER_ROW
        head = _header(t)
        for col, text in enumerate(head):
            sheet.write_string(first, col, text, header)
        widths = [len(text) for text in head]
        for r, line in enumerate(_lines(t), first + 1):
            sheet.write_string(r, 0, line.label, total_label if line.is_total else bold)
            widths[0] = max(widths[0], len(line.label))
            for c, cell in enumerate(line.cells, 1):
                if cell.hidden:
                    sheet.write_string(
                        r, c, cell.display, masked_total if line.is_total else masked
                    )
                elif cell.value is None:
                    sheet.write_blank(r, c, None, total if line.is_total else number)
                else:
                    sheet.write_number(r, c, cell.value, total if line.is_total else number)
                widths[c] = max(widths[c], len(cell.display))
        if _has_masked(t):
            sheet.write_string(first + len(_lines(t)) + 2, 0, masked_note(t.threshold), note)
        sheet.set_column(0, 0, min(max(widths[0] + 2, 14), 60))
        for c, width in enumerate(widths[1:], 1):
            sheet.set_column(c, c, min(max(width + 2, 9), 30))
        sheet.freeze_panes(first + 1, 1)
    if not shown:
        workbook.add_worksheet(_("Table") + " 1")  # a workbook needs one sheet
    workbook.close()
    return output.getvalue()


# ---------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_cell(cell: Cell) -> str:
    if cell.hidden:
        return cell.display
    # Plain digits, no grouping: the spreadsheet formats them itself.
    return "" if cell.value is None else str(cell.value)


def to_csv(tables: Sequence[AnyTable], *, header: Sequence[tuple[str, str]] = ()) -> bytes:
    """One file, one block per table (title, description, header, rows, totals, the
    masking note), blocks separated by a blank line. Semicolons and UTF-8 with a BOM:
    what French Excel opens with a double click, accents intact."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for label, value in header:
        writer.writerow([_csv_text(label), _csv_text(value)])
    for n, table in enumerate(tables):
        t = displayed(table)
        if n or header:
            writer.writerow([])
        writer.writerow([_csv_text(t.title)])
        if t.description:
            writer.writerow([_csv_text(t.description)])
        writer.writerow([_csv_text(text) for text in _header(t)])
        for line in _lines(t):
            writer.writerow([_csv_text(line.label), *(_csv_cell(c) for c in line.cells)])
        if _has_masked(t):
            writer.writerow([_csv_text(masked_note(t.threshold))])
    return buffer.getvalue().encode("utf-8-sig")


# ---------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------


def _no_fetch(url: str, *args, **kwargs) -> dict:
    """WeasyPrint fetches nothing: the report holds all it needs, and a label must never
    make the server request a URL."""
    raise ValueError(f"Reports fetch no external resource ({url[:60]!r}).")


def report_html(
    tables: Sequence[AnyTable],
    *,
    organisation: str,
    period: str,
    generated_at: datetime.datetime | None = None,
    narrative: Sequence[tuple[str, str]] = (),
    header: Sequence[tuple[str, str]] = (),
) -> str:
    """The HTML that the PDF is printed from (also handy to look at in a browser)."""
    shown = [displayed(t) for t in tables]
    thresholds = sorted({t.threshold for t in shown if _has_masked(t)})
    return render_to_string(
        "reports/report_pdf.html",
        {
            "organisation": organisation,
            "period": period,
            "header": header,
            "generated_at": timezone.localtime(generated_at or timezone.now()),
            "language": get_language() or "fr",
            # The coordinator's words (highlights, difficulties...), before the figures.
            "narrative": [(heading, text) for heading, text in narrative if text],
            "sections": [
                {
                    "table": t,
                    "chart": chart_for(t, slug=f"t{n}", with_data=False),
                    "data": data_table(t, caption=False),
                    "id": f"t{n}",
                }
                for n, t in enumerate(shown, 1)
            ],
            "notes": [masked_note(threshold) for threshold in thresholds],
        },
    )


def to_pdf(
    tables: Sequence[AnyTable],
    *,
    organisation: str,
    period: str,
    generated_at: datetime.datetime | None = None,
    narrative: Sequence[tuple[str, str]] = (),
    header: Sequence[tuple[str, str]] = (),
) -> bytes:
    """An A4 report: the organisation, the period, then each table with its chart."""
    # Imported here: WeasyPrint loads Pango and fonts, which only PDF exports need.
    from weasyprint import HTML

    html = report_html(
        tables,
        organisation=organisation,
        period=period,
        generated_at=generated_at,
        narrative=narrative,
        header=header,
    )
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()
