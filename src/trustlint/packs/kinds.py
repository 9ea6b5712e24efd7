"""What each pack rule kind checks.

- existence: a pattern occurs in prose (``patterns.<lang>``).
- substitution: a word has a plainer replacement (``swap.<lang>``).
- occurrence: a pattern occurs more than ``max`` (or fewer than ``min``) times per block
  or per document.
- readability: a readability metric of a block or sentence passes ``max`` or ``min``.
- selector: an HTML element matches a CSS selector (or, with ``missing``, none does).

Patterns run on the ``regex`` module with a time limit, so one that backtracks
catastrophically ends as a named rule error for that file instead of freezing the run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import regex

from trustlint import cache
from trustlint.errors import PackError
from trustlint.model import Report, Span, TextRange
from trustlint.packs.literals import fold, necessary
from trustlint.packs.schema import ANY_LANG, GATES, Pattern, Reader, compile_pattern

PATTERN_TIMEOUT = 1.0  # seconds per block; real patterns take microseconds
# Flags under which ``literals.fold`` matches what the pattern ignores of case.
SCREENED_FLAGS = regex.V0 | regex.UNICODE | regex.IGNORECASE
SENTENCE = regex.compile(r"[^.!?…。]+(?:[.!?…。]+|$)")
WORD = regex.compile(r"\w+(?:[-'’]\w+)*")


class PatternTimeout(Exception):
    pass


@dataclass
class Spec:
    langs: frozenset[str] | None
    check: Callable[[Any, Any], Iterator[Report]]


@dataclass
class Matcher:
    """Compiled patterns per language, with exceptions that veto overlapping matches."""

    where: str
    patterns: dict[str, list[Any]]
    exceptions: dict[str, list[Any]] = field(default_factory=dict)
    values: dict[str, list[str]] = field(default_factory=dict)  # per pattern, e.g. swaps
    _gates: dict[str | None, Pattern | None] = field(default_factory=dict, repr=False)
    _screens: dict[str | None, list] = field(default_factory=dict, repr=False)

    @property
    def langs(self) -> frozenset[str] | None:
        langs = set(self.patterns) - {ANY_LANG}
        return None if ANY_LANG in self.patterns else frozenset(langs)

    def _for(self, table: dict[str, list[Any]], lang: str | None) -> list[Any]:
        if lang is None:  # language unknown (an element's text): every language's list
            return [p for entries in table.values() for p in entries]
        return table.get(lang, []) + table.get(ANY_LANG, [])

    def _gate(self, lang: str | None):
        """One alternation of every pattern for ``lang``: most blocks match none of
        them, and one search that fails is far cheaper than one per pattern."""
        gates = self._gates
        if lang not in gates:
            sources = [p.source for p in self._for(self.patterns, lang)]
            first = self._for(self.patterns, lang)[0] if sources else None
            gates[lang] = (
                Pattern(
                    "|".join(f"(?:{s})" for s in sources),
                    first.flags,
                    self.where,
                    first.trusted,
                    gate=True,
                )
                if first is not None
                else None
            )
        return gates[lang]

    def _screen(self, lang: str | None) -> list[frozenset[str] | None]:
        """Per pattern for ``lang``: strings one of which its every match contains."""
        screens = self._screens
        if lang not in screens:
            patterns = self._for(self.patterns, lang)
            screens[lang] = [
                cover if not p.flags & ~SCREENED_FLAGS else None
                for p, cover in zip(patterns, _covers([p.source for p in patterns]), strict=True)
            ]
        return screens[lang]

    def _candidates(self, text: str, lang: str | None) -> list[bool]:
        """Which patterns may match ``text``: those whose screen strings it contains."""
        folded = fold(text)
        return [cover is None or any(s in folded for s in cover) for cover in self._screen(lang)]

    def may_match(self, text: str, lang: str | None) -> bool:
        """Whether any pattern may match ``text``. Screens hold for any text, so a page's
        blocks can be screened joined; a pattern's context (``^``, look-arounds) is
        its block's, so the patterns themselves only ever search one block."""
        return any(self._candidates(text, lang))

    def finditer(self, text: str, lang: str | None) -> Iterator[tuple[Any, int]]:
        """(match, index of the pattern) in text order, exceptions removed.

        A run of a few files screens the block and compiles only the patterns it lets
        through. A run of many searches the block with the gate, compiled once per
        process: across hundreds of blocks one C search beats a hundred screens."""
        wanted: list[bool] | None = None
        if GATES["bulk"]:
            gate = self._gate(lang)
            if gate is None or not self._search(gate, text, first=True):
                return
        else:
            wanted = self._candidates(text, lang)
            if not any(wanted):
                return
        found = []
        for index, pattern in enumerate(self._for(self.patterns, lang)):
            if wanted is not None and not wanted[index]:
                continue
            found.extend((m, index) for m in self._search(pattern, text) if m.end() > m.start())
        if not found:
            return
        vetoes = [
            (m.start(), m.end())
            for p in self._for(self.exceptions, lang)
            for m in self._search(p, text)
        ]
        found = [
            (m, index)
            for m, index in found
            if not any(s <= m.start() and m.end() <= e for s, e in vetoes)
        ]
        found.sort(key=lambda item: (item[0].start(), -item[0].end()))
        last_end = -1
        for m, index in found:  # overlapping matches of several patterns count once
            if m.start() >= last_end:
                last_end = m.end()
                yield m, index

    def _search(self, pattern, text: str, first: bool = False):
        try:
            if first:
                return pattern.search(text, timeout=PATTERN_TIMEOUT) is not None
            return list(pattern.finditer(text, timeout=PATTERN_TIMEOUT))
        except TimeoutError:
            raise PatternTimeout(
                f"pattern {pattern.pattern!r} took over {PATTERN_TIMEOUT:g} s "
                f"and was stopped ({self.where})"
            ) from None


def _covers(sources: list[str]) -> tuple[frozenset[str] | None, ...]:
    """``necessary`` of each source, kept between runs in ``cache.derived``: reading
    the syntax of an English page's patterns takes about 20 ms."""
    data = "\0".join(sources).encode("utf-8", "surrogatepass")
    return cache.kept("screens", data, lambda: tuple(map(necessary, sources)), tuple)


def _matcher(r: Reader, key: str, *, table_of: type) -> Matcher:
    ignore_case = r.get("ignore-case", bool, True)
    whole = r.get("whole-words", bool, True)
    raw = r.per_lang(key, table_of)
    if not raw:
        raise PackError(f"{r.where}: {key} is required")
    patterns: dict[str, list[Any]] = {}
    values: dict[str, list[str]] = {}
    for lang, entries in raw.items():
        items = list(entries.items()) if table_of is dict else [(p, "") for p in entries]
        if not items:
            raise PackError(f"{r.where}: {key}.{lang} is empty")
        patterns[lang] = [
            compile_pattern(
                p,
                f"{r.where}: {key}.{lang}",
                ignore_case=ignore_case,
                whole_words=whole,
                eager=not r.trusted,
            )
            for p, _ in items
        ]
        values[lang] = [v for _, v in items]
    exceptions = {
        lang: [
            compile_pattern(
                p,
                f"{r.where}: exceptions.{lang}",
                ignore_case=ignore_case,
                whole_words=whole,
                eager=not r.trusted,
                open_end=True,
            )
            for p in entries
        ]
        for lang, entries in r.per_lang("exceptions", list).items()
    }
    return Matcher(r.where, patterns, exceptions, values)


def _scopes(r: Reader) -> frozenset[str] | None:
    scopes = r.strings("scopes")
    return frozenset(scopes) if scopes else None


def _fill(template: str, **values: Any) -> str:
    return template.format_map(values)


def _text_blocks(doc, ctx, scopes, langs, matcher=None):
    """The blocks a rule reads; with ``matcher``, only those of a language whose
    patterns occur somewhere on the page (one search per language rules out the rest)."""
    wanted = None
    if matcher is not None:
        wanted = {
            lang
            for lang, text in doc.texts_by_lang(scopes).items()
            if (langs is None or lang in langs) and matcher.may_match(text, lang)
        }
        if not wanted:
            return
    for block in doc.iter_blocks(scopes, None):
        if langs is not None and block.lang not in langs:
            continue
        if wanted is not None and block.lang not in wanted:
            continue
        yield block


def build_existence(r: Reader) -> Spec:
    matcher = _matcher(r, "patterns", table_of=list)
    scopes = _scopes(r)
    message = r.get("message", str, "`{match}`")
    suggestion = r.get("suggestion", str)

    def check(doc, ctx):
        for block in _text_blocks(doc, ctx, scopes, matcher.langs, matcher):
            for m, _ in matcher.finditer(block.text, block.lang):
                yield Report(
                    TextRange(block, m.start(), m.end()),
                    _fill(message, match=m.group()),
                    _fill(suggestion, match=m.group()) if suggestion else None,
                )

    return Spec(matcher.langs, check)


def build_substitution(r: Reader) -> Spec:
    matcher = _matcher(r, "swap", table_of=dict)
    scopes = _scopes(r)
    message = r.get("message", str, "`{match}`: write `{replacement}`")
    suggestion = r.get("suggestion", str, "Write `{replacement}`")

    def check(doc, ctx):
        for block in _text_blocks(doc, ctx, scopes, matcher.langs, matcher):
            own = matcher.values.get(block.lang or "", []) + matcher.values.get(ANY_LANG, [])
            for m, index in matcher.finditer(block.text, block.lang):
                replacement = own[index]
                yield Report(
                    TextRange(block, m.start(), m.end()),
                    _fill(message, match=m.group(), replacement=replacement),
                    _fill(suggestion, match=m.group(), replacement=replacement),
                    replacement=replacement,
                )

    return Spec(matcher.langs, check)


def build_occurrence(r: Reader) -> Spec:
    matcher = _matcher(r, "patterns", table_of=list)
    scopes = _scopes(r)
    most = r.get("max", int)
    least = r.get("min", int)
    per = r.get("per", str, "block")
    if per not in ("block", "document"):
        raise PackError(f"{r.where}: per must be 'block' or 'document'")
    if most is None and least is None:
        raise PackError(f"{r.where}: occurrence needs max or min")
    if least is not None and per != "document":
        raise PackError(f"{r.where}: min needs per = 'document'")
    message = r.get("message", str, "`{match}` occurs {count} times (at most {max})")
    suggestion = r.get("suggestion", str)

    def report(block, m, count):
        values = dict(match=m.group() if m else "", count=count, max=most, min=least)
        target = TextRange(block, m.start(), m.end()) if m else Span(0, 0)
        return Report(
            target, _fill(message, **values), _fill(suggestion, **values) if suggestion else None
        )

    def check(doc, ctx):
        groups: list[list[tuple[Any, Any]]] = []
        # A block with too few matches counts too, so "min" reads every block.
        gate = matcher if least is None else None
        for block in _text_blocks(doc, ctx, scopes, matcher.langs, gate):
            found = [(block, m) for m, _ in matcher.finditer(block.text, block.lang)]
            if per == "block" or not groups:
                groups.append(found)
            else:
                groups[0].extend(found)
        if per == "document" and not groups:
            groups.append([])
        for found in groups:
            if most is not None and len(found) > most:
                block, m = found[most]
                yield report(block, m, len(found))
            if least is not None and len(found) < least:
                yield report(None, None, len(found))

    return Spec(matcher.langs, check)


def _metrics() -> dict[str, Callable[[Any, str], float]]:
    return {
        "flesch-reading-ease": lambda s, t: s.flesch_reading_ease(t),
        "flesch-kincaid-grade": lambda s, t: s.flesch_kincaid_grade(t),
        "wiener-sachtextformel": lambda s, t: s.wiener_sachtextformel(t, 1),
        "gulpease": lambda s, t: s.gulpease_index(t),
        "fernandez-huerta": lambda s, t: s.fernandez_huerta(t),
        "szigriszt-pazos": lambda s, t: s.szigriszt_pazos(t),
        "lix": lambda s, t: s.lix(t),
        "words-per-sentence": lambda s, t: (
            len(WORD.findall(t)) / max(1, len([x for x in SENTENCE.findall(t) if WORD.search(x)]))
        ),
    }


METRICS = tuple(_metrics())
# textstat's language-specific formulas know these languages; the rest use lix and
# sentence length only.
TEXTSTAT_LANGS = {"en", "de", "es", "fr", "it", "nl", "ru", "pt"}
_STATS: dict[str, Any] = {}


def _textstat(lang: str):
    """One textstat instance per language (its language is instance state)."""
    stats = _STATS.get(lang)
    if stats is None:
        from textstat.textstat import textstatistics

        stats = textstatistics()
        stats.set_lang(lang)
        _STATS[lang] = stats
    return stats


def _threshold(r: Reader, key: str) -> dict[str, float]:
    if key not in r.table:
        return {}
    value = r.table[key]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {ANY_LANG: float(value)}
    table = r.per_lang(key, float) if isinstance(value, dict) else None
    if table is None or not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in table.values()
    ):
        raise PackError(f"{r.where}: {key} must be a number or a table of numbers per language")
    return {k: float(v) for k, v in table.items()}


def build_readability(r: Reader) -> Spec:
    metric = r.required("metric", str)
    metrics = _metrics()
    if metric not in metrics:
        raise PackError(f"{r.where}: unknown metric {metric!r} (one of {', '.join(METRICS)})")
    compute = metrics[metric]
    most, least = _threshold(r, "max"), _threshold(r, "min")
    if not most and not least:
        raise PackError(f"{r.where}: readability needs max or min")
    min_words = r.get("min-words", int, 30)
    per = r.get("per", str, "block")
    if per not in ("block", "sentence"):
        raise PackError(f"{r.where}: per must be 'block' or 'sentence'")
    langs_set = (set(most) | set(least)) - {ANY_LANG}
    langs = None if ANY_LANG in most or ANY_LANG in least else frozenset(langs_set)
    needs_textstat = metric not in ("lix", "words-per-sentence")
    message = r.get("message", str, "{metric} is {value} (limit {max})")
    suggestion = r.get("suggestion", str)
    scopes = _scopes(r) or frozenset({"paragraph", "list-item", "quote"})

    def judge(block, start, end, lang):
        text = block.text[start:end]
        words = len(WORD.findall(text))
        if words < min_words:
            return None
        if needs_textstat and lang not in TEXTSTAT_LANGS:
            return None
        value = round(compute(_textstat(lang or "en") if needs_textstat else None, text), 1)
        hi = most.get(lang or "", most.get(ANY_LANG))
        lo = least.get(lang or "", least.get(ANY_LANG))
        if (hi is not None and value > hi) or (lo is not None and value < lo):
            values = dict(value=value, max=hi, min=lo, metric=metric, words=words)
            return Report(
                TextRange(block, start, end),
                _fill(message, **values),
                _fill(suggestion, **values) if suggestion else None,
            )
        return None

    def check(doc, ctx):
        for block in _text_blocks(doc, ctx, scopes, langs):
            if per == "block":
                pieces = [(0, len(block.text))]
            else:
                pieces = [(m.start(), m.end()) for m in SENTENCE.finditer(block.text)]
            for start, end in pieces:
                while start < end and block.text[start].isspace():
                    start += 1
                while end > start and block.text[end - 1].isspace():
                    end -= 1
                found = judge(block, start, end, block.lang)
                if found:
                    yield found

    return Spec(langs, check)


def build_selector(r: Reader) -> Spec:
    from lxml.cssselect import CSSSelector, SelectorError

    def compiled(key: str):
        source = r.get(key, str)
        if source is None:
            return None
        try:
            return CSSSelector(source, translator="html")
        except (SelectorError, SyntaxError, ValueError) as exc:
            raise PackError(f"{r.where}: bad {key} {source!r}: {exc}") from None

    selector = compiled("selector")
    if selector is None:
        raise PackError(f"{r.where}: selector is required")
    exclude = compiled("exclude")
    missing = r.get("missing", bool, False)
    text = None
    if "text" in r.table:
        text = _matcher(r, "text", table_of=list)
    message = r.get("message", str, "<{tag}> matches the rule's selector")
    suggestion = r.get("suggestion", str)
    langs = text.langs if text else None

    def check(doc, ctx):
        root = doc.tree
        if root is None:
            return
        from trustlint.htmlforms import text_of

        hits = []
        excluded = set(exclude(root)) if exclude is not None else set()
        for element in selector(root):
            if element in excluded:
                continue
            if text is not None:
                words = text_of(element)
                if not any(True for _ in text.finditer(words, None)):
                    continue
            hits.append(element)
        if missing:
            if not hits:
                yield Report(Span(0, 0), _fill(message, tag=selector.css, text=""), suggestion)
            return
        for element in hits:
            values = dict(tag=element.tag, text=text_of(element)[:60])
            yield Report(
                element,
                _fill(message, **values),
                _fill(suggestion, **values) if suggestion else None,
            )

    return Spec(langs, check)


BUILDERS = {
    "existence": build_existence,
    "substitution": build_substitution,
    "occurrence": build_occurrence,
    "readability": build_readability,
    "selector": build_selector,
}


def build(kind: str, r: Reader) -> Spec:
    spec = BUILDERS[kind](r)
    inner = spec.check

    def check(doc, ctx):
        try:
            yield from inner(doc, ctx)
        except PatternTimeout as exc:
            raise RuntimeError(str(exc)) from None

    return Spec(spec.langs, check)
