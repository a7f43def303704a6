"""The French catalogue is complete, compiled and up to date with the code."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale/fr/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")


def test_every_french_entry_is_translated():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po if not e.translated() and not e.obsolete]
    assert untranslated == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_compiled_catalogue_matches_the_po():
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(MO)) if e.msgid}
    source = {e.msgid: e.msgstr for e in polib.pofile(str(PO)) if e.msgid and not e.msgid_plural}
    assert {k: v for k, v in compiled.items() if k in source} == source


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_catalogue_holds_every_string_of_the_code(tmp_path):
    """Extract the strings again into a copy and compare the sets of msgids."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "staticfiles", "tests", ".git", "*.sqlite3"),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "fr",
            "--no-location",
            "--ignore=bench",
            "--ignore=scripts",
            "-v0",
        ],
        cwd=copy,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin"},
        check=True,
    )
    fresh = {e.msgid for e in polib.pofile(str(copy / PO.relative_to(ROOT))) if not e.obsolete}
    committed = {e.msgid for e in polib.pofile(str(PO)) if not e.obsolete}
    assert sorted(fresh - committed) == [], "run `make messages` and translate"
