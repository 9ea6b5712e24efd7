"""JUnit XML for CI test reports: one test case per checked file.

A file with findings fails; a file that could not be checked (or crashed a rule) errors.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from trustlint.model import FileError, Finding, RunResult
from trustlint.reporters import plural

# Characters XML 1.0 cannot hold even escaped (ElementTree would write them raw).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(result: RunResult, **_: Any) -> str:
    findings: dict[str, list[Finding]] = {}
    for f in result.findings:
        findings.setdefault(f.path, []).append(f)
    errors: dict[str, list[FileError]] = {}
    for e in result.errors:
        errors.setdefault(e.path, []).append(e)
    # Checked files in order, then any path only an error or finding names.
    paths = list(dict.fromkeys([*result.files, *findings, *errors]))

    failures = sum(1 for p in paths if p in findings)
    n_errors = sum(1 for p in paths if p in errors)
    counts = {"tests": str(len(paths)), "failures": str(failures), "errors": str(n_errors)}
    root = ET.Element("testsuites", {"name": "trustlint", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "trustlint", **counts})
    for path in paths:
        case = ET.SubElement(suite, "testcase", {"classname": "trustlint", "name": _xml(path)})
        if path in findings:
            own = findings[path]
            failure = ET.SubElement(
                case, "failure", {"message": plural(len(own), "finding"), "type": "trustlint"}
            )
            failure.text = _xml("\n".join(_line(f) for f in own))
        for e in errors.get(path, []):
            kind = "crash" if e.crash else "error"
            error = ET.SubElement(case, "error", {"message": _xml(e.message), "type": kind})
            error.text = _xml(e.message)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _line(f: Finding) -> str:
    line = f"{f.start.line}:{f.start.column}: {f.code} [{f.name}] {f.message}"
    return f"{line}\n    help: {f.suggestion}" if f.suggestion else line


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
