"""Benchmark of the `survey` command's start-up: CPU of `survey --help` and `survey check`.

Prints figures (no pass/fail), each beside a baseline measured in the same run: a bare
Python interpreter, and one that imports Flask's CLI (the least `survey` must import).
The target of issue 15 is `survey --help` at most 0.4 s of CPU. Run with `make bench`.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SURVEY = Path(sys.executable).parent / "survey"
RUNS = 5


def cpu_seconds(command: list[str]) -> float:
    """The least user+system CPU of RUNS runs of `command` (the least is the least noisy)."""
    best = float("inf")
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = min(best, used)
    return best


def main() -> None:
    bare = cpu_seconds([sys.executable, "-c", "pass"])
    flask_cli = cpu_seconds([sys.executable, "-c", "import flask.cli"])
    print(f"{'python -c pass (baseline)':<44} {bare:6.3f} s CPU")
    print(f"{'import flask.cli (baseline)':<44} {flask_cli:6.3f} s CPU")
    pulse = str(ROOT / "questionnaires" / "quarterly-pulse.yaml")
    for label, args in (("survey --help", ["--help"]), ("survey check <pulse>", ["check", pulse])):
        used = cpu_seconds([str(SURVEY), *args])
        print(
            f"{label:<44} {used:6.3f} s CPU  {used / bare:5.1f}× bare, "
            f"{used / flask_cli:5.2f}× flask.cli"
        )
    print(f"{'target: survey --help':<44} {0.4:6.3f} s CPU at most")


if __name__ == "__main__":
    main()
