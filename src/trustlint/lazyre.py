"""Regular expressions compiled on first use, and not at all for texts they cannot match.

The rule modules hold hundreds of per-language patterns. Compiling them all at import
took about 90 ms of a one-page run that uses a handful (``re``'s compiler is written
in Python). A ``LazyPattern`` compiles on its first method call and then binds the
compiled pattern's methods to itself, so every later call costs what a plain
pattern's does.

In a run of a few files with the cache on, a pattern is first screened: the strings
one of which every match contains (``packs.literals.necessary``, kept for all
patterns in one table in ``cache.derived``) are looked for in the text, and a text
with none of them gets "no match" without compiling. On an English page 93 of the
117 patterns that were compiled matched nothing and needed no compiling (35 ms).
Runs of many files compile at once (``screening`` off): one C search per text beats
a screen in Python, and every pattern is needed sooner or later.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")
# What each method gives for a text the pattern cannot match (args as it was called).
_NO_MATCH = {
    "search": lambda string: None,
    "match": lambda string: None,
    "fullmatch": lambda string: None,
    "finditer": lambda string: iter(()),
    "findall": lambda string: [],
    "split": lambda string: [string],
    "sub": lambda string: string,
    "subn": lambda string: (string, 0),
}
_STRING_AT = {"sub": 1, "subn": 1}  # the text's position among the arguments (else 0)

screening = True  # set per run by the runner: off in runs of many files
_screens: dict[tuple[str, int], frozenset[str] | None] | None = None
_screens_added = False
_SCREENS_KEY = "lazyre-screens"


class LazyPattern:
    """A ``re.Pattern`` stand-in: ``pattern`` and ``flags`` at once, the rest on demand."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str):
        # Only reached for attributes not yet set: the first use of the pattern.
        if name.startswith("__"):
            raise AttributeError(name)
        if name in _NO_MATCH and screening:
            cover = screen(self.pattern, self.flags)
            if cover is not None:
                for method in _METHODS:
                    setattr(self, method, _screened(self, method, cover))
                return getattr(self, name)
        return getattr(self._compile(), name)

    def _compile(self) -> re.Pattern:
        known = self.__dict__.get("compiled")
        if known is not None:  # a screened method kept by a caller, after compiling
            return known
        compiled = re.compile(self.pattern, self.flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        self.compiled = compiled
        return compiled

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags})"


def _screened(lazy: LazyPattern, name: str, cover: frozenset[str]):
    from trustlint.packs.literals import fold

    no_match = _NO_MATCH[name]
    at = _STRING_AT.get(name, 0)

    def method(*args, **kwargs):
        string = args[at] if len(args) > at else None
        if isinstance(string, str) and not kwargs:
            folded = fold(string)
            if not any(s in folded for s in cover):
                return no_match(string)
        # A text that may match: compile, and bind the compiled methods for good.
        return getattr(lazy._compile(), name)(*args, **kwargs)

    return method


def screen(pattern: str, flags: int) -> frozenset[str] | None:
    """Strings one of which every match of the pattern contains, or None: unknown, or
    no derived cache to keep the table in (reading a pattern's syntax costs about as
    much as compiling it, so without the table screening does not pay)."""
    global _screens, _screens_added
    if _screens is None:
        _screens = _load_screens()
        if _screens is None:
            return None
    key = (pattern, flags)
    try:
        return _screens[key]
    except KeyError:
        pass
    from trustlint.packs.literals import necessary

    cover = None if flags & re.VERBOSE else necessary(pattern)
    _screens[key] = cover
    _screens_added = True
    return cover


def _load_screens() -> dict | None:
    from trustlint import cache

    store = cache.derived
    if store is None:
        return None
    table = store.get(store.key(_SCREENS_KEY, b""))
    return table if isinstance(table, dict) else {}


def keep_screens() -> None:
    """Write the screen table back to ``cache.derived`` if this run added to it."""
    global _screens_added
    from trustlint import cache

    store = cache.derived
    if _screens_added and _screens is not None and store is not None:
        store.put(store.key(_SCREENS_KEY, b""), _screens)
        _screens_added = False


def compile(pattern: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)


def words(entries: Iterable[str], flags: int = re.IGNORECASE) -> LazyPattern:
    """Any of ``entries`` (regular expressions) as a whole word."""
    return LazyPattern(r"(?<!\w)(?:" + "|".join(entries) + r")(?!\w)", flags)
