"""Print the mutation score of the last `make mutation`, module by module, and the mutants no test killed.

mutmut's own progress line and `mutmut export-cicd-stats` count the mutants of every module in `only_mutate`,
even when `make mutation MUTANTS='lessonkit.yamlsafe.*'` checks one module: a run over yamlsafe.py alone said
"2,372 mutants". This reads each module's results (`mutants/lessonkit/<module>.py.meta`) instead.

A mutant no selected test reaches ("no tests") is counted as not killed: it is a missing test until shown
harmless, in docs/mutation-survivors.md (a survivor not named there is marked "no reason … yet"). Mutants
not checked yet (another module's, or a run stopped early) are listed apart, never scored.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

MUTANTS = Path("mutants")
REASONS = Path("docs/mutation-survivors.md")  # every survivor, by name, with why it is harmless
KILLED = {1: "killed", 3: "killed", 36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout"}
NOT_KILLED = {0: "survived", 5: "no tests", 33: "no tests", 35: "suspicious", -11: "segfault", -9: "segfault"}
UNSCORED = {None: "not checked", 2: "interrupted", 34: "skipped", 37: "caught by type check"}


def status(exit_code: int | None) -> str:
    for table in (KILLED, NOT_KILLED, UNSCORED):
        if exit_code in table:
            return table[exit_code]
    return "suspicious"


def main(argv: list[str]) -> int:
    """`python tools/mutation_report.py [MODULE ...]`: every module with results, or only those named."""
    metas = sorted(MUTANTS.glob("lessonkit/**/*.py.meta"))
    wanted = {name.removesuffix(".py") for name in argv}
    if wanted:
        metas = [m for m in metas if m.name.removesuffix(".py.meta") in wanted]
    if not metas:
        print("no mutation results yet: run `make mutation`", file=sys.stderr)
        return 1
    print(f"{'module':<16} {'mutants':>7} {'checked':>7} {'killed':>7} {'not killed':>10}  score")
    not_killed: list[str] = []
    for meta in metas:
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        counts = Counter(status(code) for code in codes.values())
        killed = counts["killed"] + counts["timeout"]  # a mutant that hangs the tests is caught as well
        missed = sum(counts[name] for name in set(NOT_KILLED.values()))
        checked = killed + missed
        score = f"{100 * killed / checked:.1f} %" if checked else "-"
        print(f"{meta.name.removesuffix('.meta'):<16} {len(codes):>7} {checked:>7} {killed:>7} {missed:>10}  {score}")
        not_killed += [f"{key}: {status(code)}" for key, code in sorted(codes.items()) if code in NOT_KILLED]
    print("target: 85 % of the checked mutants killed, for each module")
    if not_killed:
        explained = REASONS.read_text(encoding="utf-8") if REASONS.is_file() else ""
        print("not killed (inspect one with `.venv/bin/mutmut show NAME`):")
        for line in not_killed:
            name = line.split(":")[0].split(".", 2)[-1]  # lessonkit.<module>.<name> → <name>
            unexplained = f"`{name}`" not in explained
            print(f"  {line}" + (f"  (no reason in {REASONS} yet)" if unexplained else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
