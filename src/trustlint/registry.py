"""Rules and where they come from: built-in modules, entry-point plugins, TOML packs.

A Python rule is a generator function decorated with ``@rule``; the decorator turns
it into a ``Rule`` value (no global registry), and the loader collects ``Rule``
values from the modules of ``trustlint.rules``, from plugins in the entry-point
group ``trustlint.rules``, and from declarative packs.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import os
import pkgutil
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Any

from trustlint.errors import PackError
from trustlint.model import CATEGORIES, INPUT_KINDS, Report, RuleMeta, Severity

CODE = re.compile(r"^TL\d{3}$")
NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
ENTRY_POINT_GROUP = "trustlint.rules"
DOC_HEADINGS = ("What it does", "Why is this bad?", "Example", "Use instead")

CheckFn = Callable[[Any, "RuleContext"], Iterable[Report]]
# Computes and memoises a whole-site fact a rule reads on every page (clicks to the
# privacy notice...): called once before a process pool forks, so that the workers
# share the answer instead of each computing it and copying the site graph's pages.
SiteTable = Callable[[Any, "RuleContext"], object]


@dataclass(frozen=True)
class Rule:
    meta: RuleMeta
    check: CheckFn
    site_tables: tuple[SiteTable, ...] = ()

    def __call__(self, doc, ctx):  # a Rule stays callable like the function it wraps
        return self.check(doc, ctx)


@dataclass
class RuleContext:
    """What a rule may know besides the document: its options and settings."""

    meta: RuleMeta
    options: Mapping[str, Any] = field(default_factory=dict)
    jurisdictions: frozenset[str] = frozenset()
    # Site mode: the site's link graph and this page's site-relative path; None when a
    # file is checked on its own.
    site: Any = None
    page: str | None = None

    def blocks(self, doc, scopes: Iterable[str] | None = None):
        """The document's prose blocks in the rule's languages (and scopes)."""
        return doc.iter_blocks(frozenset(scopes) if scopes is not None else None, self.meta.langs)


def rule(
    *,
    code: str,
    name: str,
    summary: str,
    category: str,
    severity: Severity | str = Severity.WARNING,
    inputs: Iterable[str] = ("html",),
    langs: Iterable[str] | None = None,
    options: Mapping[str, Any] | None = None,
    preview: bool = False,
    site_tables: Iterable[SiteTable] = (),
) -> Callable[[CheckFn], Rule]:
    """Declare a Python rule; its docstring is its documentation. ``site_tables``
    fill the whole-site memos the rule reads (see ``SiteTable``)."""

    def wrap(fn: CheckFn) -> Rule:
        meta = RuleMeta(
            code=code,
            name=name,
            summary=summary,
            category=category,
            severity=Severity.parse(severity) if isinstance(severity, str) else severity,
            inputs=frozenset(inputs),
            langs=frozenset(langs) if langs is not None else None,
            options=MappingProxyType(dict(options or {})),
            docs=inspect.cleandoc(fn.__doc__ or ""),
            origin=f"builtin:{fn.__module__}",
            preview=preview,
        )
        return Rule(meta, fn, tuple(site_tables))

    return wrap


def validate_meta(meta: RuleMeta, where: str) -> None:
    """One line naming the file and the code for every malformed rule."""
    label = f"{where}: rule {meta.code or '?'}"
    if not CODE.match(meta.code or ""):
        raise PackError(f"{label}: code must be TL followed by 3 digits")
    if not NAME.match(meta.name or ""):
        raise PackError(f"{label}: name {meta.name!r} must be kebab-case")
    if meta.category not in CATEGORIES:
        raise PackError(
            f"{label}: unknown category {meta.category!r} (one of {', '.join(CATEGORIES)})"
        )
    bad = set(meta.inputs) - set(INPUT_KINDS)
    if bad or not meta.inputs:
        raise PackError(f"{label}: inputs must be among {', '.join(INPUT_KINDS)}")
    if not meta.summary:
        raise PackError(f"{label}: summary is missing")


def rules_in_module(module: ModuleType) -> list[Rule]:
    return [v for v in vars(module).values() if isinstance(v, Rule)]


def builtin_rules() -> list[Rule]:
    """Every ``Rule`` defined in the modules of the ``trustlint.rules`` package."""
    import trustlint.rules as package

    found: list[Rule] = []
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if info.ispkg:
            continue
        found.extend(rules_in_module(importlib.import_module(info.name)))
    return found


def _as_rules(obj: Any, where: str) -> list[Rule]:
    if isinstance(obj, Rule):
        return [obj]
    if isinstance(obj, ModuleType):
        return rules_in_module(obj)
    if isinstance(obj, (list, tuple)) and all(isinstance(r, Rule) for r in obj):
        return list(obj)
    raise PackError(f"{where}: entry point must name a Rule, a list of Rules or a module")


def plugin_entry_points() -> tuple:
    """The installed plugins' entry points, by name. The registry and the cache key
    both need them: one scan of the installed distributions per process and path."""
    return _entry_points(tuple(sys.path))


@functools.lru_cache(maxsize=4)
def _entry_points(path: tuple[str, ...]) -> tuple:
    # Most installs have no plugin, and importing importlib.metadata to find that out
    # was about 40 ms of a pre-commit run on one page; the entry-point files of the
    # distributions on the path say so in 2 ms. Any mention of the group, or a path
    # entry that is not a plain folder, gets the real scan.
    if not _may_have_plugins(path):
        return ()
    from importlib.metadata import entry_points

    found = entry_points(group=ENTRY_POINT_GROUP)
    return tuple(sorted(found, key=lambda e: (e.name, e.value)))


def _may_have_plugins(path: tuple[str, ...]) -> bool:
    group = ENTRY_POINT_GROUP.encode()
    for folder in path:
        folder = folder or "."
        try:
            with os.scandir(folder) as entries:
                names = [e.name for e in entries if e.name.endswith((".dist-info", ".egg-info"))]
        except FileNotFoundError:
            continue
        except OSError:  # a zip file on the path, or a folder that cannot be listed
            return True
        for name in names:
            try:
                with open(os.path.join(folder, name, "entry_points.txt"), "rb") as fh:
                    if group in fh.read():
                        return True
            except (FileNotFoundError, NotADirectoryError):  # none, or a one-file egg-info
                continue
            except OSError:
                return True
    return False


def plugin_rules() -> list[Rule]:
    found: list[Rule] = []
    for ep in plugin_entry_points():
        dist = ep.dist.name if ep.dist else ep.value
        where = f"plugin {dist} ({ep.value})"
        try:
            loaded = ep.load()
        except Exception as exc:  # a broken plugin must not take the run down silently
            raise PackError(f"{where}: cannot be loaded: {exc}") from exc
        for r in _as_rules(loaded, where):
            found.append(replace(r, meta=replace(r.meta, origin=f"plugin:{dist}")))
    return found


def build_registry(rule_paths: Sequence[Path] = (), *, plugins: bool = True) -> dict[str, Rule]:
    """All known rules by code; duplicate codes or names fail with one line."""
    from trustlint.packs import builtin_pack_files, load_pack

    rules: list[tuple[Rule, str]] = [(r, r.meta.origin) for r in builtin_rules()]
    for pack in builtin_pack_files():
        rules.extend((r, f"rules/{pack.name}") for r in load_pack(pack, builtin=True))
    if plugins:
        rules.extend((r, r.meta.origin) for r in plugin_rules())
    for pack in _pack_files(rule_paths):
        rules.extend((r, str(pack)) for r in load_pack(pack))
    by_code: dict[str, Rule] = {}
    by_name: dict[str, str] = {}
    for r, where in rules:
        validate_meta(r.meta, where)
        if r.meta.code in by_code:
            other = by_code[r.meta.code].meta.origin
            raise PackError(f"{where}: rule {r.meta.code}: duplicate code (also in {other})")
        if r.meta.name in by_name:
            raise PackError(
                f"{where}: rule {r.meta.code}: duplicate name {r.meta.name!r} "
                f"(also {by_name[r.meta.name]})"
            )
        by_code[r.meta.code] = r
        by_name[r.meta.name] = r.meta.code
    return dict(sorted(by_code.items()))


def _pack_files(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(path.glob("*.toml"))
        elif path.is_file():
            yield path
        else:
            raise PackError(f"{path}: rule path does not exist")
