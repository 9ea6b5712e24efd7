"""Strict reading of a pack's TOML data into ``Rule`` values."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import regex

from trustlint.errors import PackError
from trustlint.model import CATEGORIES, INPUT_KINDS, RuleMeta, Severity
from trustlint.registry import Rule

PACK_KEYS = {"name", "description", "version"}
COMMON_KEYS = {
    "code",
    "name",
    "kind",
    "category",
    "severity",
    "summary",
    "message",
    "suggestion",
    "docs",
    "inputs",
    "scopes",
    "preview",
    "examples",
}
MATCH_KEYS = {"patterns", "exceptions", "ignore-case", "whole-words"}
KIND_KEYS = {
    "existence": MATCH_KEYS,
    "substitution": {"swap", "exceptions", "ignore-case", "whole-words"},
    "occurrence": MATCH_KEYS | {"max", "min", "per"},
    "readability": {"metric", "max", "min", "min-words", "per"},
    "selector": {"selector", "exclude", "missing", "text", "ignore-case"},
}
# Placeholders a message or suggestion may use, per kind.
FIELDS = {
    "existence": {"match"},
    "substitution": {"match", "replacement"},
    "occurrence": {"match", "count", "max", "min"},
    "readability": {"value", "max", "min", "metric", "words"},
    "selector": {"tag", "text"},
}
DEFAULT_INPUTS = {
    "selector": ("html",),
}
# Any other key of a per-language table must be a language tag such as "en" or "pt".
ANY_LANG = "any"
# How a block is ruled out before a rule's patterns search it. A check of a few files
# is mostly building patterns: each block is screened by literals (packs/literals.py)
# and only the patterns it lets through are compiled. A check of a site is mostly
# searching: one gate per rule and language (``regex``, an alternation of all its
# patterns) is compiled once per process and searches each block in C. The runner
# switches to the gate for runs of many files; results are the same either way
# (both only rule text out; the patterns themselves decide).
GATES = {"bulk": False}
BULK_FILES = 32


class Reader:
    """Typed access to one table, raising one-line errors that name where it is."""

    def __init__(self, table: Any, where: str, *, trusted: bool = False) -> None:
        if not isinstance(table, dict):
            raise PackError(f"{where}: expected a table")
        self.table = table
        self.where = where
        # Built-in packs are compiled in full by the test suite, so their patterns
        # compile on first use, per language: start-up then pays only for what it reads.
        self.trusted = trusted

    def unknown(self, allowed: set[str]) -> None:
        for key in self.table:
            if key not in allowed:
                raise PackError(f"{self.where}: unknown key {key!r}")

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
        if key not in self.table:
            return default
        value = self.table[key]
        if isinstance(value, bool) and kind in (int, float, (int, float)):
            raise PackError(f"{self.where}: {key} must be a number")
        if not isinstance(value, kind):
            name = kind.__name__ if isinstance(kind, type) else "number"
            name = {
                "str": "a string",
                "list": "a list",
                "dict": "a table",
                "bool": "true or false",
                "int": "an integer",
            }.get(name, name)
            raise PackError(f"{self.where}: {key} must be {name}")
        return value

    def required(self, key: str, kind: type) -> Any:
        value = self.get(key, kind)
        if value is None or value == "":
            raise PackError(f"{self.where}: {key} is required")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.get(key, list, [])
        if not all(isinstance(v, str) for v in value):
            raise PackError(f"{self.where}: {key} must be a list of strings")
        return tuple(value)

    def per_lang(self, key: str, item: type) -> dict[str, Any]:
        """A table keyed by language (``patterns.en = [...]``)."""
        value = self.get(key, dict, {})
        for lang, entry in value.items():
            if lang != ANY_LANG and not regex.fullmatch(r"[a-z]{2,3}", lang):
                raise PackError(f"{self.where}: {key}.{lang}: not a language code")
            if item is list and not (
                isinstance(entry, list) and all(isinstance(v, str) for v in entry)
            ):
                raise PackError(f"{self.where}: {key}.{lang} must be a list of strings")
            if item is dict and not (
                isinstance(entry, dict) and all(isinstance(v, str) for v in entry.values())
            ):
                raise PackError(f"{self.where}: {key}.{lang} must be a table of strings")
        return value


class Pattern:
    """A pack pattern, compiled on first use (at once when ``eager``).

    Patterns of the built-in (``trusted``) packs compile with the standard ``re``
    module when they can, five times faster than ``regex``; the test suite runs them
    all, so they need no time limit. User patterns always run on ``regex`` with one.
    """

    __slots__ = ("_compiled", "flags", "gate", "source", "trusted", "where")

    def __init__(
        self, source: str, flags: int, where: str, trusted: bool = False, gate: bool = False
    ) -> None:
        self.source = source
        self.flags = flags
        self.where = where
        self.trusted = trusted
        self.gate = gate  # an alternation of patterns that only rules text out
        self._compiled = None

    @property
    def pattern(self) -> str:
        return self.source

    def compiled(self):
        if self._compiled is None:
            # A gate (an alternation of a rule's patterns for one block at a time) is
            # built once per process in runs of many files, where ``regex`` searches
            # the long alternation faster than ``re``.
            if self.trusted and not self.gate:
                try:
                    self._compiled = re.compile(
                        self.source, re.IGNORECASE if self.flags & regex.IGNORECASE else 0
                    )
                    return self._compiled
                except re.error:  # regex-only syntax (variable-width look-behind)
                    pass
            try:
                self._compiled = regex.compile(self.source, self.flags)
            except (regex.error, ValueError) as exc:
                raise PackError(f"{self.where}: bad pattern {self.source!r}: {exc}") from None
        return self._compiled

    def finditer(self, text: str, timeout: float | None = None):
        compiled = self.compiled()
        if isinstance(compiled, re.Pattern):
            return compiled.finditer(text)
        return compiled.finditer(text, timeout=timeout)

    def search(self, text: str, timeout: float | None = None):
        compiled = self.compiled()
        if isinstance(compiled, re.Pattern):
            return compiled.search(text)
        return compiled.search(text, timeout=timeout)


def compile_pattern(
    pattern: str,
    where: str,
    *,
    ignore_case: bool,
    whole_words: bool,
    eager: bool = True,
    open_end: bool = False,
) -> Pattern:
    # V0 with simple case folding: V1's full case folding costs 3x the compile time and
    # only matters for ß against SS, which the German patterns spell out themselves.
    flags = regex.V0 | regex.UNICODE | (regex.IGNORECASE if ignore_case else 0)
    # An exception may end in punctuation ("third parties (") that a word follows.
    end = "" if open_end else "(?![\\w-])"
    body = f"(?<![\\w-])(?:{pattern}){end}" if whole_words else pattern
    compiled = Pattern(body, flags, where, trusted=not eager)
    if eager:
        try:
            compiled.compiled()
        except PackError:
            Pattern(pattern, flags, where).compiled()  # the error that names the pattern alone
            raise
    return compiled


def check_template(text: str, allowed: set[str], where: str, key: str) -> None:
    try:
        names = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError as exc:
        raise PackError(f"{where}: {key}: {exc}") from None
    for name in names:
        if name not in allowed:
            wanted = ", ".join("{" + a + "}" for a in sorted(allowed))
            raise PackError(f"{where}: {key}: unknown placeholder {{{name}}} (use {wanted})")


def parse_pack(data: Mapping[str, Any], shown: str, *, trusted: bool = False) -> list[Rule]:
    top = Reader(dict(data), shown)
    top.unknown({"pack", "rule"})
    pack = Reader(top.get("pack", dict, {}), f"{shown}: [pack]")
    pack.unknown(PACK_KEYS)
    pack.required("name", str)
    entries = top.get("rule", list, [])
    rules = []
    for number, entry in enumerate(entries, 1):
        label = entry.get("code") if isinstance(entry, dict) else None
        where = f"{shown}: rule {label if isinstance(label, str) else f'#{number}'}"
        rules.append(parse_rule(Reader(entry, where, trusted=trusted), shown))
    return rules


def parse_rule(r: Reader, shown: str) -> Rule:
    from trustlint.packs import kinds

    kind = r.required("kind", str)
    if kind not in KIND_KEYS:
        raise PackError(f"{r.where}: unknown kind {kind!r} (one of {', '.join(KIND_KEYS)})")
    r.unknown(COMMON_KEYS | KIND_KEYS[kind])
    code = r.required("code", str)
    category = r.required("category", str)
    if category not in CATEGORIES:
        raise PackError(f"{r.where}: unknown category {category!r}")
    try:
        severity = Severity.parse(r.get("severity", str, "warning"))
    except ValueError as exc:
        raise PackError(f"{r.where}: {exc}") from None
    inputs = r.strings("inputs") or DEFAULT_INPUTS.get(kind, INPUT_KINDS)
    for value in inputs:
        if value not in INPUT_KINDS:
            raise PackError(f"{r.where}: unknown input {value!r}")
    for key in ("message", "suggestion"):
        if key in r.table:
            check_template(r.get(key, str), FIELDS[kind], r.where, key)
    spec = kinds.build(kind, r)
    meta = RuleMeta(
        code=code,
        name=r.required("name", str),
        summary=r.required("summary", str),
        category=category,
        severity=severity,
        inputs=frozenset(inputs),
        langs=spec.langs,
        options=MappingProxyType({}),
        docs=r.get("docs", str, "").strip(),
        origin=f"pack:{shown}",
        preview=r.get("preview", bool, False),
    )
    examples = Reader(r.get("examples", dict, {}), f"{r.where}: examples")
    examples.unknown({"bad", "good"})
    for key in ("bad", "good"):
        for item in examples.get(key, list, []):
            Reader(item, f"{r.where}: examples.{key}").unknown({"text", "lang", "kind"})
    return Rule(meta, spec.check)
