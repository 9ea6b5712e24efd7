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
need findings of other rules to judge), and ``fixture-jurisdictions: de`` turns on
jurisdiction profiles.

A folder named ``<lang>[.x].site`` is a whole site: its HTML pages are linted together in
site mode (the folder is the site root) and carry their own marks; rules that judge the
site as a whole (a page no page links to, a link to a missing page) are tested this way.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from trustlint.api import lint_text

FIXTURES = Path(__file__).parent / "fixtures"
MARKER = re.compile(r"^(?P<indent>[ \t]*)(?P<carets>\^+) (?P<code>TL\d{3})(?P<more> \+)?[ \t]*$")
EXTRA = re.compile(r"fixture-select:((?:\s*TL\d{3})+)")
JURISDICTIONS = re.compile(r"fixture-jurisdictions:((?:\s*[a-z]{2,3}\b)+)")
SUFFIX_KIND = {".html": "html", ".md": "markdown", ".txt": "text", ".site": "html"}


@dataclass(frozen=True, order=True)
class Mark:
    line: int
    column: int
    end_column: int | None  # None: the finding continues on a later line
    code: str
    page: str = ""  # the page of a site fixture

    def __str__(self) -> str:
        end = f"-{self.end_column}" if self.end_column is not None else "+"
        where = f"{self.page}:" if self.page else ""
        return f"{self.code} at {where}{self.line}:{self.column}{end}"


@dataclass
class Fixture:
    path: Path
    code: str
    lang: str  # "any" for rules that do not read words
    text: str  # with the marker lines removed (a site's pages joined)
    marks: list[Mark]
    pages: dict[str, str] | None = None  # a site fixture: page path -> stripped text

    @property
    def kind(self) -> str:
        return SUFFIX_KIND[self.path.suffix]


def parse_fixture(path: Path) -> Fixture:
    code = path.parent.name.split("-", 1)[0]
    lang = path.name.split(".", 1)[0]
    if path.is_dir():
        pages: dict[str, str] = {}
        marks: list[Mark] = []
        for page in sorted(path.rglob("*.html")):
            rel = page.relative_to(path).as_posix()
            text, own = _strip_marks(page)
            pages[rel] = text
            marks += [Mark(m.line, m.column, m.end_column, m.code, rel) for m in own]
        return Fixture(path, code, lang, "".join(pages.values()), sorted(marks), pages)
    text, marks = _strip_marks(path)
    return Fixture(path, code, lang, text, marks)


def _strip_marks(path: Path) -> tuple[str, list[Mark]]:
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
    return "".join(kept), sorted(marks)


def fixture_files(code: str | None = None) -> list[Path]:
    pattern = f"{code}-*/*" if code else "TL*/*"
    return sorted(p for p in FIXTURES.glob(pattern) if p.suffix in SUFFIX_KIND)


def _mark(f, page: str = "") -> Mark:
    one_line = f.end.line == f.start.line
    return Mark(f.start.line, f.start.column, f.end.column if one_line else None, f.code, page)


def found_marks(fixture: Fixture) -> list[Mark]:
    lang = None if fixture.lang == "any" else fixture.lang
    extra = [c for m in EXTRA.finditer(fixture.text) for c in m.group(1).split()]
    select = [fixture.code, "TL902", "TL903", *extra]
    jurisdictions = [j for m in JURISDICTIONS.finditer(fixture.text) for j in m.group(1).split()]
    if fixture.pages is not None:
        return _found_in_site(fixture, select, jurisdictions)
    findings = lint_text(
        fixture.text,
        path=fixture.path.name,
        kind=fixture.kind,
        select=select,
        lang=lang,
        jurisdictions=jurisdictions,
    )
    return sorted(_mark(f) for f in findings)


def _found_in_site(fixture: Fixture, select: list[str], jurisdictions: list[str]) -> list[Mark]:
    """Lint a site fixture's stripped pages together, as ``trustlint check <folder>``."""
    from trustlint.engine import Settings, StaticSelection, lint_document
    from trustlint.loaders import document_from_text
    from trustlint.registry import build_registry
    from trustlint.site import SiteGraph, summarize

    registry = build_registry(plugins=False)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        docs = {}
        for rel, text in fixture.pages.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            docs[rel] = document_from_text(str(path), text, "html")
        settings = Settings(
            registry=registry,
            selection=StaticSelection(registry, frozenset(select)),
            options={c: dict(r.meta.options) for c, r in registry.items()},
            jurisdictions=frozenset(jurisdictions),
            site=SiteGraph(summarize(doc.tree, rel) for rel, doc in docs.items()),
            site_root=root.resolve(),
        )
        marks = []
        for rel, doc in docs.items():
            findings, errors = lint_document(doc, settings)
            assert not errors, errors
            marks += [_mark(f, rel) for f in findings]
    return sorted(marks)


def compare(fixture: Fixture) -> list[str]:
    """Human-readable differences between the markers and what trustlint found."""
    expected = fixture.marks
    found = found_marks(fixture)
    problems = []
    pages = fixture.pages or {"": fixture.text}

    def line(mark: Mark) -> str:
        return pages[mark.page].splitlines()[mark.line - 1].strip()[:80]

    for mark in sorted(set(found) - set(expected)):
        problems.append(f"unexpected {mark}: {line(mark)}")
    for mark in sorted(set(expected) - set(found)):
        problems.append(f"missed {mark}: {line(mark)}")
    return problems
