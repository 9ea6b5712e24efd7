"""Pure data: severities, positions, rule metadata, reports and findings.

Offsets are the truth: a ``Span`` holds 0-based code-point offsets into the decoded
source, and ``Position`` (1-based line and column) is derived from it for display.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

CATEGORIES = (
    "forms",
    "consent",
    "data-use",
    "contact",
    "transparency",
    "readability",
    "jargon",
    "manipulation",
    "security",
    "tool",
)
INPUT_KINDS = ("html", "markdown", "text")
# The natural languages trustlint ships lexicons for.
LANGUAGES = ("en", "de", "es", "it", "ru", "id", "fr", "pt", "nl")


class Severity(enum.IntEnum):
    """Ordered, so that ``--fail-on`` and the exit code can compare."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[str(value).strip().upper()]
        except KeyError:
            choices = ", ".join(s.name.lower() for s in cls)
            raise ValueError(f"unknown severity {value!r} (expected one of: {choices})") from None


@dataclass(frozen=True, slots=True)
class Span:
    """A 0-based ``[start, end)`` range of code points in the decoded source."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Position:
    """A 1-based line and column; columns count code points."""

    line: int
    column: int


@dataclass(frozen=True)
class RuleMeta:
    """Everything trustlint knows about a rule except how it checks."""

    code: str
    name: str
    summary: str
    category: str
    severity: Severity
    inputs: frozenset[str] = frozenset(INPUT_KINDS)
    # None: the rule does not read words, so it works whatever the page's language.
    langs: frozenset[str] | None = None
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    docs: str = ""
    origin: str = "builtin"  # builtin | pack:<file> | plugin:<distribution>
    preview: bool = False

    def docs_section(self, heading: str) -> str:
        """The body of one ``## heading`` section of the docs, or ''."""
        lines = self.docs.splitlines()
        out: list[str] = []
        inside = False
        for line in lines:
            if line.startswith("## "):
                inside = line[3:].strip().lower() == heading.lower()
                continue
            if inside:
                out.append(line)
        return "\n".join(out).strip()


@dataclass(frozen=True, slots=True)
class TextRange:
    """A range of a block's text: ``block.text[start:end]``."""

    block: Any  # trustlint.document.Block; Any avoids an import cycle
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Report:
    """What a rule yields; the engine turns it into a ``Finding``.

    ``target`` is an lxml element (its start tag is highlighted), a ``TextRange``,
    or a ``Span``.
    """

    target: Any
    message: str
    suggestion: str | None = None
    severity: Severity | None = None
    replacement: str | None = None  # text that may replace the target (a quick fix)


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    code: str
    name: str
    category: str
    severity: Severity
    message: str
    span: Span
    start: Position
    end: Position  # exclusive: the column just past the last character (as in SARIF)
    suggestion: str | None = None
    line_text: str = ""  # the source line of ``start``, for display only
    replacement: str | None = None  # set by substitution rules: a safe quick fix
    # A long line (a minified page) is kept only around the span: ``line_text`` then
    # starts at column ``line_column`` and, with ``line_cut``, stops before the end.
    line_column: int = 1
    line_cut: bool = False

    def sort_key(self) -> tuple:
        return (self.path, self.span.start, self.span.end, self.code, self.message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.start.line,
            "column": self.start.column,
            "end_line": self.end.line,
            "end_column": self.end.column,
            "offset": self.span.start,
            "end_offset": self.span.end,
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "severity": str(self.severity),
            "message": self.message,
            "suggestion": self.suggestion,
            "replacement": self.replacement,
        }


@dataclass(frozen=True, slots=True)
class FileError:
    """An input that could not be linted (exit code 2) or a rule that crashed (3)."""

    path: str
    message: str
    crash: bool = False


@dataclass
class RunResult:
    findings: Sequence[Finding]  # sorted; a long run's are read back from a temporary file
    files: list[str]  # every checked path, in order, as displayed
    rules: Mapping[str, RuleMeta]  # code -> meta for every rule that was known
    errors: list[FileError] = field(default_factory=list)
    fail_on: Severity = Severity.WARNING

    @property
    def failed(self) -> bool:
        return any(f.severity >= self.fail_on for f in self.findings)

    @property
    def exit_code(self) -> int:
        if any(e.crash for e in self.errors):
            return 3
        if self.errors:
            return 2
        return 1 if self.failed else 0
