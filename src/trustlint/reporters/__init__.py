"""Output formats: each module renders a whole ``RunResult`` to one string."""

from __future__ import annotations

import importlib

from trustlint.model import Finding, RunResult

FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit", "html")

# Format name -> module; imported on demand so `--format text` never loads the others.
_MODULES = {
    "text": "text",
    "json": "json_format",
    "sarif": "sarif",
    "github": "github",
    "gitlab": "gitlab",
    "junit": "junit",
    "html": "html",
}


def render(
    fmt: str,
    result: RunResult,
    *,
    color: bool = False,
    statistics: bool = False,
    version: str = "0.0.0",
) -> str:
    """The whole report in format ``fmt``; the caller writes it out."""
    if fmt not in _MODULES:
        raise ValueError(f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    module = importlib.import_module(f"{__name__}.{_MODULES[fmt]}")
    return module.render(result, color=color, statistics=statistics, version=version)


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 finding``, ``2 findings``."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def full_message(finding: Finding) -> str:
    """The message with the suggestion on its own line, for formats with one text field."""
    if finding.suggestion:
        return f"{finding.message}\nSuggestion: {finding.suggestion}"
    return finding.message
