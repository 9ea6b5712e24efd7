"""trustlint.lazyre: patterns that compile on first use and then act as re's own."""

from __future__ import annotations

import re

import pytest

from trustlint import lazyre


def test_behaves_as_re_compile():
    lazy = lazyre.compile(r"(?P<word>da+ta)", re.I)
    plain = re.compile(r"(?P<word>da+ta)", re.I)
    text = "Your DATA, our daata."
    assert lazy.pattern == plain.pattern
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert lazy.search(text).group("word") == "DATA"
    assert lazy.sub("x", text) == plain.sub("x", text)
    assert lazy.groupindex == plain.groupindex
    assert lazy.match("nope") is None


def test_compiles_once_on_first_use(monkeypatch):
    calls = []
    real = re.compile
    monkeypatch.setattr(lazyre.re, "compile", lambda *a: calls.append(a) or real(*a))
    lazy = lazyre.compile("ab")
    assert lazy.pattern == "ab" and not calls  # reading the source compiles nothing
    lazy.search("xab")
    lazy.findall("abab")
    assert len(calls) == 1
    assert vars(lazy)["search"] == lazy.compiled.search  # later calls skip __getattr__


def test_bad_pattern_fails_on_first_use():
    lazy = lazyre.compile("(")
    with pytest.raises(re.error):
        lazy.search("x")


def test_words_match_whole_words_only():
    pattern = lazyre.words(["opt[ -]?out", "unsubscribe"])
    assert pattern.search("You can Opt-out any time")
    assert pattern.search("unsubscribe.")
    assert not pattern.search("unsubscribed")
    assert not pattern.search("coopt out")


@pytest.fixture
def kept_screens(tmp_path, monkeypatch):
    """Screening as a run of a few files with the cache on has it."""
    from trustlint import cache

    monkeypatch.setattr(cache, "derived", cache.Cache(tmp_path, "").by_version())
    monkeypatch.setattr(lazyre, "screening", True)
    monkeypatch.setattr(lazyre, "_screens", None)
    monkeypatch.setattr(lazyre, "_screens_added", False)
    return cache.derived


def test_screen_answers_without_compiling(kept_screens, monkeypatch):
    import trustlint.packs.literals  # noqa: F401  (compiles its own reader at import)

    source = r"(?<!\w)trusted (?:partners?|third parties)(?!\w)"
    lazy, plain = lazyre.compile(source, re.I), re.compile(source, re.I)
    calls = []
    real = re.compile
    monkeypatch.setattr(lazyre.re, "compile", lambda *a: calls.append(a) or real(*a))
    text = "We sell shoes, partners."
    assert lazy.search(text) is plain.search(text) is None
    assert lazy.match(text) is lazy.fullmatch(text) is None
    assert list(lazy.finditer(text)) == lazy.findall(text) == []
    assert lazy.sub("x", text) == plain.sub("x", text)
    assert lazy.subn("x", text) == plain.subn("x", text)
    assert lazy.split(text) == plain.split(text)
    assert not calls
    found = "Shared with TRUSTED Partners."
    assert lazy.search(found).group() == plain.search(found).group() == "TRUSTED Partners"
    assert len(calls) == 1
    assert vars(lazy)["search"] == lazy.compiled.search  # compiled for good
    assert lazy.sub("x", text) == plain.sub("x", text)  # and still right for the rest


def test_screen_off_compiles_on_first_use(kept_screens, monkeypatch):
    monkeypatch.setattr(lazyre, "screening", False)  # a run of many files
    lazy = lazyre.compile("trusted partners")
    assert lazy.search("nothing here") is None
    assert "compiled" in vars(lazy)


def test_no_screen_without_the_cache(monkeypatch):
    from trustlint import cache

    monkeypatch.setattr(cache, "derived", None)
    monkeypatch.setattr(lazyre, "_screens", None)
    lazy = lazyre.compile("trusted partners")
    assert lazy.search("nothing here") is None
    assert "compiled" in vars(lazy)  # reading the syntax would cost as much as compiling


def test_screens_are_kept_for_the_next_run(kept_screens, monkeypatch):
    lazyre.compile("trusted partners").search("nothing here")
    lazyre.keep_screens()
    monkeypatch.setattr(lazyre, "_screens", None)
    monkeypatch.setattr(lazyre.LazyPattern, "_compile", None)  # must not be needed
    read = []
    monkeypatch.setattr("trustlint.packs.literals.necessary", lambda source: read.append(source))
    assert lazyre.compile("trusted partners").search("nothing here") is None
    assert not read  # the screen came from the kept table


def test_unreadable_or_verbose_patterns_are_not_screened(kept_screens):
    assert lazyre.screen("a(b", 0) is None
    assert lazyre.screen("trusted partners", re.X) is None
    assert lazyre.screen("trusted partners", 0) == frozenset({"trusted partners"})


def _lazy_patterns():
    """Every LazyPattern trustlint's modules create at import (rules hold them in
    dataclasses and nested tables, so they are found among all live objects)."""
    import gc
    import importlib
    import pkgutil

    import trustlint

    for info in pkgutil.walk_packages(trustlint.__path__, "trustlint."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    return [o for o in gc.get_objects() if isinstance(o, lazyre.LazyPattern)]


def test_every_match_in_the_fixtures_contains_a_screen_string():
    """Screening never changes an answer: every match of every lazy pattern in the
    fixtures' lines holds one of the pattern's screen strings. (Lines, each once: the
    patterns read labels, names and link texts, and the whole texts took 16 s.)"""
    from harness import FIXTURES
    from trustlint.packs.literals import fold, necessary

    lines = {
        line.strip()
        for path in FIXTURES.rglob("*")
        if path.is_file()
        for line in path.read_text(encoding="utf-8").splitlines()
    }
    text = "\n".join(sorted(lines))
    checked = screened = 0
    for lazy in _lazy_patterns():
        cover = None if lazy.flags & re.X else necessary(lazy.pattern)
        if cover is None:
            continue
        screened += 1
        for m in re.compile(lazy.pattern, lazy.flags).finditer(text):
            checked += 1
            assert any(s in fold(m.group()) for s in cover), (lazy.pattern[:80], m.group())
    assert screened > 200 and checked > 20000
