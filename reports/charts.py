"""Server-rendered SVG charts: no JavaScript, readable on a phone, printable, accessible.

Each function returns a ``<figure>``: an ``<svg role="img">`` named by its ``<title>`` and
``<desc>``, then the figures themselves as a ``<table>`` (inside "Show the data"), so a
screen reader or a printed page never depends on the drawing alone.

Charts draw what a table shows and nothing more: a masked count ("< 11") has no bar and
no point, and scales come from shown figures only, since a bar's length or an axis
stretched to fit a masked count would give it away.

The CSP forbids inline styles, so everything is drawn with SVG presentation attributes
(fill=, stroke=, font-size=) and classes; sizes are in viewBox units and the SVG takes
the width of its container (``width="100%"``), which suits a 390 px phone and a printed
A4 page alike. Below 304 px (a phone zoomed to 200 %) the drawing keeps that width
and its box scrolls sideways (see ``figure.chart`` in the CSS): shrunk further,
its 14-unit text would be smaller than 12 px.
"""

from __future__ import annotations

import html
import math
import re
from typing import Literal

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from reports.selectors import headline_labels
from reports.suppression import Cell, SuppressedTable, displayed, legend
from reports.tables import Table

SVG_NS = "http://www.w3.org/2000/svg"

# Colours on white: text at least 4.5:1, marks at least 3:1 (WCAG 1.4.3 and 1.4.11);
# the tests check the ratios. Series also differ by dash pattern, never by colour alone.
TEXT = "#1f2328"
MUTED = "#4f5965"
GRID = "#d0d7de"  # decoration only: values are written out, never read off the grid
BAR = "#1d4e89"
PALETTE = ["#1d4e89", "#b3441e", "#2e7d32", "#6a1b9a", "#8a5a00", "#37474f"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4"]

WIDTH = 360  # viewBox units: about one unit per CSS pixel on a 390 px phone
FONT = 14  # 12 px at least: the drawing never gets narrower than 304 px (see the CSS)
SMALL = 14  # axes, hours, days: as large as the labels, or they fall under 12 px
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"

# Characters that XML 1.0 does not allow, even escaped: they would break the SVG.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def esc(text: object) -> str:
    return html.escape(_NOT_XML.sub("", str(text)), quote=True)


def _num(value: float) -> str:
    """A coordinate, short: 12.5 not 12.500000001."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _shorten(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def _chars_for(width: float, size: int = FONT) -> int:
    # About 0.55 em per character in a sans-serif font: enough for French labels.
    return max(4, int(width / (size * 0.55)))


def _ids(slug: str) -> tuple[str, str, str]:
    base = "chart-" + (slugify(slug) or "figure")
    return base, f"{base}-title", f"{base}-desc"


def _masked_note(table: SuppressedTable) -> str:
    if table.threshold is None or not table.hidden_count:
        return ""
    return " " + legend(table.threshold)


def pair(label: str, value: str) -> str:
    """ "label: value", with the space French puts before the colon."""
    return _("%(label)s: %(value)s") % {"label": label, "value": value}


def _text(x: float, y: float, content: str, *, size: int = FONT, fill: str = TEXT, **attrs) -> str:
    # The <svg> sets the usual size and colour: repeating them would only make the markup
    # longer, and WeasyPrint's HTML parser takes time per character of it.
    if size != FONT:
        attrs["font_size"] = size
    if fill != TEXT:
        attrs["fill"] = fill
    # class_ (a Python keyword) is "class"; font_size is "font-size".
    extra = "".join(
        f' {name.rstrip("_").replace("_", "-")}="{esc(value)}"' for name, value in attrs.items()
    )
    return f'<text x="{_num(x)}" y="{_num(y)}"{extra}>{esc(content)}</text>'


def data_table(table: Table | SuppressedTable, *, caption: bool = True) -> SafeString:
    """The figures of ``table`` as an HTML table, totals included when the table shows them."""
    t = displayed(table)
    total = esc(_("Total"))
    head = [f'<th scope="col">{esc(t.row_header)}</th>']
    head += [f'<th scope="col">{esc(name)}</th>' for name in t.columns]
    if t.show_row_totals:
        head.append(f'<th scope="col">{total}</th>')
    lines = ['<table class="report-table">']
    if caption:
        lines.append(f"<caption>{esc(t.title)}</caption>")
    lines.append(f"<thead><tr>{''.join(head)}</tr></thead><tbody>")

    def td(cell: Cell) -> str:
        css = ' class="num masked"' if cell.hidden else ' class="num"'
        return f"<td{css}>{esc(cell.display)}</td>"

    for row in t.rows:
        cells = "".join(td(c) for c in row.cells)
        if t.show_row_totals and row.total is not None:
            cells += td(row.total)
        lines.append(f'<tr><th scope="row">{esc(row.label)}</th>{cells}</tr>')
    lines.append("</tbody>")
    if t.show_column_totals:
        cells = "".join(td(c) for c in t.column_totals)
        if t.show_row_totals and t.grand_total is not None:
            cells += td(t.grand_total)
        lines.append(f'<tfoot><tr><th scope="row">{total}</th>{cells}</tr></tfoot>')
    lines.append("</table>")
    # Safe: every piece above went through esc().
    return mark_safe("".join(lines))


def _figure(
    *,
    kind: str,
    slug: str,
    table: SuppressedTable,
    title: str,
    desc: str,
    height: float,
    body: list[str],
    with_data: bool,
) -> SafeString:
    base, title_id, desc_id = _ids(slug)
    svg = (
        f'<svg xmlns="{SVG_NS}" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'viewBox="0 0 {WIDTH} {_num(height)}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" class="chart-svg" '
        f'font-family="{esc(FONT_FAMILY)}" font-size="{FONT}" fill="{TEXT}">'
        f'<title id="{title_id}">{esc(title)}</title>'
        f'<desc id="{desc_id}">{esc(desc)}</desc>' + "".join(body) + "</svg>"
    )
    data = ""
    if with_data:
        # Outside the f-string, where xgettext finds it.
        summary = esc(_("Show the data"))
        data = (
            f'<details class="chart-data"><summary>{summary}</summary>{data_table(table)}</details>'
        )
    return mark_safe(f'<figure class="chart chart-{kind}" id="{base}">{svg}{data}</figure>')


def _empty(body: list[str], y: float) -> None:
    body.append(_text(0, y, _("No figures for this period."), fill=MUTED))


# ---------------------------------------------------------------------------------------
# Horizontal bars
# ---------------------------------------------------------------------------------------

BAR_HEIGHT = 16
ROW_HEIGHT = 44  # label line, then the bar, then air
VALUE_SPACE = 64  # room right of the longest bar for its value


def bar_chart(
    table: Table | SuppressedTable,
    *,
    column: int | Literal["total"] = 0,
    slug: str = "bars",
    with_data: bool = True,
) -> SafeString:
    """One horizontal bar per row for ``column`` (an index, or "total" for the rows'
    totals), the label above the bar so that long French labels get the whole width of a
    phone, the value written at the bar's end."""
    t = displayed(table)
    if column == "total" and t.rows and t.rows[0].total is not None:
        column_name = _total_measure(t)
        cells = [row.total for row in t.rows]
    else:
        column = 0 if column == "total" else column
        column_name = t.columns[column] if t.columns else ""
        cells = t.column(column) if t.columns else []
    shown_values = [c.value for c in cells if not c.hidden and c.value is not None]
    top = max(shown_values, default=0)
    span = WIDTH - VALUE_SPACE
    body: list[str] = []
    y = 0.0
    if not t.rows:
        _empty(body, FONT + 4)
        y = FONT + 12
    for row, cell in zip(t.rows, cells, strict=True):
        label_y = y + FONT
        bar_y = label_y + 6
        body.append(f'<g class="bar-row"><title>{esc(pair(row.label, cell.display))}</title>')
        body.append(_text(0, label_y, _shorten(row.label, _chars_for(WIDTH))))
        text_y = bar_y + BAR_HEIGHT / 2 + 4
        if cell.hidden or cell.value is None:
            # No bar: its length would tell the masked count.
            body.append(_text(0, text_y, cell.display or "–", fill=MUTED, class_="value"))
        else:
            length = span * cell.value / top if top else 0
            body.append(
                f'<rect class="bar" x="0" y="{_num(bar_y)}" width="{_num(length)}" '
                f'height="{BAR_HEIGHT}" fill="{BAR}" data-value="{cell.value}"/>'
            )
            body.append(_text(length + 6, text_y, cell.display, class_="value"))
        body.append("</g>")
        y += ROW_HEIGHT
    # One measure per chart, named in its title (with its unit: "Rencontres", "Heures").
    title = f"{t.title} · {column_name}" if column_name else t.title
    desc = (t.description + " " if t.description else "") + ngettext(
        "Horizontal bar chart, %(count)s bar.", "Horizontal bar chart, %(count)s bars.", len(t.rows)
    ) % {"count": len(t.rows)}
    if shown_values:
        best_row, best = max(
            (
                (r, c)
                for r, c in zip(t.rows, cells, strict=True)
                if not c.hidden and c.value is not None
            ),
            key=lambda pair: pair[1].value,
        )
        desc += " " + _("Highest: %(label)s, %(value)s.") % {
            "label": best_row.label,
            "value": best.display,
        }
    desc += _masked_note(t)
    return _figure(
        kind="bar",
        slug=slug,
        table=t,
        title=title,
        desc=desc,
        height=max(y, 1),
        body=body,
        with_data=with_data,
    )


# ---------------------------------------------------------------------------------------
# Lines: a monthly trend, one line per row
# ---------------------------------------------------------------------------------------


def nice_ceiling(value: float) -> int:
    """The smallest 1, 2, 2.5 or 5 times a power of ten that is at least ``value``."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return max(1, math.ceil(step * power))
    return math.ceil(10 * power)  # pragma: no cover - the loop always returns


PLOT_LEFT = 44
PLOT_RIGHT = 12
PLOT_TOP = 10
PLOT_HEIGHT = 160
AXIS_SPACE = 24
LEGEND_ROW = 20


def line_chart(
    table: Table | SuppressedTable, *, slug: str = "trend", with_data: bool = True
) -> SafeString:
    """One line per row across the columns (months, usually). A masked count leaves a
    gap in its line: drawing it anywhere would place it."""
    t = displayed(table)
    n = len(t.columns)
    shown_values = [
        c.value for row in t.rows for c in row.cells if not c.hidden and c.value is not None
    ]
    top = nice_ceiling(max(shown_values, default=0))
    plot_width = WIDTH - PLOT_LEFT - PLOT_RIGHT
    bottom = PLOT_TOP + PLOT_HEIGHT
    step = plot_width / (n - 1) if n > 1 else 0

    def x_of(j: int) -> float:
        return PLOT_LEFT + (step * j if n > 1 else plot_width / 2)

    def y_of(value: int) -> float:
        return bottom - PLOT_HEIGHT * value / top

    body: list[str] = []
    ticks = 4
    for k in range(ticks + 1):
        value = top * k / ticks
        y = y_of(value)
        body.append(
            f'<line x1="{PLOT_LEFT}" y1="{_num(y)}" x2="{WIDTH - PLOT_RIGHT}" y2="{_num(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        label = number_format(value, decimal_pos=0 if value == int(value) else 1)
        body.append(_text(PLOT_LEFT - 6, y + 4, label, size=SMALL, fill=MUTED, text_anchor="end"))
    # Month labels never touch: skip some when the longest ("janv. 2026") is wider than
    # the room between two months.
    longest = max((len(_shorten(name, 10)) for name in t.columns), default=0)
    room = max(44, longest * SMALL * 0.55 + 8)
    every = max(1, math.ceil(room / step)) if step else 1
    for j, name in enumerate(t.columns):
        if j % every == 0:
            body.append(
                _text(x_of(j), bottom + 16, _shorten(name, 10), size=SMALL, text_anchor="middle")
            )
    masked_points = 0
    for s, row in enumerate(t.rows):
        colour, dash = PALETTE[s % len(PALETTE)], DASHES[s % len(DASHES)]
        segments: list[list[tuple[float, float, Cell]]] = [[]]
        for j, cell in enumerate(row.cells):
            if cell.hidden or cell.value is None:
                masked_points += cell.hidden
                segments.append([])
            else:
                segments[-1].append((x_of(j), y_of(cell.value), cell))
        path = " ".join(
            "M" + " L".join(f"{_num(x)} {_num(y)}" for x, y, _c in segment)
            for segment in segments
            if segment
        )
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(f'<g class="series" data-series="{esc(row.label)}">')
        if path:
            body.append(
                f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5"'
                f'{dash_attr} stroke-linejoin="round"/>'
            )
        for segment in segments:
            for x, y, cell in segment:
                body.append(
                    f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3" fill="{colour}" '
                    f'data-value="{cell.value}"/>'
                )
        body.append("</g>")
    y = bottom + AXIS_SPACE
    for s, row in enumerate(t.rows):
        colour, dash = PALETTE[s % len(PALETTE)], DASHES[s % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(
            f'<line x1="0" y1="{_num(y + 8)}" x2="28" y2="{_num(y + 8)}" stroke="{colour}" '
            f'stroke-width="2.5"{dash_attr}/>'
        )
        body.append(_text(36, y + 12, _shorten(row.label, _chars_for(WIDTH - 36))))
        y += LEGEND_ROW
    if not t.rows or not t.columns:
        _empty(body, y + FONT)
        y += LEGEND_ROW
    desc = (t.description + " " if t.description else "") + ngettext(
        "Line chart, %(count)s series", "Line chart, %(count)s series", len(t.rows)
    ) % {"count": len(t.rows)}
    if t.columns:
        desc += " " + _("from %(first)s to %(last)s.") % {
            "first": t.columns[0],
            "last": t.columns[-1],
        }
    else:
        desc += "."
    if masked_points:
        desc += " " + _("Masked counts leave gaps in the lines.")
    desc += _masked_note(t)
    return _figure(
        kind="line",
        slug=slug,
        table=t,
        title=t.title,
        desc=desc,
        height=y + 4,
        body=body,
        with_data=with_data,
    )


# ---------------------------------------------------------------------------------------
# Funnel: referrals proposed, accepted, done
# ---------------------------------------------------------------------------------------


def percent(part: int, whole: int) -> str:
    return _("%(percent)s%%") % {"percent": number_format(round(100 * part / whole))}


def funnel_chart(
    steps: Table | SuppressedTable,
    *,
    column: int = 0,
    slug: str = "funnel",
    with_data: bool = True,
) -> SafeString:
    """Each row of ``steps`` is a step, in order (proposed, accepted, done): centred bars
    as wide as their count, with the share of the first step when both are shown."""
    t = displayed(steps)
    cells = t.column(column) if t.columns else []
    shown_values = [c.value for c in cells if not c.hidden and c.value is not None]
    top = max(shown_values, default=0)
    first = cells[0] if cells else None
    body: list[str] = []
    hatch = _ids(slug)[0] + "-masked"
    if any(c.hidden for c in cells):
        # A masked step is the empty track, hatched: any length would tell its count.
        body.append(
            f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" '
            f'stroke="{GRID}" stroke-width="2"/></pattern></defs>'
        )
    y = 0.0
    if not t.rows:
        _empty(body, FONT + 4)
        y = FONT + 12
    for i, (row, cell) in enumerate(zip(t.rows, cells, strict=True)):
        text = pair(row.label, cell.display or "–")
        if (
            i > 0
            and first is not None
            and not first.hidden
            and first.value
            and not cell.hidden
            and cell.value is not None
        ):
            text += f" ({percent(cell.value, first.value)})"
        body.append(f'<g class="funnel-step"><title>{esc(text)}</title>')
        body.append(
            _text(WIDTH / 2, y + FONT, _shorten(text, _chars_for(WIDTH)), text_anchor="middle")
        )
        bar_y = y + FONT + 6
        if cell.hidden:
            # The whole track, outlined and hatched, its mark written in the middle: no
            # length at all, so nothing to read off it (nor a step narrower than the next).
            body.append(
                f'<rect class="step-masked" x="0.5" y="{_num(bar_y)}" width="{WIDTH - 1}" '
                f'height="{BAR_HEIGHT + 4}" fill="url(#{hatch})" stroke="{MUTED}" '
                'stroke-dasharray="3 3"/>'
            )
            body.append(
                _text(
                    WIDTH / 2,
                    bar_y + (BAR_HEIGHT + 4) / 2 + 4,
                    cell.display,
                    text_anchor="middle",
                    class_="value",
                )
            )
        elif cell.value is not None:
            length = WIDTH * cell.value / top if top else 0
            body.append(
                f'<rect class="step" x="{_num((WIDTH - length) / 2)}" y="{_num(bar_y)}" '
                f'width="{_num(length)}" height="{BAR_HEIGHT + 4}" fill="{BAR}" '
                f'data-value="{cell.value}"/>'
            )
        body.append("</g>")
        y += ROW_HEIGHT + 4
    desc = (t.description + " " if t.description else "") + ngettext(
        "Funnel of %(count)s step.", "Funnel of %(count)s steps.", len(t.rows)
    ) % {"count": len(t.rows)}
    if t.rows:
        steps_text = [pair(r.label, c.display or "–") for r, c in zip(t.rows, cells, strict=True)]
        desc += " " + "; ".join(steps_text) + "."
    desc += _masked_note(t)
    return _figure(
        kind="funnel",
        slug=slug,
        table=t,
        title=t.title,
        desc=desc,
        height=max(y, 1),
        body=body,
        with_data=with_data,
    )


# ---------------------------------------------------------------------------------------
# Heat map: a count per row x column (weekday x hour)
# ---------------------------------------------------------------------------------------

HEAT_LABEL = 44  # room for the day names
HEAT_ROW = 28


def heat_map(
    table: Table | SuppressedTable, *, slug: str = "heat", with_data: bool = True
) -> SafeString:
    """One square per cell, darker for more, with its count written in it (colour is
    never the only carrier: the number is there, and the table below). A masked count is
    an outlined square with its mark."""
    t = displayed(table)
    n = len(t.columns)
    shown_values = [
        c.value for row in t.rows for c in row.cells if not c.hidden and c.value is not None
    ]
    top = max(shown_values, default=0)
    size = (WIDTH - HEAT_LABEL) / n if n else 0
    body: list[str] = []
    # Hour labels on top, every other one when they are narrow.
    every = 1 if size >= 22 else 2
    for j, name in enumerate(t.columns):
        if j % every == 0:
            x = HEAT_LABEL + size * (j + 0.5)
            body.append(_text(x, SMALL, name.replace(" h", ""), size=SMALL, text_anchor="middle"))
    y0 = SMALL + 6
    for i, row in enumerate(t.rows):
        y = y0 + HEAT_ROW * i
        # "lun", "mar"...: the data table below has the full names.
        body.append(_text(0, y + HEAT_ROW / 2 + 4, row.label[:3], size=SMALL))
        for j, cell in enumerate(row.cells):
            x = HEAT_LABEL + size * j
            title = esc(pair(f"{row.label}, {t.columns[j]}", cell.display or "–"))
            body.append(f'<g class="heat-cell"><title>{title}</title>')
            if cell.hidden or cell.value is None:
                body.append(
                    f'<rect x="{_num(x + 1)}" y="{_num(y + 1)}" width="{_num(size - 2)}" '
                    f'height="{HEAT_ROW - 2}" fill="none" stroke="{MUTED}" stroke-dasharray="2 2"/>'
                )
                text, fill = cell.display or "–", MUTED
            else:
                share = cell.value / top if top else 0
                # From a pale tint to the bar colour; text turns white on dark squares.
                fill_opacity = 0.08 + 0.92 * share
                body.append(
                    f'<rect class="heat" x="{_num(x + 1)}" y="{_num(y + 1)}" '
                    f'width="{_num(size - 2)}" height="{HEAT_ROW - 2}" fill="{BAR}" '
                    f'fill-opacity="{fill_opacity:.2f}" data-value="{cell.value}"/>'
                )
                text, fill = (
                    (cell.display if cell.value else ""),
                    ("#ffffff" if share > 0.55 else TEXT),
                )
            # A count written smaller than the labels would be unreadable on a phone:
            # in narrow squares the shade, the square's title and the table tell it.
            if text and size >= 20:
                body.append(
                    _text(
                        x + size / 2,
                        y + HEAT_ROW / 2 + 4,
                        text,
                        size=SMALL,
                        fill=fill,
                        text_anchor="middle",
                        class_="value",
                    )
                )
            body.append("</g>")
    height = y0 + HEAT_ROW * len(t.rows) + 4
    if not shown_values and not t.hidden_count:
        _empty(body, height + FONT)
        height += FONT + 8
    desc = (t.description + " " if t.description else "") + _(
        "Heat map: one square per day and hour, darker for more encounters, its count "
        "written in it."
    )
    if shown_values:
        best = max(
            ((row, j, c) for row in t.rows for j, c in enumerate(row.cells) if not c.hidden),
            key=lambda item: item[2].value or 0,
        )
        desc += " " + _("Busiest: %(label)s, %(value)s.") % {
            "label": f"{best[0].label} {t.columns[best[1]]}",
            "value": best[2].display,
        }
    desc += _masked_note(t)
    return _figure(
        kind="heatmap",
        slug=slug,
        table=t,
        title=t.title,
        desc=desc,
        height=height,
        body=body,
        with_data=with_data,
    )


def _total_measure(table: SuppressedTable) -> str:
    """What the rows' totals of a table count, for the title of their chart."""
    measure = {"signals": "signals", "partners": "referrals"}.get(table.name)
    return dict(headline_labels()).get(measure, _("all together"))


# Headings that name the measure a chart draws, where the table's title does not (the
# table itself shows every column): "Encounters by territory", not "By territory".
_HEADINGS = {
    ("territories", 1): gettext_lazy("Encounters by territory"),
    ("places", 2): gettext_lazy("Encounters per 10 hours in the field, by place"),
    ("topics", 0): gettext_lazy("Encounters by topic"),
}


def chart_heading(table: Table | SuppressedTable) -> str:
    """The visible heading above a chart: it names the measure drawn, as the SVG's
    title does ("Rencontres par territoire", never only "Par territoire")."""
    t = displayed(table)
    if t.chart != "bar" or len(t.rows) == 1:  # other charts' titles name their measure
        return t.title
    column = t.chart_column
    if column == "total" and not t.show_row_totals:
        column = 0
    heading = _HEADINGS.get((t.name, column))
    if heading is not None:
        return str(heading)
    measure = _total_measure(t) if column == "total" else t.columns[column]
    if not measure or measure.lower() in t.title.lower():
        return t.title
    return f"{t.title} · {measure}"


def table_only(table: Table | SuppressedTable) -> SafeString:
    """The figures as a table that scrolls sideways on a phone, where no chart fits."""
    t = displayed(table)
    return format_html(
        '<div class="table-wrap" tabindex="0" role="region" aria-label="{}">{}</div>',
        t.title,
        data_table(t),
    )


def chart_for(table: Table | SuppressedTable, *, slug: str, with_data: bool = True) -> SafeString:
    """The chart that ``table.chart`` asks for ("" for "none")."""
    t = displayed(table)
    if t.chart == "bar" and len(t.rows) == 1:
        # One bar compares nothing: beside its table it only repeats the total (every
        # partner gathered into "All partners"). The table alone, then; in a PDF, which
        # prints the table under the chart anyway, nothing.
        return table_only(t) if with_data else mark_safe("")
    if t.chart == "line":
        return line_chart(t, slug=slug, with_data=with_data)
    if t.chart == "funnel":
        return funnel_chart(t, slug=slug, with_data=with_data)
    if t.chart == "heatmap":
        return heat_map(t, slug=slug, with_data=with_data)
    if t.chart == "bar":
        # One measure per chart: the table's main column, or the rows' totals where every
        # column counts the same thing (signals by reason) and the table shows them.
        column = t.chart_column
        if column == "total" and not t.show_row_totals:
            column = 0
        return bar_chart(t, column=column, slug=slug, with_data=with_data)
    return mark_safe("")
