"""The offline queue through random faults, at 1,000 operations, in real Chromium.

Runs tests/browser/test_field_faults.py (the CI runs it at 200) with FIELD_FAULTS_N
operations (default 1,000) and prints its figures: faults injected, replays, reloads,
logins again, time, and the two that must be 0: duplicates and losses. On SQLite in
memory (the test settings); no database to create.

    .venv/bin/python bench/field_faults.py [N] [SEED]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    n = sys.argv[1] if len(sys.argv) > 1 else "1000"
    seed = sys.argv[2] if len(sys.argv) > 2 else "11"
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        path = out.name
    env = {
        **os.environ,
        "FIELD_FAULTS_N": n,
        "FIELD_FAULTS_SEED": seed,
        "FIELD_FAULTS_OUT": path,
    }
    env.pop("DATABASE_URL", None)
    pytest = Path(sys.executable).parent / "pytest"
    result = subprocess.run(
        [str(pytest), "tests/browser/test_field_faults.py", "-q", "-p", "no:xdist"],
        cwd=ROOT,
        env=env,
    )
    figures = json.loads(Path(path).read_text() or "{}")
    Path(path).unlink()
    print(json.dumps(figures, indent=2))
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
