"""The literal screen: strings a pattern cannot match without, and case folding.

A screen that rules out a text a pattern matches would hide findings, so every claim is
checked against the engines themselves: ``fold`` against ``re`` and ``regex`` for every
character that has a case, and ``necessary`` against every match of every built-in
pattern in every fixture.
"""

from __future__ import annotations

import re

import pytest
import regex

from harness import FIXTURES, parse_fixture
from trustlint.packs import builtin_pack_files, load_pack
from trustlint.packs.kinds import Matcher
from trustlint.packs.literals import fold, necessary
from trustlint.packs.schema import compile_pattern


@pytest.mark.parametrize(
    "source,cover",
    [
        ("trusted (?:third[- ]part(?:y|ies)|partners)", None),  # five spellings, below
        (r"(?<![\w-])(?:Contact(?:s| us)?)(?![\w-])", {"contact", "contacts", "contact us"}),
        (r"(?:only|just) \d+ left\b", {" left"}),
        (r"colou?r", {"color", "colour"}),
        (r"x{2}y", {"xxy"}),
        (r"ab+cd", {"cd"}),  # the longest of "a", "b" (once at least), "cd"
        (r"t[ée]rminos", {"terminos", "términos"}),
        (r"\bhurry(?: up)?\b", {"hurry", "hurry up"}),
        (r"(?:a|b)\w+(?:long|longer)", {"long", "longer"}),
        (r"(?i:ABC)d", {"abcd"}),
        (r"(?P<name>abc)", {"abc"}),
        (r"a\.b\-c", {"a.b-c"}),
    ],
)
def test_necessary(source, cover):
    if cover is None:
        cover = {
            "trusted third party",
            "trusted third-party",
            "trusted third parties",
            "trusted third-parties",
            "trusted partners",
        }
    assert necessary(source) == cover


@pytest.mark.parametrize(
    "source",
    [
        r"a|\w+",  # one branch needs no literal
        r"x*",
        r"(?x) a b",  # verbose: the spaces are not literal
        r"(a)\1",
        r"(?|a|b)",
        r"(?:foo){e<=1}",  # regex's fuzzy matching
        r"\L<words>",
        r"(?V1)[[a-z]--[aeiou]]x",
        r"(?f)straße",  # full case folding: "SS" matches "ß"
        r"[a-z]+",
        r"(?#comment)abc",
        "unclosed (group",
    ],
)
def test_necessary_declines_what_it_cannot_read(source):
    assert necessary(source) is None


def _case_groups():
    """Characters tied by any case mapping (a mapping's first character included, so
    "İ" joins "i" through "i̇"): the only candidates for case-insensitive equality."""
    parent: dict[str, str] = {}

    def find(c):
        while parent.get(c, c) != c:
            c = parent[c]
        return c

    for cp in range(0x110000):
        c = chr(cp)
        for mapped in (c.lower(), c.upper(), c.casefold(), c.title()):
            if mapped and mapped[0] != c:
                a, b = find(c), find(mapped[0])
                if a != b:
                    parent[a] = b
    groups: dict[str, list[str]] = {}
    for c in parent:
        groups.setdefault(find(c), []).append(c)
    return [sorted({*g, root}) for root, g in groups.items()]


def test_fold_keeps_together_what_ignorecase_matches():
    missed = []
    for group in _case_groups():
        for a in group:
            for b in group:
                if a == b:
                    continue
                equal = re.fullmatch(re.escape(a), b, re.IGNORECASE) or regex.fullmatch(
                    regex.escape(a), b, regex.IGNORECASE | regex.V0
                )
                if equal and fold(a) not in fold(b):
                    missed.append((a, b))
    assert not missed


def _builtin_patterns():
    """Every pattern of every built-in pack, with its language, as the packs compile it."""
    for path in builtin_pack_files():
        for rule in load_pack(path, builtin=True):
            for matcher in _matchers(rule.check):
                for lang, patterns in matcher.patterns.items():
                    for pattern in patterns:
                        yield rule.meta.code, lang, pattern


def _matchers(function):
    """The matchers a pack rule's check function closes over (through its wrappers)."""
    for cell in getattr(function, "__closure__", None) or ():
        value = cell.cell_contents
        if isinstance(value, Matcher):
            yield value
        elif callable(value):
            yield from _matchers(value)


def test_every_builtin_pattern_has_a_screen():
    patterns = list(_builtin_patterns())
    assert len(patterns) > 300
    unread = [(code, p.source[:80]) for code, _, p in patterns if necessary(p.source) is None]
    assert not unread


def test_every_match_in_the_fixtures_contains_a_screen_string():
    texts: dict[str, list[str]] = {}
    for path in sorted(FIXTURES.glob("*/*")):
        if path.is_file():
            fixture = parse_fixture(path)
            texts.setdefault(fixture.lang, []).append(fixture.text)
    everything = [t for ts in texts.values() for t in ts]
    checked = 0
    for code, lang, pattern in _builtin_patterns():
        cover = necessary(pattern.source)
        for text in texts.get(lang, []) if lang != "any" else everything:
            for m in pattern.finditer(text):
                if m.end() > m.start():
                    checked += 1
                    assert any(s in fold(m.group()) for s in cover), (code, m.group())
    assert checked > 500


def test_screen_agrees_with_the_gate(monkeypatch):
    """A run of many files searches with the gate, a run of a few with the screen: the
    same findings either way, on every fixture of every pack rule."""
    from trustlint.api import lint_text
    from trustlint.packs import schema
    from trustlint.registry import build_registry

    registry = build_registry()
    packs = sorted(code for code, rule in registry.items() if rule.meta.origin.startswith("pack:"))
    compared = 0
    for path in sorted(FIXTURES.glob("*/*")):
        fixture = parse_fixture(path) if path.is_file() else None
        if fixture is None or fixture.code not in packs:
            continue
        results = []
        for bulk in (False, True):
            monkeypatch.setitem(schema.GATES, "bulk", bulk)
            found = lint_text(
                fixture.text, path=path.name, kind=fixture.kind, select=packs, registry=registry
            )
            results.append([(f.code, f.span, f.message) for f in found])
        assert results[0] == results[1], path
        compared += bool(results[0])
    assert compared > 20


def test_screen_rules_out_without_compiling():
    pattern = compile_pattern(
        "trusted partners?", "test", ignore_case=True, whole_words=True, eager=False
    )
    matcher = Matcher("test", {"en": [pattern]})
    assert not matcher.may_match("We sell shoes.", "en")
    assert pattern._compiled is None
    assert matcher.may_match("Our TRUSTED PARTNERS.", "en")
    assert [m.group() for m, _ in matcher.finditer("Our TRUSTED PARTNERS.", "en")] == [
        "TRUSTED PARTNERS"
    ]
