"""Tests for reports.exports: files read back with the tools their users' software uses."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import openpyxl
import pypdf
import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from reports.exports import (
    XLSX_HEADER_ROW,
    report_html,
    sheet_names,
    to_csv,
    to_pdf,
    to_xlsx,
)
from reports.suppression import suppress
from reports.tables import Row, Table

MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin"]


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def by_territory(title: str = "Échanges par territoire") -> Table:
    return Table(
        title=title,
        description="Par territoire et tranche d'âge.",
        row_header="Territoire",
        columns=["16-25 ans", "26-59 ans", "60 ans et plus"],
        rows=[
            Row("Prades", [3, 120, 45]),
            Row("Mosson", [1234, 300, 0]),
            Row("Clermont-l'Hérault", [25, 60, 80]),
            Row('=HYPERLINK("http://x")', [40, 50, 60]),
        ],
        totals=True,
    )


def trend() -> Table:
    return Table(
        title="Tendance",
        description="",
        row_header="Type",
        columns=MONTHS,
        rows=[
            Row("Contacts brefs", [40, 80, 60, 100, 120, 90]),
            Row("Échanges", [20, None, 30, 50, 45, 38]),
        ],
        chart="line",
    )


def referrals() -> Table:
    return Table(
        "Orientations",
        "",
        "Étape",
        ["Orientations"],
        [Row("Proposées", [80]), Row("Acceptées", [47]), Row("Faites", [31])],
        chart="funnel",
    )


# ---------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------


def test_xlsx_has_one_sheet_per_table_real_numbers_and_masked_text():
    masked = suppress(by_territory(), 11)
    content = to_xlsx([masked, trend()], title="Bilan de mai")
    assert content[:2] == b"PK"
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Échanges par territoire", "Tendance"]
    sheet = workbook["Échanges par territoire"]
    assert sheet["A1"].value == "Échanges par territoire"
    assert sheet["A2"].value == "Par territoire et tranche d'âge."
    rows = list(sheet.iter_rows(min_row=XLSX_HEADER_ROW + 1, values_only=True))
    assert rows[0] == ("Territoire", "16-25 ans", "26-59 ans", "60 ans et plus", "Total")
    prades, mosson = rows[1], rows[2]
    assert prades[0] == "Prades" and prades[1] == "< 11" and prades[4] == 168
    assert mosson[1:] == (1234, 300, 0, 1534)
    assert all(isinstance(v, int) for v in mosson[1:])
    # A label that looks like a formula stays text.
    assert rows[4][0] == '=HYPERLINK("http://x")'
    assert sheet.cell(XLSX_HEADER_ROW + 5, 1).data_type == "s"
    total = rows[5]
    assert total[0] == "Total" and total[4] == sum(r.total() for r in by_territory().rows)
    # A small count reads "< 11", a larger one masked to protect it "s", every other
    # figure is a number.
    figures = [v for row in rows[1:6] for v in row[1:]]
    hidden = [c for c in masked.all_cells() if c.hidden]
    assert figures.count("< 11") + figures.count("s") == len(hidden) >= 2
    assert all(isinstance(v, int) or v in ("< 11", "s") for v in figures)
    note = [r[0] for r in sheet.iter_rows(min_row=XLSX_HEADER_ROW + 8, values_only=True)]
    assert any(text and "< 11" in text and "« s »" in text for text in note)
    # Column widths are set and the header row stays in view.
    assert sheet.column_dimensions["A"].width >= len("Clermont-l'Hérault")
    assert sheet.freeze_panes == f"B{XLSX_HEADER_ROW + 2}"
    # A table for the team: no masking, a blank for "no figure".
    trend_rows = list(workbook["Tendance"].iter_rows(min_row=XLSX_HEADER_ROW + 1, values_only=True))
    assert trend_rows[2] == ("Échanges", 20, None, 30, 50, 45, 38)


def test_sheet_names_are_short_legal_and_unique():
    names = sheet_names(
        [
            "Orientations par structure partenaire et par mois",
            "Orientations par structure partenaire et par mois",
            "orientations par structure partenaire et par mois",
            "Signaux [non-recours]: RSA/AME?",
            "'History'",
            "",
        ]
    )
    assert all(len(n) <= 31 for n in names)
    assert len({n.casefold() for n in names}) == len(names)
    assert names[0] == "Orientations par structure part"
    assert names[1].endswith(" (2)") and names[2].endswith(" (3)")
    assert names[3] == "Signaux non-recours RSA AME"
    assert names[4].casefold() != "history" and names[5]
    # XlsxWriter accepts them all.
    tables = [Table(title, "", "x", ["n"], [Row("a", [1])]) for title in ["A" * 40] * 3]
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(tables)))
    assert len(workbook.sheetnames) == 3


def test_xlsx_of_no_tables_is_still_a_workbook():
    assert openpyxl.load_workbook(io.BytesIO(to_xlsx([]))).sheetnames


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM French Excel needs for UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_csv_blocks_per_table_semicolons_bom_and_plain_numbers():
    masked = suppress(by_territory(), 11)
    lines = read_csv(to_csv([masked, trend(), referrals()]))
    blocks, block = [], []
    for line in lines:
        if line:
            block.append(line)
        else:
            blocks.append(block)
            block = []
    blocks.append(block)
    assert len(blocks) == 3
    first = blocks[0]
    assert first[0] == ["Échanges par territoire"]
    assert first[1] == ["Par territoire et tranche d'âge."]
    assert first[2] == ["Territoire", "16-25 ans", "26-59 ans", "60 ans et plus", "Total"]
    assert first[3][0] == "Prades" and first[3][1] == "< 11"
    # Plain digits, no thousands separator, whatever the language.
    assert first[4] == ["Mosson", "1234", "300", "0", "1534"]
    # A formula-looking label is defused for spreadsheets.
    assert first[6][0] == '\'=HYPERLINK("http://x")'
    assert first[7][0] == "Total" and first[7][-1] == "2017"
    assert first[8][0].startswith("« < 11 »")
    assert blocks[1][1] == ["Type", *MONTHS]
    assert blocks[1][3] == ["Échanges", "20", "", "30", "50", "45", "38"]
    assert blocks[2][-1] == ["Faites", "31"]
    assert "Total" not in [line[0] for line in blocks[1]]  # the table shows no totals


def test_csv_keeps_accents_and_quotes_separators():
    table = Table("Lieux ; quais", "", "Lieu", ["n"], [Row('Gare "SNCF"; parvis', [12])])
    lines = read_csv(to_csv([table]))
    assert lines == [["Lieux ; quais"], ["Lieu", "n"], ['Gare "SNCF"; parvis', "12"]]


# ---------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------


def monthly_report() -> list:
    """About ten tables, as a monthly report has."""
    tables = []
    for n in range(10):
        if n % 3 == 0:
            tables.append(trend())
        elif n % 3 == 1:
            tables.append(referrals())
        else:
            tables.append(by_territory(f"Échanges par territoire {n}"))
    return [suppress(t, 11) for t in tables]


def test_pdf_is_a_real_pdf_with_the_figures():
    content = to_pdf(
        [suppress(by_territory(), 11), trend(), referrals()],
        organisation="EVS de Prades <test>",
        period="mai 2026",
    )
    assert content.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 1
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in [
        "EVS de Prades <test>",
        "mai 2026",
        "Échanges par territoire",
        "Clermont-l'Hérault",
        "1 534",
        "< 11",
        "Tendance",
        "Orientations",
        "Proposées",
    ]:
        assert expected in text.replace("\xa0", " "), expected
    assert "=HYPERLINK" in text  # just text in a PDF


def test_pdf_html_is_well_formed_and_holds_charts_without_fetching_anything():
    html = report_html(monthly_report(), organisation="EVS & co", period="mai 2026")
    assert html.count("<svg") == 10 and html.count('role="img"') == 10
    assert "EVS &amp; co" in html
    assert "<details" not in html  # the data table is printed, not folded away
    assert 'lang="fr"' in html
    body = html[html.index("<body>") : html.index("</body>") + len("</body>")]
    ids = [el.get("id") for el in ET.fromstring(body).iter() if el.get("id")]
    assert len(ids) == len(set(ids))


def test_pdf_generation_fetches_no_url():
    with pytest.raises(ValueError, match="no external resource"):
        from reports.exports import _no_fetch

        _no_fetch("http://169.254.169.254/latest")


def test_pdf_template_renders_with_no_table():
    html = render_to_string(
        "reports/report_pdf.html",
        {
            "organisation": "EVS",
            "period": "mai 2026",
            "generated_at": None,
            "language": "fr",
            "sections": [],
            "notes": [],
        },
    )
    assert _("No figures for this period.") in html


def test_pdf_of_a_whole_monthly_report_holds_every_table():
    # Its speed is measured by bench/dashboard.py, not here (a timed test is flaky).
    content = to_pdf(monthly_report(), organisation="EVS de Prades", period="mai 2026")
    assert len(pypdf.PdfReader(io.BytesIO(content)).pages) >= 2
