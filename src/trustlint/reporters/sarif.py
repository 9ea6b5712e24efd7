"""SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.

Valid against the OASIS schema (tests/data/sarif-schema-2.1.0.json). GitHub reads
``properties["problem.severity"]`` and ``partialFingerprints`` to rank and track alerts.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from trustlint.model import FileError, Finding, RuleMeta, RunResult, Severity
from trustlint.reporters import full_message, json_array

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/trustlint/trustlint"
FINGERPRINT_KEY = "trustlintFingerprint/v1"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
PROBLEM_SEVERITY = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "recommendation",
}


# Stands in for the results while the rest of the log is written: they follow it, one
# at a time (the last thing in the log, so the last occurrence is the place).
_RESULTS = "\0results\0"


def stream(result: RunResult, *, version: str = "0.0.0", **_: Any) -> Iterator[str]:
    metas = dict(result.rules)
    # A finding from a rule missing in result.rules still needs a descriptor to point at.
    for f in result.findings:
        if f.code not in metas:
            metas[f.code] = RuleMeta(f.code, f.name, f.message, f.category, f.severity)
    codes = sorted(metas)
    index = {code: i for i, code in enumerate(codes)}
    run = {
        "tool": {
            "driver": {
                "name": "trustlint",
                "informationUri": INFORMATION_URI,
                "version": version,
                "semanticVersion": version,
                "rules": [_rule(metas[code]) for code in codes],
            }
        },
        "invocations": [_invocation(result.errors)],
        # Finding columns count code points, not SARIF's default UTF-16 units.
        "columnKind": "unicodeCodePoints",
        "results": _RESULTS,
    }
    sarif = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    head, _, tail = json.dumps(sarif, indent=2, ensure_ascii=False).rpartition(json.dumps(_RESULTS))
    yield head
    yield from json_array(_results(result.findings, index), level=3)  # log, runs, run, results
    yield tail + "\n"


def _rule(meta: RuleMeta) -> dict[str, Any]:
    docs = meta.docs.strip() or meta.summary
    return {
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": meta.docs_section("What it does") or meta.summary},
        "help": {"text": docs, "markdown": docs},
        "defaultConfiguration": {"level": LEVELS[meta.severity]},
        "properties": {
            "tags": [meta.category],
            "problem.severity": PROBLEM_SEVERITY[meta.severity],
        },
    }


def _results(findings: list[Finding], index: dict[str, int]) -> Iterator[dict[str, Any]]:
    seen: Counter[str] = Counter()
    for f in findings:
        # Identical findings (same rule, file, message, line text) on several lines
        # are told apart by their order, as GitHub does for its own line hashes.
        digest = _fingerprint(f)
        seen[digest] += 1
        result: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": LEVELS[f.severity],
            "message": {"text": full_message(f)},
            "locations": [
                {"physicalLocation": {"artifactLocation": artifact(f.path), "region": _region(f)}}
            ],
            "partialFingerprints": {FINGERPRINT_KEY: f"{digest}:{seen[digest]}"},
        }
        if f.suggestion:
            result["properties"] = {"suggestion": f.suggestion}
        yield result


def _fingerprint(f: Finding) -> str:
    # No line number: the alert must survive edits above it.
    parts = (f.code, f.path, f.message, f.line_text.strip())
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _region(f: Finding) -> dict[str, int]:
    start_line = max(f.start.line, 1)
    start_col = max(f.start.column, 1)
    end_line = max(f.end.line, start_line)
    end_col = max(f.end.column, 1)
    if end_line == start_line:
        end_col = max(end_col, start_col + 1)  # an empty span still marks one character
    return {
        "startLine": start_line,
        "startColumn": start_col,
        "endLine": end_line,
        "endColumn": end_col,
    }


def artifact(path: str) -> dict[str, str]:
    """An artifactLocation: relative paths resolve against the checkout (%SRCROOT%)."""
    if PurePosixPath(path).is_absolute():
        return {"uri": "file://" + quote(path)}
    windows = PureWindowsPath(path)
    if windows.drive and windows.is_absolute():
        return {"uri": windows.as_uri()}
    return {"uri": quote(path), "uriBaseId": "%SRCROOT%"}


def _invocation(errors: list[FileError]) -> dict[str, Any]:
    notifications = [
        {
            "level": "error",
            "message": {"text": e.message},
            "locations": [{"physicalLocation": {"artifactLocation": artifact(e.path)}}],
            "properties": {"crash": e.crash},
        }
        for e in errors
    ]
    invocation: dict[str, Any] = {"executionSuccessful": not any(e.crash for e in errors)}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation
