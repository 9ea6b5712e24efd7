"""Which files a check reads: named files, and the pages and drafts inside named folders.

Walking a folder, trustlint takes the files whose suffix is one of ``SUFFIXES``
(any case) and skips ``.git``, ``node_modules``, hidden folders (name starting with
``.``), whatever ``.gitignore`` files ignore, and what the exclude globs match.

Exclude globs (``exclude`` replaces ``DEFAULT_EXCLUDE``, ``extend_exclude`` adds):

* ``*`` matches within one path component, ``**`` across components (``**/`` also
  matches no folder at all), ``?`` one character, ``[abc]`` / ``[!abc]`` a class.
  Matching is case-sensitive.
* A glob matches a path relative to ``root`` (the config file's folder, by default
  the current folder) or any single component of it: ``build`` skips every folder
  or file named ``build``; ``site/legacy`` or ``site/legacy/**`` that one folder;
  ``*.draft.md`` every such file. A glob that starts with ``/`` matches an absolute
  path.
* A matched folder is skipped with everything in it.
* A file named on the command line is checked whatever its suffix, unless a glob
  matches it or a folder above it (so that pre-commit, which names files, honours
  the excludes). ``.gitignore`` files do not apply to named files.
* A folder named on the command line is always walked (you asked for it); the globs
  and ``.gitignore`` files apply to what is inside it.

``.gitignore`` files are read from the named folder downward, and from the folders
above it up to the root of its git repository (with ``.git/info/exclude``). If the
named folder is itself ignored by those, only the ones inside it apply.

Symbolic links to files are followed; a link to a folder is walked once (a loop
yields nothing more). Every file is returned once, under the first path that
reaches it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from trustlint.model import FileError

SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".md", ".markdown", ".txt"})
DEFAULT_EXCLUDE = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    "dist",
    "build",
    ".tox",
    ".trustlint_cache",
    "site-packages",
)
# Skipped while walking, whatever the exclude globs say.
ALWAYS_SKIP = frozenset({".git", "node_modules"})

MISSING = "no such file or directory"


@lru_cache(maxsize=1024)
def compile_glob(pattern: str) -> re.Pattern[str]:
    """A regular expression for the whole of ``pattern`` (see the module docstring)."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "*":
            if pattern.startswith("**", i):
                i += 2
                if pattern.startswith("/", i):
                    out.append("(?:.*/)?")  # `**/`: any number of folders, even none
                    i += 1
                elif out and out[-1] == "/" and i == n:
                    out[-1] = "(?:/.*)?"  # `x/**`: everything in x, and x itself
                else:
                    out.append(".*")
                continue
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.find("]", i + 2 if pattern.startswith(("[!", "[^"), i) else i + 1)
            if end < 0:
                out.append(re.escape(char))
            else:
                body = pattern[i + 1 : end]
                if body[:1] in ("!", "^"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end
        elif char == "/":
            out.append("/")
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out), re.S)


def glob_matches(pattern: str, path: str) -> bool:
    """Whether the glob ``pattern`` matches all of the POSIX ``path``."""
    return compile_glob(pattern).fullmatch(path) is not None


def _any_of(patterns: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.S) if patterns else None


def _clean_glob(pattern: str) -> str:
    pattern = pattern.strip().replace("\\", "/") if os.sep == "\\" else pattern.strip()
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern.rstrip("/") if len(pattern) > 1 else pattern


def _posix_relpath(path: str, base: str) -> str | None:
    """``path`` relative to ``base`` in POSIX form, or None if it is not under it."""
    if path == base:
        return "."
    prefix = base if base.endswith(os.sep) else base + os.sep
    if not path.startswith(prefix):
        return None
    return path[len(prefix) :].replace(os.sep, "/")


class Excluder:
    """Exclude globs, matched against a relative path, its components, or absolute."""

    def __init__(self, globs: Sequence[str], root: str) -> None:
        cleaned = [_clean_glob(g) for g in globs]
        self.globs = [g for g in cleaned if g and g != "."]
        self.root = root
        # Every entry of a walk is tested: one search per form instead of one per glob.
        relative = [compile_glob(g).pattern for g in self.globs if not g.startswith("/")]
        absolute = [compile_glob(g).pattern for g in self.globs if g.startswith("/")]
        self._relative = _any_of(relative)
        self._absolute = _any_of(absolute)

    def _rel(self, abs_path: str, shown: str) -> str:
        rel = _posix_relpath(abs_path, self.root)
        return rel if rel is not None else shown

    def matches(self, abs_path: str, shown: str) -> bool:
        """For an entry found while walking: its relative path or its own name."""
        if not self.globs:
            return False
        rel = self._rel(abs_path, shown)
        if self._relative is not None and (
            self._relative.fullmatch(rel) or self._relative.fullmatch(rel.rsplit("/", 1)[-1])
        ):
            return True
        absolute = self._absolute
        return (
            absolute is not None and absolute.fullmatch(abs_path.replace(os.sep, "/")) is not None
        )

    def matches_named(self, abs_path: str, shown: str) -> bool:
        """For a named file: it, or any folder above it up to the root."""
        if not self.globs:
            return False
        rel = self._rel(abs_path, shown)
        absolute = abs_path.replace(os.sep, "/")
        if any(g.startswith("/") and glob_matches(g, absolute) for g in self.globs):
            return True
        parts = rel.split("/")
        for index, part in enumerate(parts):
            if part in (".", "..", ""):
                continue
            prefix = "/".join(parts[: index + 1])
            if any(
                not g.startswith("/") and (glob_matches(g, prefix) or glob_matches(g, part))
                for g in self.globs
            ):
                return True
        return False


@dataclass(frozen=True)
class _IgnoreFile:
    """The patterns of one .gitignore file and the folder they are relative to."""

    base: str
    patterns: tuple[Any, ...]  # pathspec patterns, in file order

    def decision(self, abs_path: str, is_dir: bool) -> bool | None:
        """True: ignored, False: re-included by ``!``, None: no pattern matches."""
        rel = _posix_relpath(abs_path, self.base)
        if rel is None or rel == ".":
            return None
        if is_dir:
            rel += "/"
        for pattern in reversed(self.patterns):  # the last matching pattern decides
            if pattern.match_file(rel) is not None:
                return bool(pattern.include)
        return None


def _read_ignore_file(path: str, base: str) -> _IgnoreFile | None:
    from pathspec import GitIgnoreSpec

    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return None  # an unreadable .gitignore ignores nothing, as in git
    try:
        spec = GitIgnoreSpec.from_lines(lines)
    except Exception:
        return None  # pathspec rejects a few malformed lines that git skips
    patterns = tuple(p for p in spec.patterns if p.include is not None)
    return _IgnoreFile(base, patterns) if patterns else None


def _git_ignored(abs_path: str, is_dir: bool, ignores: Sequence[_IgnoreFile]) -> bool:
    # A deeper .gitignore overrides the ones above it.
    for ignore_file in reversed(ignores):
        decision = ignore_file.decision(abs_path, is_dir)
        if decision is not None:
            return decision
    return False


def _repo_root(folder: str) -> str | None:
    current = folder
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _outer_ignores(top: str) -> list[_IgnoreFile]:
    """.gitignore files of the folders above ``top`` up to its repository's root."""
    repo = _repo_root(top)
    if repo is None or repo == top:
        return []
    folders = []
    current = os.path.dirname(top)
    while True:
        folders.append(current)
        if current == repo:
            break
        current = os.path.dirname(current)
    folders.reverse()
    found: list[_IgnoreFile] = []
    info = _read_ignore_file(os.path.join(repo, ".git", "info", "exclude"), repo)
    if info is not None:
        found.append(info)
    # Applies .gitignore files folder by folder, as git does, and notices when the
    # named folder (or one above it) is ignored: then only what is inside counts.
    for folder in folders:
        ignore_file = _read_ignore_file(os.path.join(folder, ".gitignore"), folder)
        if ignore_file is not None:
            found.append(ignore_file)
    below = [*folders[1:], top]
    if any(_git_ignored(folder, True, found) for folder in below):
        return []
    return found


class _Walker:
    def __init__(self, excluder: Excluder, respect_gitignore: bool) -> None:
        self.excluder = excluder
        self.respect_gitignore = respect_gitignore
        self.files: dict[str, Path] = {}  # real path -> display path
        self.errors: dict[tuple[str, str], FileError] = {}
        self.visited: set[str] = set()

    def error(self, shown: Path, message: str) -> None:
        key = (shown.as_posix(), message)
        self.errors.setdefault(key, FileError(key[0], message))

    def add(self, abs_path: str, shown: Path, real: str | None = None) -> None:
        self.files.setdefault(real or os.path.realpath(abs_path), shown)

    def walk(self, top: str, top_shown: Path) -> None:
        ignores = _outer_ignores(top) if self.respect_gitignore else []
        # Depth first, in name order; the output is sorted anyway.
        stack: list[tuple[str, Path, list[_IgnoreFile], str | None]] = [
            (top, top_shown, ignores, None)
        ]
        while stack:
            folder, shown, ignores, real = stack.pop()
            # A folder that is not a link lies at its parent's real path plus its name.
            real = real or os.path.realpath(folder)
            if real in self.visited:
                continue  # a symlink loop, or a folder reached twice
            self.visited.add(real)
            try:
                with os.scandir(folder) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except PermissionError:
                self.error(shown, "permission denied")
                continue
            except FileNotFoundError:
                self.error(shown, MISSING)
                continue
            except OSError as exc:
                self.error(shown, exc.strerror or str(exc))
                continue
            if self.respect_gitignore and any(e.name == ".gitignore" for e in entries):
                own = _read_ignore_file(os.path.join(folder, ".gitignore"), folder)
                if own is not None:
                    ignores = [*ignores, own]
            subfolders = []
            for entry in entries:
                child = os.path.join(folder, entry.name)
                child_shown = shown / entry.name
                if _is_dir(entry):
                    if entry.name in ALWAYS_SKIP or entry.name.startswith("."):
                        continue
                    if self.excluder.matches(child, child_shown.as_posix()):
                        continue
                    if ignores and _git_ignored(child, True, ignores):
                        continue
                    own = None if entry.is_symlink() else os.path.join(real, entry.name)
                    subfolders.append((child, child_shown, ignores, own))
                    continue
                if os.path.splitext(entry.name)[1].lower() not in SUFFIXES:
                    continue
                if self.excluder.matches(child, child_shown.as_posix()):
                    continue
                if ignores and _git_ignored(child, False, ignores):
                    continue
                if _is_file(entry):
                    # In a folder whose real path is known, a file that is not a link
                    # needs no realpath of its own (one lstat per folder level each).
                    own = None if entry.is_symlink() else os.path.join(real, entry.name)
                    self.add(child, child_shown, own)
                elif entry.is_symlink() and not os.path.exists(child):
                    self.error(child_shown, MISSING)  # a broken link to a page
            stack.extend(reversed(subfolders))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # follows symlinks
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def discover(
    paths: Sequence[str],
    *,
    exclude: Sequence[str] | None = None,
    extend_exclude: Sequence[str] = (),
    respect_gitignore: bool = True,
    cwd: Path | None = None,
    root: Path | None = None,
) -> tuple[list[Path], list[FileError]]:
    """The files to check under ``paths``, and the paths that could not be read.

    ``exclude`` None means ``DEFAULT_EXCLUDE``. ``root`` anchors relative globs (pass
    the config's folder; default ``cwd``, itself the current folder by default).

    Each returned path is also its display path: relative to ``cwd`` when it is under
    it, else as given (so relative paths are relative to ``cwd``). Both lists are
    sorted and free of duplicates.
    """
    cwd_abs = os.path.abspath(cwd if cwd is not None else os.getcwd())
    root_abs = os.path.abspath(os.path.join(cwd_abs, root)) if root is not None else cwd_abs
    globs = [*(DEFAULT_EXCLUDE if exclude is None else exclude), *extend_exclude]
    walker = _Walker(Excluder(globs, root_abs), respect_gitignore)
    for given in paths:
        abs_path = os.path.normpath(os.path.join(cwd_abs, given))
        rel = _posix_relpath(abs_path, cwd_abs)
        shown = Path(rel) if rel is not None else Path(os.path.normpath(given))
        if not os.path.exists(abs_path):  # missing, or a broken symlink
            walker.error(shown, MISSING)
        elif os.path.isdir(abs_path):
            walker.walk(abs_path, shown)
        elif not walker.excluder.matches_named(abs_path, shown.as_posix()):
            walker.add(abs_path, shown)
    files = sorted(set(walker.files.values()), key=lambda p: p.parts)
    errors = sorted(walker.errors.values(), key=lambda e: (e.path, e.message))
    return files, errors
