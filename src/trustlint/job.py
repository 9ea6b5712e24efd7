"""Resolve a check before the first file is read: config, rules, selection, files."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trustlint.engine import Settings
from trustlint.model import FileError, Severity


@dataclass
class Job:
    settings: Settings
    files: list[tuple[Path, str]]  # (path, display name)
    errors: list[FileError] = field(default_factory=list)
    fail_on: Severity = Severity.WARNING
    config_path: Path | None = None
    cache: Any = None  # trustlint.cache.Cache, or None with --no-cache
    site_files: list[Path] = field(default_factory=list)  # every page of the site


def _config_anchor(paths: list[str], anchor: Path | None) -> Path:
    """Where the config search starts: the checked paths' common folder."""
    if anchor is not None:
        return anchor.resolve()
    existing = [Path(p).resolve() for p in paths if Path(p).exists()]
    if not existing:
        return Path.cwd()
    dirs = [p if p.is_dir() else p.parent for p in existing]
    try:
        return Path(os.path.commonpath([str(d) for d in dirs]))
    except ValueError:
        return dirs[0]


def prepare(
    paths: list[str],
    *,
    config_path: Path | None = None,
    isolated: bool = False,
    cli: dict[str, Any] | None = None,
    anchor: Path | None = None,
    use_cache: bool = True,
) -> Job:
    from trustlint import cache as cache_module
    from trustlint.config import Config, find_config, load_config, merge_cli, validate_rules
    from trustlint.discovery import discover
    from trustlint.registry import build_registry
    from trustlint.runner import display_path
    from trustlint.selection import Selection

    if config_path is not None:
        config = load_config(config_path)
    elif not isolated and (found := find_config(_config_anchor(paths, anchor))):
        config = load_config(found)
    else:
        config = Config()
    config = merge_cli(config, **(cli or {}))
    # Parsed packs and dictionaries are kept in the cache folder from the start.
    folder = _cache_folder(config) if use_cache else None
    cache_module.derived = cache_module.Cache(folder, "").by_version() if folder else None
    registry = build_registry(list(config.rule_paths))
    metas = {code: r.meta for code, r in registry.items()}
    options = validate_rules(config, metas)
    selection = Selection(
        metas,
        select=config.select,
        ignore=config.ignore,
        extend_select=config.extend_select,
        per_file_ignores=config.per_file_ignores,
        severity=config.severity,
    )
    settings = Settings(
        registry=registry,
        selection=selection,
        options=options,
        jurisdictions=frozenset(config.jurisdictions),
        default_lang=config.lang,
    )
    files: list[Path] = []
    errors: list[FileError] = []
    if paths:
        files, errors = discover(
            paths,
            exclude=config.exclude,
            extend_exclude=config.extend_exclude,
            respect_gitignore=config.respect_gitignore,
        )
    site_root = config.site_root
    if site_root is None and len(paths) == 1 and Path(paths[0]).is_dir():
        site_root = Path(paths[0])  # one folder checked: it is the site
    site_files: list[Path] = []
    if site_root is not None:
        site_root = site_root.resolve()
        if not site_root.is_dir():
            from trustlint.errors import ConfigError

            raise ConfigError(f"site root {site_root} is not a folder")
        found, _ = discover(
            [str(site_root)],
            exclude=config.exclude,
            extend_exclude=config.extend_exclude,
            respect_gitignore=config.respect_gitignore,
        )
        site_files = [p for p in found if p.suffix.lower() in (".html", ".htm", ".xhtml")]
        settings.site_root = site_root
    cache = None
    if folder is not None:
        cache = cache_module.Cache(folder, cache_module.run_fingerprint(config, options, registry))
    return Job(
        cache=cache,
        site_files=site_files,
        settings=settings,
        files=[(p, display_path(p)) for p in files],
        errors=errors,
        fail_on=config.fail_on,
        config_path=config.path,
    )


def _cache_folder(config) -> Path:
    from trustlint.cache import DEFAULT_DIR

    base = config.root if config.path is not None else Path.cwd()
    folder = Path(config.cache_dir) if config.cache_dir else base / DEFAULT_DIR
    return folder if folder.is_absolute() else base / folder
