"""The layers of DESIGN.md hold: import-linter's contract passes, and breaks on an
upward import."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["core", "organisations", "territories", "outreach", "encounters", "reports", "demo"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", "pyproject.toml", "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    copy.mkdir()
    shutil.copy(ROOT / "pyproject.toml", copy)
    for package in PACKAGES:
        ignore = shutil.ignore_patterns("__pycache__")
        shutil.copytree(ROOT / package, copy / package, ignore=ignore)
    return copy


def test_the_layers_contract_holds(tmp_path):
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path):
    copy = _copy(tmp_path)
    models = copy / "territories" / "models.py"
    models.write_text(models.read_text() + "\nfrom reports import selectors  # noqa\n")
    result = _lint(copy)
    assert result.returncode == 1
    assert "territories.models -> reports.selectors" in result.stdout


def test_only_the_counters_may_be_called_from_below(tmp_path):
    copy = _copy(tmp_path)
    services = copy / "encounters" / "services.py"
    services.write_text(services.read_text() + "\nfrom reports import rollups  # noqa\n")
    result = _lint(copy)
    assert result.returncode == 1
    assert "encounters.services -> reports.rollups" in result.stdout
