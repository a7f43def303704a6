"""The privacy guard: recall, false alarms and screening time.

Prints, for the corpus of tests/core/data/ (notes that identify someone, ordinary
notes), the share of identifying notes caught (recall) and of ordinary notes flagged
(false alarms), per kind of finding; then the time to screen 10 KB and 100 KB of notes
(best of 5, CPU time of this process: the machine is shared), an adversarial 100 KB text
(shapes that make regular expressions backtrack or findings overlap), and the largest
note a form accepts (2,000 characters) full of findings.

    .venv/bin/python bench/privacy.py

No database, no server: the guard is a pure function.
"""

from __future__ import annotations

import collections
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outreach.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from core.privacy import find_identifying_data  # noqa: E402

DATA = ROOT / "tests" / "core" / "data"


def notes(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def best_of(text: str, runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        find_identifying_data(text)
        best = min(best, time.process_time() - start)
    return best * 1000


def sized(block: str, size: int) -> str:
    return (block * (size // len(block) + 1))[:size]


def main() -> None:
    identifying = notes("privacy_identifying.txt")
    ordinary = notes("privacy_ordinary.txt")
    find_identifying_data("Mme Dupont")  # load the name lists once

    missed = [note for note in identifying if not find_identifying_data(note)]
    kinds: collections.Counter[str] = collections.Counter()
    for note in identifying:
        kinds.update({finding.kind for finding in find_identifying_data(note)})
    alarms = [(note, find_identifying_data(note)) for note in ordinary]
    alarms = [(note, found) for note, found in alarms if found]

    print(f"identifying notes: {len(identifying)}, caught {len(identifying) - len(missed)}")
    print(f"  recall: {100 * (1 - len(missed) / len(identifying)):.1f} %")
    for note in missed:
        print(f"  missed: {note}")
    print(
        "  notes with a finding of each kind: "
        + ", ".join(f"{k} {n}" for k, n in kinds.most_common())
    )
    print(f"ordinary notes: {len(ordinary)}, flagged {len(alarms)}")
    print(f"  false alarms: {100 * len(alarms) / len(ordinary):.1f} %")
    for note, found in alarms:
        print(f"  flagged: {note} -> {[(f.kind, f.text) for f in found]}")

    block = "\n".join(identifying + ordinary) + "\n"
    for size in (10_000, 100_000):
        text = sized(block, size)
        print(
            f"screen {size // 1000} KB of notes: {best_of(text):.1f} ms "
            f"({len(find_identifying_data(text))} findings)"
        )
    ordinary_only = sized("\n".join(ordinary) + "\n", 100_000)
    print(f"screen 100 KB of ordinary notes only: {best_of(ordinary_only):.1f} ms")
    adversarial = "".join(
        [
            "0" * 50 + " ",
            "1 " * 40,
            "a" * 60 + "@" + "b" * 10 + " ",
            "Mme " * 20,
            "12 rue " * 15,
            "FR76 " + "3000 " * 20,
            "Jean " * 30,
            "n° allocataire " * 10,
            "@" * 30 + " ",
            "zéro six " * 20,
            "\u200b\u00a0\uff10" * 20,
        ]
    )
    for size in (10_000, 100_000):
        print(f"screen {size // 1000} KB adversarial: {best_of(sized(adversarial, size)):.1f} ms")
    worst_note = sized("Mme Dupont 06 12 34 56 78 jean.dupont@gmail.com 12 rue des Lilas ", 2000)
    print(
        f"a 2,000-character note full of findings: {best_of(worst_note):.1f} ms "
        f"({len(find_identifying_data(worst_note))} findings)"
    )


if __name__ == "__main__":
    main()
