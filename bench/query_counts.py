"""Query counts of the main pages and endpoints before and after the data grows (tests/scale), as a table.

    .venv/bin/python bench/query_counts.py

Runs tests/scale/test_query_counts.py (which fails if any count grows) and prints what it measured.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    out = Path(tempfile.gettempdir()) / "jobbtorg-query-counts.json"
    out.unlink(missing_ok=True)
    env = {**os.environ, "JOBBTORG_QUERY_COUNTS_FILE": str(out)}
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "pytest"),
            "tests/scale/test_query_counts.py",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        env=env,
    )
    if not out.exists():
        print("no figures: the test did not get as far as measuring")
        return 1
    data = json.loads(out.read_text())
    small, large = data["small"], data["large"]
    before, after = data["people"]
    print(f"\n{'page or endpoint':<40}{f'{before} people':>14}{f'{after} people':>14}")
    for name in small:
        flag = "" if small[name] == large[name] else "   ← grows"
        print(f"{name:<40}{small[name]:>14}{large[name]:>14}{flag}")
    grown = sum(small[n] != large[n] for n in small)
    print(f"\n{len(small)} pages and endpoints; {grown} grow with the data.")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
