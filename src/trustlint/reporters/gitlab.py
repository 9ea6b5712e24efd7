"""GitLab Code Quality report: a JSON array in GitLab's subset of the Code Climate format.

https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from trustlint.model import Finding, RunResult, Severity
from trustlint.reporters import full_message, json_array

# GitLab's scale is info, minor, major, critical, blocker; trustlint has no blockers.
SEVERITIES = {Severity.INFO: "info", Severity.WARNING: "minor", Severity.ERROR: "major"}


def stream(result: RunResult, **_: Any) -> Iterator[str]:
    yield from json_array(_issues(result))
    yield "\n"


def _issues(result: RunResult) -> Iterator[dict[str, Any]]:
    seen: set[str] = set()
    for f in result.findings:
        fingerprint = _fingerprint(f, seen)
        yield {
            "description": full_message(f),
            "check_name": f.code,
            "fingerprint": fingerprint,
            "severity": SEVERITIES[f.severity],
            "location": {
                "path": f.path,
                "lines": {"begin": f.start.line, "end": max(f.end.line, f.start.line)},
            },
        }


def _fingerprint(f: Finding, seen: set[str]) -> str:
    # GitLab drops issues with a repeated fingerprint, so position is part of it; an
    # exact duplicate (same rule, place and message) gets a counter.
    key = "\0".join((f.path, f.code, str(f.start.line), str(f.start.column), f.message))
    n = 0
    while True:
        digest = hashlib.sha256(f"{key}\0{n}".encode("utf-8", "surrogatepass")).hexdigest()
        if digest not in seen:
            seen.add(digest)
            return digest
        n += 1
