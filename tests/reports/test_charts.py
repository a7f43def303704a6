"""Tests for reports.charts: SVG that says what the table says, and no more."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from reports import charts
from reports.charts import bar_chart, chart_for, funnel_chart, line_chart
from reports.suppression import legend, suppress
from reports.tables import Row, Table

SVG = "{http://www.w3.org/2000/svg}"
NASTY = "<script>alert(\"x\")</script> & Cie 'quote'"


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def parse(figure: str) -> ET.Element:
    """The whole figure is well-formed XML: no HTML entities, every label escaped."""
    assert isinstance(figure, SafeString)
    return ET.fromstring(figure)


def svg_of(figure: ET.Element) -> ET.Element:
    svg = figure.find(f"{SVG}svg")
    assert svg is not None
    return svg


def bars(figure: ET.Element, css: str = "bar") -> list[ET.Element]:
    return [r for r in figure.iter(f"{SVG}rect") if r.get("class") == css]


def texts(element: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in element.iter(f"{SVG}text")]


def by_territory(values: list[int | None], labels: list[str] | None = None) -> Table:
    labels = labels or ["Prades", "Mosson", "Clermont-l'Hérault", "Villers", "Ailly"][: len(values)]
    return Table(
        title="Échanges par territoire",
        description="Échanges du mois, par territoire.",
        row_header="Territoire",
        columns=["Échanges"],
        rows=[Row(label, [v]) for label, v in zip(labels, values, strict=True)],
        totals=True,
    )


def assert_accessible(figure: ET.Element, slug: str) -> None:
    assert figure.tag == "figure" and figure.get("id") == f"chart-{slug}"
    svg = svg_of(figure)
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == title_id == f"chart-{slug}-title"
    assert svg.find(f"{SVG}desc").get("id") == desc_id == f"chart-{slug}-desc"
    assert svg.find(f"{SVG}title").text and svg.find(f"{SVG}desc").text
    # Fluid and printable: no fixed pixel size, the drawing keeps its proportions.
    assert svg.get("width") == "100%" and svg.get("height") is None
    assert svg.get("preserveAspectRatio") == "xMinYMin meet"
    assert re.fullmatch(r"0 0 \d+ [\d.]+", svg.get("viewBox"))
    # The CSP forbids inline styles.
    assert all("style" not in el.attrib for el in figure.iter())


def test_bar_lengths_are_proportional_to_values():
    figure = parse(bar_chart(by_territory([120, 60, 30, 0, 15]), slug="bars"))
    assert_accessible(figure, "bars")
    widths = [float(r.get("width")) for r in bars(figure)]
    values = [int(r.get("data-value")) for r in bars(figure)]
    assert values == [120, 60, 30, 0, 15]
    assert widths[0] == charts.WIDTH - charts.VALUE_SPACE
    for width, value in zip(widths, values, strict=True):
        assert width == pytest.approx(widths[0] * value / 120, abs=0.01)
    svg_text = texts(figure)
    assert "Prades" in svg_text and "120" in svg_text and "0" in svg_text
    # The highest bar is named in the description, for screen readers.
    assert "Prades, 120" in svg_of(figure).find(f"{SVG}desc").text


def test_the_data_table_is_in_the_figure():
    figure = parse(bar_chart(by_territory([1234, 60]), slug="bars"))
    details = figure.find("details")
    # UI strings go through the catalogue ("Voir les données" in French once merged).
    assert details.find("summary").text == _("Show the data")
    table = details.find("table")
    assert table.find("caption").text == "Échanges par territoire"
    assert [th.text for th in table.iter("th")][:2] == ["Territoire", "Échanges"]
    body = [[c.text for c in tr] for tr in table.find("tbody")]
    assert body == [["Prades", "1\xa0234"], ["Mosson", "60"]]
    assert [c.text for c in table.find("tfoot").find("tr")] == ["Total", "1\xa0294"]
    assert "<details" not in bar_chart(by_territory([1]), slug="b", with_data=False)


def test_labels_are_escaped_everywhere():
    raw = bar_chart(by_territory([5, 7], [NASTY, "a\x00b\x1fc"]), slug="x")
    assert "<script>" not in raw
    figure = parse(raw)
    assert NASTY in texts(figure)
    assert "abc" in texts(figure)  # control characters dropped, the SVG stays valid XML
    assert NASTY in [th.text for th in figure.iter("th")]
    for chart in (line_chart, funnel_chart):
        out = chart(by_territory([5, 7], [NASTY, "b"]), slug="x")
        assert "<script>" not in out
        assert NASTY in "".join(parse(out).itertext())


def test_masked_counts_get_no_bar_and_do_not_set_the_scale():
    # 3 is masked, and 40 with it (secondary): the scale comes from 500 and 200.
    table = suppress(by_territory([3, 40, 500, 200]), 11)
    assert [c.hidden for c in table.column(0)] == [True, True, False, False]
    figure = parse(bar_chart(table, slug="masked"))
    assert [int(r.get("data-value")) for r in bars(figure)] == [500, 200]
    assert float(bars(figure)[0].get("width")) == charts.WIDTH - charts.VALUE_SPACE
    # The small count reads "< 11", the larger one masked to protect it "s".
    assert texts(figure).count("< 11") == 1 and texts(figure).count("s") == 1
    # Neither the masked values nor their totals show up anywhere in the figure.
    everything = " ".join(figure.itertext()) + str([el.attrib for el in figure.iter()])
    assert not re.search(r"\b(3|40)\b", everything)
    assert legend(11) in svg_of(figure).find(f"{SVG}desc").text


def test_zero_and_empty_tables():
    zeros = parse(bar_chart(by_territory([0, 0]), slug="z"))
    assert [float(r.get("width")) for r in bars(zeros)] == [0, 0]
    empty = Table("Rien", "", "Territoire", ["n"], [])
    for chart in (bar_chart, line_chart, funnel_chart):
        figure = parse(chart(empty, slug="empty"))
        assert_accessible(figure, "empty")
        assert _("No figures for this period.") in texts(figure)
    no_columns = Table("Rien", "", "Territoire", [], [])
    parse(bar_chart(no_columns, slug="nc"))
    parse(line_chart(no_columns, slug="nc"))


def monthly() -> Table:
    return Table(
        title="Tendance",
        description="",
        row_header="Type",
        columns=["janv.", "févr.", "mars", "avr."],
        rows=[
            Row("Contacts brefs", [40, 80, 60, 100]),
            Row("Échanges", [20, None, 30, 50]),
            Row("Refus", [0, 12, 14, 25]),
        ],
    )


def test_line_chart_points_follow_the_values_and_gaps_mark_missing_ones():
    figure = parse(line_chart(monthly(), slug="trend"))
    assert_accessible(figure, "trend")
    series = [g for g in figure.iter(f"{SVG}g") if g.get("class") == "series"]
    assert [g.get("data-series") for g in series] == ["Contacts brefs", "Échanges", "Refus"]
    points = list(series[0].iter(f"{SVG}circle"))
    ys = [float(c.get("cy")) for c in points]
    bottom = charts.PLOT_TOP + charts.PLOT_HEIGHT
    # Axis top is the nice ceiling of 100, i.e. 100.
    for y, value in zip(ys, [40, 80, 60, 100], strict=True):
        assert bottom - y == pytest.approx(charts.PLOT_HEIGHT * value / 100, abs=0.01)
    xs = [float(c.get("cx")) for c in points]
    assert xs[0] == charts.PLOT_LEFT and xs[-1] == charts.WIDTH - charts.PLOT_RIGHT
    gaps = [b - a for a, b in zip(xs[:-1], xs[1:], strict=True)]
    assert gaps == pytest.approx([gaps[0]] * 3, abs=0.02)
    # The missing month splits the second line in two.
    path = series[1].find(f"{SVG}path").get("d")
    assert path.count("M") == 2
    assert len(series[1].findall(f"{SVG}circle")) == 3
    # Lines differ by dash pattern as well as colour; the legend names each.
    dashes = {g.find(f"{SVG}path").get("stroke-dasharray") for g in series}
    assert len(dashes) == 3
    assert {"Contacts brefs", "Échanges", "Refus", "janv.", "avr."} <= set(texts(figure))


def test_line_chart_leaves_masked_counts_out():
    source = monthly()
    source.rows[2].values = [0, 4, 14, 25]
    table = suppress(source, 11)
    figure = parse(line_chart(table, slug="trend"))
    values = [int(c.get("data-value")) for c in figure.iter(f"{SVG}circle")]
    masked = {c.value for c in table.all_cells() if c.hidden}
    assert masked and not masked & set(values)
    assert _("Masked counts leave gaps in the lines.") in svg_of(figure).find(f"{SVG}desc").text


def test_nice_ceiling():
    assert [charts.nice_ceiling(v) for v in (0, 1, 3, 7, 11, 100, 101, 240, 4300)] == [
        1, 1, 5, 10, 20, 100, 200, 250, 5000,
    ]  # fmt: skip


def referrals(proposed: int, accepted: int, done: int) -> Table:
    return Table(
        title="Orientations",
        description="",
        row_header="Étape",
        columns=["Orientations"],
        rows=[Row("Proposées", [proposed]), Row("Acceptées", [accepted]), Row("Faites", [done])],
        chart="funnel",
    )


def test_funnel_steps_are_centred_proportional_and_give_shares():
    figure = parse(funnel_chart(referrals(80, 40, 20), slug="funnel"))
    assert_accessible(figure, "funnel")
    steps = bars(figure, "step")
    widths = [float(r.get("width")) for r in steps]
    assert widths == [charts.WIDTH, charts.WIDTH / 2, charts.WIDTH / 4]
    for rect in steps:
        centre = float(rect.get("x")) + float(rect.get("width")) / 2
        assert centre == pytest.approx(charts.WIDTH / 2)
    label = _("%(label)s: %(value)s") % {
        "label": "Acceptées",
        "value": "40 (" + _("%(percent)s%%") % {"percent": 50} + ")",
    }
    assert label in texts(figure)
    with translation.override("en"):
        figure = parse(funnel_chart(referrals(80, 40, 20), slug="f"))
        assert "Acceptées: 40 (50%)" in texts(figure)


def test_funnel_with_masked_steps_gives_no_share_of_them():
    table = suppress(referrals(80, 40, 5), 11)
    figure = parse(funnel_chart(table, slug="funnel"))
    assert [int(r.get("data-value")) for r in bars(figure, "step")] == [80]
    assert len(bars(figure, "step-masked")) == 2
    assert not any("%" in t for t in texts(figure))


def test_ids_are_unique_per_chart():
    tables = [by_territory([5, 7]), monthly(), referrals(3, 2, 1)]
    charts = [chart_for(t, slug=f"mai-2026-{n}", with_data=False) for n, t in enumerate(tables)]
    page = "<div>" + "".join(charts) + "</div>"
    ids = [el.get("id") for el in ET.fromstring(page).iter() if el.get("id")]
    assert len(ids) == len(set(ids)) == 9
    assert chart_for(Table("T", "", "x", ["n"], [], chart="none"), slug="n") == ""
    assert 'id="chart-mosson-cest-ici"' in bar_chart(by_territory([1]), slug="Mosson: c'est ici")


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str = "#ffffff") -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_colours_have_enough_contrast_on_white():
    assert contrast(charts.TEXT) >= 4.5 and contrast(charts.MUTED) >= 4.5
    assert contrast(charts.BAR) >= 4.5
    assert all(contrast(colour) >= 3 for colour in charts.PALETTE)


def test_value_labels_carry_their_class():
    figure = bar_chart(by_territory([5, 7]), slug="labels")
    assert 'class="value"' in figure
    assert "class-=" not in figure


def partners(rows: list[tuple[str, list[int]]]) -> Table:
    return Table(
        title="Orientations par partenaire et par suite donnée",
        description="",
        row_header="Partenaire",
        columns=["Proposée", "Acceptée", "Faite"],
        rows=[Row(label, values) for label, values in rows],
        totals=True,
        chart_column="total",
        name="partners",
    )


def test_one_bar_is_no_chart_the_table_shows_instead():
    """Every partner gathered into "All partners": one bar, equal to the total, compared
    with nothing. The page shows the table; the PDF (which prints the table) no chart."""
    table = suppress(partners([("Tous les partenaires", [5, 4, 3])]), 11)
    page = chart_for(table, slug="p")
    assert "<svg" not in page and "<table" in page and "Tous les partenaires" in page
    assert chart_for(table, slug="p", with_data=False) == ""
    # Two rows or more: a chart again.
    two = partners([("CAF", [5, 4, 3]), ("CCAS", [9, 4, 1])])
    assert "<svg" in chart_for(two, slug="p")


def test_every_bar_chart_names_its_measure_in_its_title():
    totals = parse(chart_for(partners([("CAF", [5, 4, 3]), ("CCAS", [9, 4, 1])]), slug="t"))
    assert svg_of(totals).find(f"{SVG}title").text == (
        "Orientations par partenaire et par suite donnée · Orientations"
    )
    one_column = parse(bar_chart(by_territory([3, 5]), slug="c"))
    assert svg_of(one_column).find(f"{SVG}title").text == "Échanges par territoire · Échanges"
