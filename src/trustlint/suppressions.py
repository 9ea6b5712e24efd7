"""Suppression comments and ``data-trustlint-ignore`` regions.

    <!-- trustlint-disable-next-line TL201 -- reason -->
    <!-- trustlint-disable TL2 --> ... <!-- trustlint-enable TL2 -->
    <!-- trustlint-disable-file TL401 -->
    <form data-trustlint-ignore="TL201"> ... </form>

Codes (or prefixes, or rule names) are required: a blanket form would hide
findings nobody meant to hide. Each directive remembers whether it suppressed
anything, so that unused and unknown ones can be reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from trustlint.document import Document
from trustlint.model import Finding, Span

DIRECTIVE = re.compile(
    r"^\s*trustlint-(?P<kind>disable-next-line|disable-file|disable|enable)\b"
    r"(?P<codes>.*?)(?:\s--(?:\s.*)?)?\s*$",
    re.S,
)
SELECTOR_SPLIT = re.compile(r"[\s,]+")


@dataclass
class Directive:
    kind: str  # disable-next-line | disable-file | disable | attribute
    selectors: tuple[str, ...]
    span: Span  # where the comment or attribute sits
    codes: frozenset[str] = frozenset()
    start: int = 0  # the offsets (or line) it covers
    end: int = 0
    line: int = 0
    used: bool = False
    unknown: tuple[str, ...] = ()

    def covers(self, finding: Finding) -> bool:
        if finding.code not in self.codes:
            return False
        if self.kind == "disable-next-line":
            return finding.start.line == self.line
        if self.kind == "disable-file":
            return True
        return self.start <= finding.span.start < self.end


@dataclass
class Suppressions:
    directives: list[Directive] = field(default_factory=list)
    problems: list[tuple[Span, str]] = field(default_factory=list)  # malformed ones

    def apply(self, findings: list[Finding]) -> list[Finding]:
        kept = []
        for finding in findings:
            hit = False
            for d in self.directives:
                if d.covers(finding):
                    d.used = True
                    hit = True
            if not hit:
                kept.append(finding)
        return kept


def _next_content_line(doc: Document, after: int) -> int:
    """The first line after offset ``after`` that has something on it."""
    lines = doc.lines
    line = lines.position(after).line + 1
    while line <= lines.line_count and not lines.line_text(line).strip():
        line += 1
    return line


def collect(doc: Document, resolve: Callable[[str], frozenset[str]]) -> Suppressions:
    """Read every directive in ``doc``; ``resolve`` maps a selector to codes."""
    result = Suppressions()
    if "trustlint-" not in doc.source:
        return result  # most files: no need to scan for comments at all
    open_ranges: list[Directive] = []

    def resolved(selectors: tuple[str, ...], d: Directive) -> None:
        codes: set[str] = set()
        unknown = []
        for sel in selectors:
            found = resolve(sel)
            if found:
                codes |= found
            else:
                unknown.append(sel)
        d.codes = frozenset(codes)
        d.unknown = tuple(unknown)

    for comment in doc.comments:
        m = DIRECTIVE.match(comment.body)
        if not m:
            continue
        span = Span(comment.start, comment.end)
        kind = m.group("kind")
        selectors = tuple(s for s in SELECTOR_SPLIT.split(m.group("codes").strip()) if s)
        if not selectors:
            result.problems.append((span, f"`trustlint-{kind}` names no rule code"))
            continue
        if kind == "enable":
            wanted = set(selectors)
            for d in reversed(open_ranges):
                if wanted & set(d.selectors):
                    d.end = comment.start
                    open_ranges.remove(d)
                    wanted -= set(d.selectors)
            if wanted:
                result.problems.append(
                    (span, f"`trustlint-enable {' '.join(sorted(wanted))}` has no matching disable")
                )
            continue
        d = Directive(kind, selectors, span)
        resolved(selectors, d)
        if kind == "disable-next-line":
            d.line = _next_content_line(doc, comment.end - 1)
        elif kind == "disable":
            d.start, d.end = comment.end, len(doc.source)
            open_ranges.append(d)
        result.directives.append(d)
    for region in doc.ignore_regions:
        d = Directive(
            "attribute",
            region.selectors,
            Span(region.tag_start, region.tag_end),
            start=region.start,
            end=region.end,
        )
        if not region.selectors:
            result.problems.append((d.span, "`data-trustlint-ignore` names no rule code"))
            continue
        resolved(region.selectors, d)
        result.directives.append(d)
    return result
