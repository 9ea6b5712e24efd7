"""The bundled example site against its answer key (examples/README.md).

Every required finding is reported, on its line, at or after its column (a finding per
phrase inside a listed sentence counts, as the key allows); nothing is reported on a
line the key does not list, and the clean pages stay silent.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ROW = re.compile(r"^\|\s*(\d+):(\d+)[^|]*\|(.*)\|\s*(required|acceptable)[^|]*\|\s*$")


def answer_key() -> list[tuple[str, int, int, str]]:
    rows, current = [], None
    for line in (EXAMPLES / "README.md").read_text(encoding="utf-8").splitlines():
        if m := re.match(r"### `([^`]+)`", line):
            current = m.group(1)
        elif (m := ROW.match(line)) and current:
            rows.append((current, int(m.group(1)), int(m.group(2)), m.group(4)))
    return rows


@pytest.fixture(scope="module")
def findings() -> dict[str, list[dict]]:
    proc = subprocess.run(
        [sys.executable, "-m", "trustlint", "check", "--no-cache", "--format", "json", "."],
        cwd=EXAMPLES,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1, proc.stderr
    by_file: dict[str, list[dict]] = {}
    for f in json.loads(proc.stdout):
        by_file.setdefault(f["path"], []).append(f)
    return by_file


KEY = answer_key()


def test_key_is_read():
    assert len([r for r in KEY if r[3] == "required"]) >= 30


@pytest.mark.parametrize(
    "path,line,column", [(p, ln, c) for p, ln, c, kind in KEY if kind == "required"]
)
def test_required_finding_is_reported(findings, path, line, column):
    here = [f for f in findings.get(path, []) if f["line"] == line and f["column"] >= column]
    assert here, f"{path}:{line}:{column} is required; found {findings.get(path, [])}"


def test_nothing_outside_the_key(findings):
    listed = {(p, ln) for p, ln, _, _ in KEY}
    stray = [
        f"{path}:{f['line']}:{f['column']} {f['code']} {f['message']}"
        for path, items in findings.items()
        for f in items
        if (path, f["line"]) not in listed
    ]
    assert not stray, "\n".join(stray)
