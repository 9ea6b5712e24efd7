"""GitHub Actions workflow commands: one annotation per finding.

https://docs.github.com/actions/reference/workflow-commands-for-github-actions
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from trustlint.model import RunResult, Severity
from trustlint.reporters import full_message

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def stream(result: RunResult, **_: Any) -> Iterator[str]:
    for f in result.findings:
        props = {
            "file": f.path,
            "line": f.start.line,
            "col": f.start.column,
            "endLine": f.end.line,
            "endColumn": f.end.column,
            "title": f"{f.code} {f.name}",
        }
        joined = ",".join(f"{key}={escape_property(str(value))}" for key, value in props.items())
        yield f"::{COMMANDS[f.severity]} {joined}::{escape_data(full_message(f))}\n"


def escape_data(text: str) -> str:
    # '%' first, or the escapes themselves would be escaped again.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
