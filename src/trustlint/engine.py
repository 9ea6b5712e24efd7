"""Run the selected rules on one document and turn their reports into findings."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trustlint.document import Block, Document
from trustlint.model import FileError, Finding, Report, Severity, Span, TextRange
from trustlint.registry import Rule, RuleContext
from trustlint.suppressions import Suppressions, collect

# Rules that judge the suppressions themselves run after every other rule.
SUPPRESSION_RULES = ("TL902", "TL903")


@dataclass
class Settings:
    """Everything resolved before the first file is read."""

    registry: Mapping[str, Rule]
    selection: Any  # trustlint.selection.Selection
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    jurisdictions: frozenset[str] = frozenset()
    default_lang: str | None = None
    site: Any = None  # trustlint.site.SiteGraph in site mode
    site_root: Path | None = None

    def page_of(self, display: str) -> str | None:
        """The site-relative path of a checked file, or None outside site mode."""
        if self.site is None or self.site_root is None:
            return None
        rel = os.path.relpath(os.path.abspath(display), self.site_root)
        return None if rel.startswith("..") else Path(rel).as_posix()


def resolve_span(doc: Document, target: Any) -> Span:
    if isinstance(target, Span):
        return target
    if isinstance(target, TextRange):
        return target.block.to_span(target.start, target.end)
    if isinstance(target, Block):
        return target.to_span(0, len(target.text))
    if hasattr(target, "getroottree"):
        return doc.element_span(target)
    raise TypeError(f"cannot locate a report on {type(target).__name__}")


def make_finding(doc: Document, rule: Rule, report: Report, severity: Severity) -> Finding:
    span = resolve_span(doc, report.target)
    start, end = doc.span_position(span)
    if end.line == start.line and end.column <= start.column:
        end = type(end)(end.line, start.column + 1)  # a point still shows one caret
    meta = rule.meta
    line_text, line_column, line_cut = _line_excerpt(doc, start, end)
    return Finding(
        path=doc.path,
        code=meta.code,
        name=meta.name,
        category=meta.category,
        severity=severity,
        message=report.message,
        span=span,
        start=start,
        end=end,
        suggestion=report.suggestion,
        line_text=line_text,
        replacement=report.replacement,
        line_column=line_column,
        line_cut=line_cut,
    )


# Lines longer than this are kept only around the span. A minified page is one line:
# a copy of it with every finding was most of the memory a long run kept.
LONG_LINE = 4000
EXCERPT_REACH = 1000  # characters kept either side; reporters show far fewer


def _line_excerpt(doc: Document, start, end) -> tuple[str, int, bool]:
    """(text, first column, cut before the end) of the line where a finding starts."""
    lines = doc.lines
    length = lines.line_length(start.line)
    if length <= LONG_LINE:
        return lines.line_text(start.line), 1, False
    first = start.column - 1
    last = end.column - 1 if end.line == start.line else length
    lo = max(0, first - EXCERPT_REACH)
    hi = min(length, min(max(last, first), first + EXCERPT_REACH) + EXCERPT_REACH)
    return lines.line_text(start.line, lo, hi), lo + 1, hi < length


class RuleCrash(Exception):
    pass


def _run_rule(doc: Document, rule: Rule, ctx: RuleContext, settings: Settings) -> list[Finding]:
    override = settings.selection.severity_override(rule.meta.code)
    out = []
    for report in rule.check(doc, ctx):
        severity = override or report.severity or rule.meta.severity
        out.append(make_finding(doc, rule, report, severity))
    return out


def _context(rule: Rule, settings: Settings, page: str | None) -> RuleContext:
    return RuleContext(
        rule.meta,
        settings.options.get(rule.meta.code, rule.meta.options),
        settings.jurisdictions,
        site=settings.site if page is not None else None,
        page=page,
    )


def prepare_site(settings: Settings, display: str) -> None:
    """Compute the whole-site tables of the rules enabled on ``display`` now. A rule
    whose table fails is left to fail on its pages, where the error is reported."""
    page = settings.page_of(display)
    if page is None:
        return
    for code in sorted(settings.selection.enabled(display)):
        rule = settings.registry.get(code)
        for table in rule.site_tables if rule is not None else ():
            try:
                table(settings.site, _context(rule, settings, page))
            except Exception:  # the rule fails again on its pages, where it is reported
                continue


def lint_document(doc: Document, settings: Settings) -> tuple[list[Finding], list[FileError]]:
    enabled = settings.selection.enabled(doc.path)
    findings: list[Finding] = []
    errors: list[FileError] = []
    later = []
    page = settings.page_of(doc.path)
    for code in sorted(enabled):
        rule = settings.registry.get(code)
        if rule is None or doc.kind not in rule.meta.inputs:
            continue
        if code in SUPPRESSION_RULES:
            later.append(rule)
            continue
        ctx = _context(rule, settings, page)
        try:
            findings.extend(_run_rule(doc, rule, ctx, settings))
        except Exception as exc:  # one broken rule must not hide the others' findings
            errors.append(
                FileError(
                    doc.path,
                    f"rule {code} [{rule.meta.name}] crashed: {type(exc).__name__}: {exc}",
                    crash=True,
                )
            )
    suppressions = collect(doc, settings.selection.resolve_quiet)
    findings = suppressions.apply(findings)
    for rule in later:
        ctx = SuppressionContext(
            rule.meta,
            settings.options.get(rule.meta.code, rule.meta.options),
            settings.jurisdictions,
            suppressions=suppressions,
            enabled=enabled,
        )
        findings.extend(_run_rule(doc, rule, ctx, settings))
    findings.sort(key=Finding.sort_key)
    return findings, errors


@dataclass
class SuppressionContext(RuleContext):
    """The context of the rules that judge suppression comments."""

    suppressions: Suppressions = field(default_factory=Suppressions)
    enabled: frozenset[str] = frozenset()


class StaticSelection:
    """A fixed set of enabled codes, for the API and tests (no config involved)."""

    def __init__(self, registry: Mapping[str, Rule], codes: frozenset[str]) -> None:
        self._registry = registry
        self._codes = codes

    def enabled(self, path: str) -> frozenset[str]:
        return self._codes

    def severity_override(self, code: str) -> Severity | None:
        return None

    def resolve_quiet(self, selector: str) -> frozenset[str]:
        selector = selector.strip()
        if selector.upper() == "ALL":
            return frozenset(self._registry)
        by_name = {r.meta.name: c for c, r in self._registry.items()}
        if selector in by_name:
            return frozenset({by_name[selector]})
        return frozenset(c for c in self._registry if c.startswith(selector.upper()))
