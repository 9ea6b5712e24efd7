"""Output formats: each module renders a whole ``RunResult``, as one string or, where
the format allows, in pieces (``stream``) so that a long run's report is written as it
is made instead of being held whole in memory."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

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


def render(fmt: str, result: RunResult, **options: Any) -> str:
    """The whole report in format ``fmt`` (options as for ``stream``), as one string."""
    return "".join(stream(fmt, result, **options))


def stream(
    fmt: str,
    result: RunResult,
    *,
    color: bool = False,
    statistics: bool = False,
    version: str = "0.0.0",
) -> Iterator[str]:
    """The report in format ``fmt`` in pieces that join to ``render``'s string."""
    if fmt not in _MODULES:
        raise ValueError(f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    module = importlib.import_module(f"{__name__}.{_MODULES[fmt]}")
    options = {"color": color, "statistics": statistics, "version": version}
    if hasattr(module, "stream"):
        yield from module.stream(result, **options)
    else:
        yield module.render(result, **options)


def json_array(items: Iterable[Any], level: int = 0) -> Iterator[str]:
    """``json.dumps(list(items), indent=2, ensure_ascii=False)`` an item at a time, for a
    list nested ``level`` containers deep (JSON strings hold no raw line breaks, so
    each item's lines can be indented afterwards)."""
    pad = "\n" + "  " * (level + 1)
    first = True
    for item in items:
        text = json.dumps(item, indent=2, ensure_ascii=False).replace("\n", pad)
        yield ("[" if first else ",") + pad + text
        first = False
    yield "[]" if first else "\n" + "  " * level + "]"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 finding``, ``2 findings``."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def full_message(finding: Finding) -> str:
    """The message with the suggestion on its own line, for formats with one text field."""
    if finding.suggestion:
        return f"{finding.message}\nSuggestion: {finding.suggestion}"
    return finding.message
