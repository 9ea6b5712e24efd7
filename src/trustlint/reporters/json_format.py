"""JSON for scripts: one array of findings (``Finding.to_dict``), ``[]`` when clean.

``../shared/eval/score.py`` and users' scripts read this; keys only get added.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

from trustlint.model import RunResult
from trustlint.reporters import json_array


def stream(result: RunResult, *, statistics: bool = False, **_: Any) -> Iterator[str]:
    if statistics:
        yield json.dumps(_statistics(result), indent=2, ensure_ascii=False) + "\n"
        return
    yield from json_array(f.to_dict() for f in result.findings)
    yield "\n"


def _statistics(result: RunResult) -> list[dict[str, Any]]:
    # Like `ruff --statistics --output-format json`: one object per rule, most frequent first.
    counts = Counter(f.code for f in result.findings)
    first = {}
    for f in result.findings:
        first.setdefault(f.code, f)
    return [
        {"code": code, "name": first[code].name, "category": first[code].category, "count": n}
        for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
