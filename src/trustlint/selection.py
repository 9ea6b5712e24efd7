"""Which rules run on which file, and at what severity.

Selectors are a full code (``TL201``), a code prefix (``TL``, ``TL2``, ``TL20``), ``ALL``,
or a rule name (``form-too-many-fields``). Codes and ``ALL`` are case-insensitive.

As in flake8 and ruff, when a code matches both a ``select`` and an ``ignore``
selector, the more specific one wins: a longer prefix beats a shorter one, a rule
name beats any code, and on a tie ``ignore`` wins. ``extend_select`` adds selectors
to ``select``; without ``select``, every stable rule is selected. ``ALL`` and prefixes
never select a preview rule: only its code or name does.

``per_file_ignores`` maps a glob to selectors that are switched off for the files it
matches, whatever ``select`` says. A glob (``*`` within a folder, ``**`` across
folders, as for excludes) matches a file's POSIX path relative to ``root`` or to the
current folder, its name, or one of the folders above it.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from trustlint.discovery import glob_matches
from trustlint.errors import ConfigError
from trustlint.model import RuleMeta, Severity

# Names are lower-case kebab-case, so they outrank codes of any length.
NAME_SPECIFICITY = 1000
CODE_SHAPE = re.compile(r"^([A-Z]+)(\d*)$")


class Selection:
    def __init__(
        self,
        rules: Mapping[str, RuleMeta],
        *,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] = (),
        extend_select: Iterable[str] = (),
        per_file_ignores: Mapping[str, Iterable[str]] | None = None,
        severity: Mapping[str, Severity | str] | None = None,
        root: Path | None = None,
        cwd: Path | None = None,
    ) -> None:
        """Check every selector now, so that a typo fails before any file is read.

        ``root`` is the config file's folder, which per-file-ignores globs are
        relative to; ``cwd`` is what relative file paths are relative to.
        """
        self.rules = dict(rules)
        self._by_name = {meta.name: code for code, meta in self.rules.items()}
        self._cwd = os.path.abspath(cwd) if cwd is not None else None
        self._root = os.path.abspath(root) if root is not None else None

        chosen = (
            [(self._selected_by(s, "select"), self._specificity(s)) for s in select]
            if select is not None
            else [(frozenset(c for c, m in self.rules.items() if not m.preview), 0)]
        )
        chosen += [
            (self._selected_by(s, "extend-select"), self._specificity(s)) for s in extend_select
        ]
        dropped = [(self._checked(s, "ignore"), self._specificity(s)) for s in ignore]
        self.selected = frozenset(code for code in self.rules if _wins(code, chosen, dropped))

        self._per_file = [
            (
                glob,
                frozenset().union(*(self._checked(s, f"per-file-ignores '{glob}'") for s in sels)),
            )
            for glob, sels in (per_file_ignores or {}).items()
        ]
        self._enabled_cache: dict[tuple[int, ...], frozenset[str]] = {}

        self._severity: dict[str, Severity] = {}
        ranked: dict[str, int] = {}
        for selector, level in (severity or {}).items():
            level = level if isinstance(level, Severity) else _parse_severity(selector, level)
            rank = self._specificity(selector)
            for code in self._checked(selector, "severity"):
                if rank >= ranked.get(code, -1):  # the more specific selector wins
                    ranked[code] = rank
                    self._severity[code] = level

    # -- selectors ---------------------------------------------------------------

    def resolve(self, selector: str) -> frozenset[str]:
        """The codes a selector names (codes, prefixes, names, ``ALL``); empty if none.

        Never raises, so that suppression comments can report unknown selectors
        themselves.
        """
        selector = selector.strip()
        if not selector:
            return frozenset()
        if selector.upper() == "ALL":
            return frozenset(self.rules)
        code = self._by_name.get(selector.lower())
        if code is not None:
            return frozenset({code})
        prefix = selector.upper()
        if not CODE_SHAPE.match(prefix):
            return frozenset()
        return frozenset(c for c in self.rules if c.startswith(prefix))

    # The engine's name for ``resolve``.
    resolve_quiet = resolve

    def _is_exact(self, selector: str) -> bool:
        selector = selector.strip()
        return selector.lower() in self._by_name or selector.upper() in self.rules

    def _specificity(self, selector: str) -> int:
        selector = selector.strip()
        if selector.upper() == "ALL":
            return 0
        if selector.lower() in self._by_name:
            return NAME_SPECIFICITY
        return len(selector)

    def _checked(self, selector: str, where: str) -> frozenset[str]:
        """``resolve``, but a selector that cannot name any rule is a ConfigError."""
        codes = self.resolve(selector)
        if codes or self._is_prefix_shape(selector):
            return codes
        choices = ["ALL", *self.rules, *self._by_name]
        stripped = selector.strip()
        close = difflib.get_close_matches(stripped, choices, n=1, cutoff=0.6)
        if not close:
            close = difflib.get_close_matches(stripped.upper(), choices, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise ConfigError(f"unknown rule selector {stripped!r} in {where}{hint}")

    def _selected_by(self, selector: str, where: str) -> frozenset[str]:
        codes = self._checked(selector, where)
        if self._is_exact(selector):
            return codes
        return frozenset(c for c in codes if not self.rules[c].preview)

    def _is_prefix_shape(self, selector: str) -> bool:
        """A proper prefix of some code's shape (``TL9`` with no TL9xx rule is fine)."""
        m = CODE_SHAPE.match(selector.strip().upper())
        if not m:
            return False
        shapes = {(CODE_SHAPE.match(c).group(1), len(c)) for c in self.rules if CODE_SHAPE.match(c)}
        shapes = shapes or {("TL", 5)}
        letters = m.group(1)
        return any(letters == head and len(m.group(0)) < length for head, length in shapes)

    # -- per file ----------------------------------------------------------------

    def enabled(self, path: str) -> frozenset[str]:
        """The codes that run on the file shown as ``path``."""
        if not self._per_file:
            return self.selected
        candidates = self._path_candidates(path)
        key = tuple(
            index
            for index, (glob, _) in enumerate(self._per_file)
            if any(glob_matches(glob, c) for c in candidates)
        )
        found = self._enabled_cache.get(key)
        if found is None:
            off = frozenset().union(*(self._per_file[i][1] for i in key))
            found = self._enabled_cache[key] = self.selected - off
        return found

    def _path_candidates(self, path: str) -> set[str]:
        """The file's relative paths, its name, and the folders above it."""
        posix = path.replace(os.sep, "/")
        while posix.startswith("./"):
            posix = posix[2:]
        relatives = {posix}
        if self._root is not None:
            absolute = os.path.normpath(os.path.join(self._cwd or os.getcwd(), path))
            try:
                rel = os.path.relpath(absolute, self._root)
            except ValueError:  # another drive on Windows
                rel = ""
            if rel and not rel.startswith(".."):
                relatives.add(rel.replace(os.sep, "/"))
        found = set()
        for rel in relatives:
            pure = PurePosixPath(rel)
            found.add(rel)
            found.add(pure.name)
            found.update(str(parent) for parent in pure.parents if str(parent) not in (".", "/"))
        return found

    # -- severity ----------------------------------------------------------------

    def severity_override(self, code: str) -> Severity | None:
        """The configured severity for ``code``, or None to keep the rule's own."""
        return self._severity.get(code)

    def severity_of(self, code: str) -> Severity:
        """The severity findings of ``code`` get: the override, else the default."""
        return self._severity.get(code) or self.rules[code].severity


def _wins(
    code: str,
    chosen: list[tuple[frozenset[str], int]],
    dropped: list[tuple[frozenset[str], int]],
) -> bool:
    best_select = max((rank for codes, rank in chosen if code in codes), default=-1)
    best_ignore = max((rank for codes, rank in dropped if code in codes), default=-1)
    return best_select >= 0 and best_select > best_ignore


def _parse_severity(selector: str, level: str) -> Severity:
    try:
        return Severity.parse(level)
    except ValueError as exc:
        raise ConfigError(f"severity of {selector!r}: {exc}") from None
