"""Charts on a phone: headings that name the measure, masked funnel steps drawn without
a length, trend labels that never overlap."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation

from reports import charts
from reports.suppression import suppress
from reports.tables import Row, Table

SVG = "{http://www.w3.org/2000/svg}"


# ---------------------------------------------------------------------------------------
# Charts: headings that name the measure, masked funnel steps
# ---------------------------------------------------------------------------------------


def _territories(rows: list[tuple[str, list[int]]]) -> Table:
    return Table(
        title="By territory",
        description="",
        row_header="Territory",
        columns=["Sessions", "Encounters", "Signals", "Referrals"],
        rows=[Row(label, values) for label, values in rows],
        totals=True,
        adds_up="columns",
        chart_column=1,
        name="territories",
    )


def test_chart_headings_name_their_measure():
    table = _territories([("Prades", [3, 40, 5, 2]), ("Gare", [1, 12, 0, 1])])
    with translation.override("fr"):
        assert charts.chart_heading(table) == "Rencontres par territoire"
    with translation.override("en"):
        assert charts.chart_heading(table) == "Encounters by territory"
    # A table with one row is shown as a table, every column named: its title is enough.
    assert charts.chart_heading(_territories([("Prades", [3, 40, 5, 2])])) == "By territory"
    other = Table(
        title="Partners",
        description="",
        row_header="Partner",
        columns=["Referrals"],
        rows=[Row("CAF", [4]), Row("CCAS", [2])],
    )
    assert charts.chart_heading(other) == "Partners · Referrals"


@pytest.mark.django_db
def test_dashboard_chart_headings_name_their_measure(manager_client, field):
    page = manager_client.get(reverse("dashboard") + "?period=month&on=2026-03-01")
    headings = re.findall(r"<h3>(.*?)</h3>", page.content.decode())
    assert "Rencontres par territoire" in headings
    assert "Rencontres pour 10 heures sur le terrain, par lieu" in headings
    assert "Rencontres par sujet" in headings
    assert "Par territoire" not in headings and "Sujets abordés" not in headings


def test_a_masked_funnel_step_is_an_empty_hatched_track_with_its_mark():
    steps = Table(
        title="Referrals: from proposed to done",
        description="",
        row_header="Step",
        columns=["Referrals"],
        rows=[Row("Proposed", [4]), Row("Accepted", [30]), Row("Done", [20])],
        chart="funnel",
        adds_up="none",
    )
    figure = ET.fromstring(charts.funnel_chart(suppress(steps, threshold=11), slug="f"))
    masked = [r for r in figure.iter(f"{SVG}rect") if r.get("class") == "step-masked"]
    assert len(masked) == 1
    # No length of its own: the whole track, hatched, never a bar narrower than the next.
    assert float(masked[0].get("x")) + float(masked[0].get("width")) == pytest.approx(
        charts.WIDTH, abs=1
    )
    pattern = figure.find(f".//{SVG}pattern")
    assert pattern is not None and masked[0].get("fill") == f"url(#{pattern.get('id')})"
    values = ["".join(t.itertext()) for t in figure.iter(f"{SVG}text") if t.get("class") == "value"]
    assert values == ["< 11"]
    assert not any(r.get("data-value") == "4" for r in figure.iter(f"{SVG}rect"))


def test_month_labels_of_a_trend_never_overlap():
    months = [f"{m} 2026" for m in ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil."]]
    months += [f"{m} 2026" for m in ["août", "sept.", "oct.", "nov.", "déc."]]
    table = Table(
        title="Signaux par mois",
        description="",
        row_header="Motif",
        columns=months,
        rows=[Row("Non-demande", list(range(12)))],
        chart="line",
    )
    figure = ET.fromstring(charts.line_chart(table, slug="t"))
    xs = [
        float(t.get("x"))
        for t in figure.iter(f"{SVG}text")
        if t.get("text-anchor") == "middle" and "2026" in "".join(t.itertext())
    ]
    width = 10 * charts.SMALL * 0.55  # "janv. 2026", ten characters
    assert len(xs) >= 2
    assert all(b - a >= width for a, b in zip(xs, xs[1:], strict=False))
