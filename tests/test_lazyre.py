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
