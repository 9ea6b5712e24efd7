"""Draw findings to read by hand: the flagged tag and what follows it in the page.

    trustlint check --no-cache --select TL2 --format json CORPUS > forms.json
    python benchmarks/sample_findings.py forms.json TL204 [N] [--seed 7]

Prints N findings of one rule (default 20, drawn with ``random.Random(seed)``) with the
flagged source line cut at the finding's column and the next three lines, so that a
reviewer can judge each one against the page.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("findings", type=Path)
    parser.add_argument("code")
    parser.add_argument("n", type=int, nargs="?", default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    found = [f for f in json.loads(args.findings.read_text()) if f["code"] == args.code]
    picked = random.Random(args.seed).sample(found, min(args.n, len(found)))
    for number, f in enumerate(picked, 1):
        lines = Path(f["path"]).read_text(encoding="utf-8", errors="replace").splitlines()
        at = f["line"] - 1
        tag = lines[at][f["column"] - 1 : f["column"] + 219] if at < len(lines) else ""
        after = " ".join(x.strip() for x in lines[at + 1 : at + 4])[:200]
        print(f"{number:2} {f['path']}:{f['line']}:{f['column']} {f['message'][:150]}")
        print(f"     TAG: {tag}")
        print(f"     NEXT: {after}")


if __name__ == "__main__":
    main()
