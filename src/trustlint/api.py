"""Lint text from Python, without a command line or a config file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from trustlint.engine import Settings, StaticSelection, lint_document
from trustlint.loaders import document_from_text, kind_of
from trustlint.model import Finding
from trustlint.registry import Rule, build_registry


def lint_text(
    text: str,
    *,
    path: str = "input.html",
    kind: str | None = None,
    select: Iterable[str] | None = None,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    lang: str | None = None,
    rule_paths: Iterable[Path] = (),
    jurisdictions: Iterable[str] = (),
    registry: Mapping[str, Rule] | None = None,
) -> list[Finding]:
    """Findings for ``text``; ``select`` takes codes, prefixes or names (default all).

    ``options`` maps a rule code or name to option overrides. Rule crashes raise.
    """
    registry = registry if registry is not None else build_registry(list(rule_paths))
    everything = StaticSelection(registry, frozenset(registry))
    codes: set[str] = set()
    for selector in select if select is not None else ["ALL"]:
        found = everything.resolve_quiet(selector)
        if not found:
            raise ValueError(f"unknown rule selector {selector!r}")
        codes |= found
    by_name = {r.meta.name: c for c, r in registry.items()}
    merged = {c: dict(r.meta.options) for c, r in registry.items()}
    for key, values in (options or {}).items():
        code = by_name.get(key, key)
        merged[code].update({k.replace("-", "_"): v for k, v in values.items()})
    settings = Settings(
        registry=registry,
        selection=StaticSelection(registry, frozenset(codes)),
        options=merged,
        jurisdictions=frozenset(jurisdictions),
        default_lang=lang,
    )
    doc = document_from_text(
        path, text, kind or kind_of(path, text[:512].encode()), default_lang=lang
    )
    findings, errors = lint_document(doc, settings)
    if errors:
        raise RuntimeError(errors[0].message)
    return findings
