"""Caret-marker fixtures: the expected findings are written under the lines they mark.

A fixture is an HTML, Markdown or text file in ``tests/fixtures/<CODE>-<name>/``, named
after the natural language it tests (``en.html``, ``de.md``; ``any.html`` for rules that
do not read words). A *marker line* sits right below the line it marks:

    <input type="checkbox" name="news" checked>
    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ TL202

The carets start at the finding's first column and end at its last (exclusive end =
last caret + 1). ``^ TL202 +`` marks a finding that goes on past this line: only its
start is compared. Marker lines are removed before linting, so the marked line keeps its
own number in the stripped text. Every finding of the rule under test that is not marked
fails the test, and so does every marker that matches no finding: a fixture is both a
must-flag and a must-not-flag test. Each fixture also holds at least one comment that
starts with ``clean:`` over the cases the rule must leave alone. A comment
``fixture-select: TL203`` runs more rules beside it (for the suppression rules, which
need findings of other rules to judge).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from trustlint.api import lint_text

FIXTURES = Path(__file__).parent / "fixtures"
MARKER = re.compile(r"^(?P<indent>[ \t]*)(?P<carets>\^+) (?P<code>TL\d{3})(?P<more> \+)?[ \t]*$")
EXTRA = re.compile(r"fixture-select:((?:\s*TL\d{3})+)")
SUFFIX_KIND = {".html": "html", ".md": "markdown", ".txt": "text"}


@dataclass(frozen=True, order=True)
class Mark:
    line: int
    column: int
    end_column: int | None  # None: the finding continues on a later line
    code: str

    def __str__(self) -> str:
        end = f"-{self.end_column}" if self.end_column is not None else "+"
        return f"{self.code} at {self.line}:{self.column}{end}"


@dataclass
class Fixture:
    path: Path
    code: str
    lang: str  # "any" for rules that do not read words
    text: str  # with the marker lines removed
    marks: list[Mark]

    @property
    def kind(self) -> str:
        return SUFFIX_KIND[self.path.suffix]


def parse_fixture(path: Path) -> Fixture:
    code = path.parent.name.split("-", 1)[0]
    kept: list[str] = []
    marks: list[Mark] = []
    for raw in path.read_text(encoding="utf-8").splitlines(keepends=True):
        m = MARKER.match(raw.rstrip("\r\n"))
        if not m:
            kept.append(raw)
            continue
        if not kept:
            raise ValueError(f"{path}: a marker line needs a line above it")
        column = len(m["indent"]) + 1
        end = None if m["more"] else column + len(m["carets"])
        marks.append(Mark(len(kept), column, end, m["code"]))
    return Fixture(path, code, path.name.split(".", 1)[0], "".join(kept), sorted(marks))


def fixture_files(code: str | None = None) -> list[Path]:
    pattern = f"{code}-*/*" if code else "TL*/*"
    return sorted(p for p in FIXTURES.glob(pattern) if p.suffix in SUFFIX_KIND)


def found_marks(fixture: Fixture) -> list[Mark]:
    lang = None if fixture.lang == "any" else fixture.lang
    extra = [c for m in EXTRA.finditer(fixture.text) for c in m.group(1).split()]
    findings = lint_text(
        fixture.text,
        path=fixture.path.name,
        kind=fixture.kind,
        select=[fixture.code, "TL902", "TL903", *extra],
        lang=lang,
    )
    marks = []
    for f in findings:
        one_line = f.end.line == f.start.line
        marks.append(Mark(f.start.line, f.start.column, f.end.column if one_line else None, f.code))
    return sorted(marks)


def compare(fixture: Fixture) -> list[str]:
    """Human-readable differences between the markers and what trustlint found."""
    expected = fixture.marks
    found = found_marks(fixture)
    problems = []
    lines = fixture.text.splitlines()
    for mark in sorted(set(found) - set(expected)):
        problems.append(f"unexpected {mark}: {lines[mark.line - 1].strip()[:80]}")
    for mark in sorted(set(expected) - set(found)):
        problems.append(f"missed {mark}: {lines[mark.line - 1].strip()[:80]}")
    return problems
