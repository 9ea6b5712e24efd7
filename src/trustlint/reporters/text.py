"""Text for people, like ruff: a header line, the source line with carets, the help."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator
from typing import Any

import click

from trustlint.model import Finding, RunResult, Severity
from trustlint.reporters import plural

TAB_SIZE = 4
MAX_WIDTH = 120  # display cells of source shown; longer lines are cut around the span
ELLIPSIS = "…"

_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def stream(
    result: RunResult, *, color: bool = False, statistics: bool = False, **_: Any
) -> Iterator[str]:
    def style(text: str, **kw: Any) -> str:
        return click.style(text, **kw) if color else text

    if statistics:
        rows = _statistics(result.findings, style)
        if rows:
            yield "\n".join(rows) + "\n\n"
    else:
        for finding in result.findings:
            yield "\n".join(_finding(finding, style)) + "\n\n"
    yield _summary(result) + "\n"


def _finding(f: Finding, style) -> list[str]:
    sev = _COLORS[f.severity]
    header = (
        f"{style(f.path, bold=True)}:{f.start.line}:{f.start.column}: "
        f"{style(f.code, fg=sev, bold=True)} [{f.name}] {_printable(f.message)}"
    )
    lines = [header]
    gutter = " " * len(str(f.start.line))
    bar = style("|", fg="blue", bold=True)
    if f.line_text:
        source, caret_at, caret_len = snippet(f)
        lines.append(f"{gutter} {bar}")
        lines.append(f"{style(str(f.start.line), fg='blue', bold=True)} {bar} {source}")
        lines.append(f"{gutter} {bar} {' ' * caret_at}{style('^' * caret_len, fg=sev, bold=True)}")
    if f.suggestion is not None:
        lines.append(f"{gutter} = {style('help', bold=True)}: {_printable(f.suggestion)}")
    return lines


def snippet(f: Finding) -> tuple[str, int, int]:
    """The source line as shown, the caret's display column (0-based) and its width.

    Columns are counted in terminal cells: tabs expand to the next multiple of
    TAB_SIZE, wide (CJK, emoji) characters take two cells, combining marks none.
    """
    text = f.line_text.rstrip("\r\n")
    skipped = f.line_column - 1  # characters of the line before ``line_text``
    start = min(max(f.start.column - 1 - skipped, 0), len(text))
    # A span running past this line is underlined to the end of the line.
    end = min(f.end.column - 1 - skipped, len(text)) if f.end.line == f.start.line else len(text)
    end = max(end, start)
    # A minified page can hold megabytes on one line: measure only what can be shown,
    # a reach of characters around the span's start (each takes at most two cells).
    reach = 4 * MAX_WIDTH
    lo, hi = max(0, start - reach), min(len(text), min(end, start + reach) + reach)
    cut_left, cut_right = lo > 0 or skipped > 0, hi < len(text) or f.line_cut
    text, start, end = text[lo:hi], start - lo, end - lo
    cells: list[str] = []
    cols = [0]  # cols[i]: display column where character i starts
    for ch in text:
        shown = " " * (TAB_SIZE - cols[-1] % TAB_SIZE) if ch == "\t" else _visible(ch)
        cells.append(shown)
        cols.append(cols[-1] + _width(shown))
    lo_col, hi_col = cols[start], cols[min(end, len(text))]

    total = cols[-1]
    if total <= MAX_WIDTH and not (cut_left or cut_right):
        return "".join(cells), lo_col, max(hi_col - lo_col, 1)

    # Cut a MAX_WIDTH window around the span, preferring to show its start.
    context = max((MAX_WIDTH - (hi_col - lo_col)) // 2, 10)
    win_lo = max(0, lo_col - context)
    win_hi = min(total, win_lo + MAX_WIDTH)
    win_lo = max(0, win_hi - MAX_WIDTH)
    kept = [i for i in range(len(cells)) if cols[i] >= win_lo and cols[i + 1] <= win_hi]
    first, last = (kept[0], kept[-1] + 1) if kept else (start, start)
    prefix = ELLIPSIS if first > 0 or cut_left else ""
    suffix = ELLIPSIS if last < len(cells) or cut_right else ""
    shown = prefix + "".join(cells[first:last]) + suffix
    caret_at = len(prefix) + max(lo_col - cols[first], 0)
    caret_end = len(prefix) + min(hi_col, cols[last]) - cols[first]
    return shown, caret_at, max(caret_end - caret_at, 1)


def _visible(ch: str) -> str:
    # Control characters from a page must not reach the terminal (ESC could restyle it);
    # show their Unicode "control picture" instead, one cell wide.
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if 0x80 <= code < 0xA0:
        return "\ufffd"
    return ch


def _printable(text: str) -> str:
    return "".join(ch if ch in "\n\t" else _visible(ch) for ch in text)


def _width(text: str) -> int:
    width = 0
    for ch in text:
        if " " <= ch <= "~":  # printable ASCII: one cell, the common case, checked first
            width += 1
            continue
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _statistics(findings: list[Finding], style) -> list[str]:
    """One row per rule: count, code, name, highest severity; most frequent first."""
    counts = Counter(f.code for f in findings)
    names: dict[str, str] = {}
    worst: dict[str, Severity] = {}
    for f in findings:
        names.setdefault(f.code, f.name)
        worst[f.code] = max(worst.get(f.code, f.severity), f.severity)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if not rows:
        return []
    count_w = max(len(str(n)) for _, n in rows)
    code_w = max(len(code) for code, _ in rows)
    name_w = max(len(names[code]) for code, _ in rows)
    lines = []
    for code, n in rows:
        sev = worst[code]
        lines.append(
            f"{n:>{count_w}}  {style(code.ljust(code_w), fg=_COLORS[sev], bold=True)}  "
            f"{names[code].ljust(name_w)}  {sev}"
        )
    return lines


def _summary(result: RunResult) -> str:
    problems = _unchecked(result)
    if result.findings:
        by_sev = Counter(f.severity for f in result.findings)
        parts = [
            plural(by_sev[Severity.ERROR], "error"),
            plural(by_sev[Severity.WARNING], "warning"),
            f"{by_sev[Severity.INFO]} info",
        ]
        line = f"Found {plural(len(result.findings), 'finding')} ({', '.join(parts)})"
    elif problems:
        line = f"No findings in {plural(len(result.files), 'file')}"
    elif result.files:
        return f"All checked: no findings in {plural(len(result.files), 'file')}."
    else:
        return "No files were checked."
    return f"{line}; {problems}." if problems else f"{line}."


def _unchecked(result: RunResult) -> str:
    # The errors themselves go to stderr (the CLI prints them); only count them here.
    unreadable = {e.path for e in result.errors if not e.crash}
    crashes = sum(1 for e in result.errors if e.crash)
    parts = []
    if unreadable:
        verb = "was" if len(unreadable) == 1 else "were"
        parts.append(f"{plural(len(unreadable), 'file')} {verb} not checked")
    if crashes:
        parts.append(f"{plural(crashes, 'rule crash', 'rule crashes')}")
    return " and ".join(parts)
