"""Print the mutation score of the last `make mutation` (mutants/mutmut-cicd-stats.json) and the survivors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

STATS = Path("mutants/mutmut-cicd-stats.json")
NOT_KILLED = (": survived", ": suspicious", ": segfault")  # `mutmut results` also lists mutants not run this time


def main() -> int:
    if not STATS.is_file():
        print("no mutation results yet: run `make mutation`", file=sys.stderr)
        return 1
    stats = json.loads(STATS.read_text(encoding="utf-8"))
    killed = stats["killed"] + stats["timeout"]  # a mutant that hangs the tests is caught as well
    checked = killed + stats["survived"] + stats["suspicious"] + stats["segfault"]
    print(
        f"mutants: {stats['total']}, checked: {checked}, killed: {stats['killed']}, timeouts: {stats['timeout']}, "
        f"survived: {stats['survived']}, suspicious: {stats['suspicious']}, no tests: {stats['no_tests']}, "
        f"skipped: {stats['skipped']}"
    )
    if checked:
        print(f"score: {100 * killed / checked:.1f} % of the checked mutants killed (target: 85 %)")
    results = subprocess.run([Path(sys.executable).parent / "mutmut", "results"], capture_output=True, text=True)
    survivors = [line.strip() for line in results.stdout.splitlines() if line.strip().endswith(NOT_KILLED)]
    if survivors:
        print("not killed (inspect one with `.venv/bin/mutmut show NAME`):")
        print("\n".join(f"  {line}" for line in survivors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
