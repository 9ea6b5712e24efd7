"""Every pattern of a built-in pack is proven by a flagged fixture case.

A pattern no fixture exercises is a guess: it may never match, or match what it should
not. For each pattern of each language, some caret mark in that rule's fixtures of that
language must be exactly a match of the pattern (searched on the marked line, so
look-behind context still counts).
"""

from __future__ import annotations

import sys

import pytest

from harness import fixture_files, parse_fixture
from trustlint.packs import builtin_pack_files
from trustlint.packs.schema import ANY_LANG, compile_pattern

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CASES = []
for pack in builtin_pack_files():
    for entry in tomllib.loads(pack.read_text(encoding="utf-8")).get("rule", []):
        table = entry.get("patterns") or entry.get("swap") or {}
        if entry.get("kind") not in ("existence", "substitution"):
            continue
        for lang, items in table.items():
            for index, source in enumerate(items):
                CASES.append((entry["code"], lang, index, source, entry))


each_pattern = pytest.mark.parametrize(
    "code,lang,index,source,entry",
    CASES,
    ids=[f"{c}-{lang}-{i}" for c, lang, i, _, _ in CASES],
)


def _marked_spans(code: str, lang: str):
    for path in fixture_files(code):
        fixture = parse_fixture(path)
        if lang != ANY_LANG and fixture.lang != lang:
            continue
        lines = fixture.text.splitlines()
        for mark in fixture.marks:
            if mark.code == code and mark.end_column is not None:
                yield lines[mark.line - 1], mark.column - 1, mark.end_column - 1


@each_pattern
def test_pattern_has_a_fixture(code, lang, index, source, entry):
    pattern = compile_pattern(
        source,
        code,
        ignore_case=entry.get("ignore-case", True),
        whole_words=entry.get("whole-words", True),
    )
    for line, start, end in _marked_spans(code, lang):
        if any(m.span() == (start, end) for m in pattern.finditer(line)):
            return
    pytest.fail(f"{code} {lang} pattern #{index} matches no marked case: {source[:120]!r}")
