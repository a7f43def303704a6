"""The federation manager compares the three demo organisations on a phone and takes
the XLSX away."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_federation_manager_compares_the_demo_organisations_and_downloads_the_xlsx(login):
    call_command("seed_demo", verbosity=0)
    page = login("federation@terrain.demo", "terrain-demo")
    page.locator("details.account-menu > summary").click()  # the menu
    page.get_by_role("link", name="Chiffres de toutes mes organisations").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Chiffres de toutes mes organisations"
    )
    side = page.locator("section", has_text="Organisations côte à côte")
    for name in ("Prades", "Mosson", "Picardie"):
        expect(side.locator("figure")).to_contain_text(name)
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("link", name="Trimestre").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("T")
    page.get_by_role("link", name="Précédent").click()
    assert "-Q" in page.url

    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    # Playwright keeps the file without its extension, which openpyxl refuses by name.
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert workbook.worksheets[0].title == "Bilan"
    side_sheet = workbook["Organisations côte à côte"]
    names = [row[0] for row in side_sheet.iter_rows(values_only=True) if row and row[0]]
    assert any("Prades" in str(n) for n in names) and any("Mosson" in str(n) for n in names)
