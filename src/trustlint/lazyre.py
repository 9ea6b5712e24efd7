"""Regular expressions compiled on first use.

The rule modules hold hundreds of per-language patterns. Compiling them all at import
took about 90 ms of a one-page run that uses a handful (``re``'s compiler is written
in Python). A ``LazyPattern`` compiles on its first method call and then binds the
compiled pattern's methods to itself, so every later call costs what a plain
pattern's does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    """A ``re.Pattern`` stand-in: ``pattern`` and ``flags`` at once, the rest on demand."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str):
        # Only reached for attributes not yet set: the first use of the pattern.
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self.flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        self.compiled = compiled
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags})"


def compile(pattern: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)


def words(entries: Iterable[str], flags: int = re.IGNORECASE) -> LazyPattern:
    """Any of ``entries`` (regular expressions) as a whole word."""
    return LazyPattern(r"(?<!\w)(?:" + "|".join(entries) + r")(?!\w)", flags)
