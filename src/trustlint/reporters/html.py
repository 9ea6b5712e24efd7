"""One self-contained HTML page: every checked file with its findings highlighted in place.

Nothing is loaded from anywhere: the CSS and one small script are inline, and a
Content-Security-Policy meta tag allows only that script (by its sha256 hash) and
inline styles. Everything that comes from a checked file, a message or a path is
escaped, so a hostile page shows as text and cannot run script in the report.

Files are re-read from disk (display paths are relative to the current directory)
and decoded exactly as the loaders did, so the findings' code-point offsets apply.
A file that cannot be re-read, or whose text no longer matches the findings (stdin,
deleted or edited since), gets its findings as a list only.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import html
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trustlint.model import CATEGORIES, Finding, RuleMeta, RunResult, Severity
from trustlint.reporters import plural

SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
SEV_COLORS = {Severity.ERROR: "#d73a49", Severity.WARNING: "#e0a100", Severity.INFO: "#2f7fd1"}
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# C0 controls other than tab, DEL, C1 controls and lone surrogates: shown as pictures or
# U+FFFD, one code point for one, so that offsets still line up.
_UNSHOWABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# Bidi controls would reorder the report's own text around them: make them visible.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Readability figures: prose blocks only, sentences end at . ! ? … and CJK stops.
PROSE_SCOPES = frozenset({"paragraph", "list-item", "quote", "caption"})
SENTENCE_END = re.compile(r"[.!?…。！？]+(?=[\s\"'”’»)\]]|$)")
WORD = re.compile(r"\w+(?:[-'’]\w+)*")
MAX_SCORED_CHARS = 20_000  # textstat on more text than this is slow and no more useful
MAX_SCORED_PER_FILE = 200_000  # past this, sections get word counts but no score
LONG_SENTENCES = 20  # words per sentence above which a section is marked hard to read
SOURCES = re.compile(r"(?:^|\s)Sources?:\s*")  # where a rule's reason cites its sources

CSS = """
:root{--err:#d73a49;--warn:#e0a100;--info:#2f7fd1;--fg:#1f2328;--muted:#656d76;
--bg:#fff;--line:#d0d7de;--code:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:var(--fg);background:var(--bg)}
header.top{padding:16px 24px;border-bottom:1px solid var(--line);background:var(--code)}
header.top h1{margin:0 0 4px;font-size:22px}
main{padding:8px 24px 80px}
h2{font-size:19px;margin:28px 0 8px;word-break:break-all}
h3{font-size:15px;margin:16px 0 6px}
.muted{color:var(--muted)}
.cols{display:flex;flex-wrap:wrap;gap:8px 40px;align-items:flex-start}
.badge{display:inline-block;padding:0 7px;border-radius:10px;font-size:12px;font-weight:600;
color:#fff;vertical-align:1px}
.badge.sev-error{background:var(--err)}.badge.sev-warning{background:var(--warn);color:#000}
.badge.sev-info{background:var(--info)}
.totals span.badge{margin-right:6px}
table.grid{border-collapse:collapse;margin:6px 0 12px}
table.grid th,table.grid td{border:1px solid var(--line);padding:3px 8px;text-align:left;
vertical-align:top}
table.grid td.n{text-align:right;font-variant-numeric:tabular-nums}
table.grid tr.hard td{background:#fff4e5}
svg.chart text{font:12px system-ui,sans-serif;fill:var(--fg)}
.src{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--code);
border:1px solid var(--line);border-radius:6px;padding:6px 0;overflow-x:auto}
.ln{display:flex;min-height:1.45em}
.ln:target{background:#fff8c5}
.no{flex:0 0 auto;width:4.5em;padding-right:10px;text-align:right;color:var(--muted);
user-select:none;text-decoration:none}
.tx{flex:1 1 auto;white-space:pre-wrap;overflow-wrap:anywhere;padding-right:10px;tab-size:4}
a.hl{color:inherit;text-decoration:none}
a.hl mark{color:inherit;border-radius:2px;padding:0;cursor:pointer}
a.hl.sev-error mark{background:#ffd7d5;border-bottom:2px solid var(--err)}
a.hl.sev-warning mark{background:#fff1b8;border-bottom:2px solid var(--warn)}
a.hl.sev-info mark{background:#dbeafe;border-bottom:2px solid var(--info)}
a.hl.multi mark{box-shadow:inset 0 -4px 0 rgba(0,0,0,.25)}
a.hl.pt mark{display:inline-block;width:0;border-left:2px solid var(--err);background:none}
a.hl.pt.sev-warning mark{border-left-color:var(--warn)}
a.hl.pt.sev-info mark{border-left-color:var(--info)}
a.hl:hover mark,a.hl:focus mark{outline:2px solid var(--fg)}
.ctl{color:var(--muted);font-size:85%}
ol.findings{padding-left:28px}
ol.findings li{margin:6px 0;padding:6px 10px;border-left:4px solid var(--line);
background:var(--bg)}
ol.findings li.sev-error{border-left-color:var(--err)}
ol.findings li.sev-warning{border-left-color:var(--warn)}
ol.findings li.sev-info{border-left-color:var(--info)}
ol.findings li:target{background:#fff8c5}
.fhead code{font-weight:600}
.msg,.why,.fix{margin:2px 0;white-space:pre-wrap;overflow-wrap:anywhere}
.why{color:var(--muted)}
.refs{margin:2px 0;font-size:12px;color:var(--muted);overflow-wrap:anywhere}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--code);
padding:0 3px;border-radius:3px}
.note{padding:6px 10px;border:1px solid var(--line);background:#fff8c5;border-radius:6px}
#panel{position:fixed;right:16px;bottom:16px;width:min(460px,calc(100vw - 32px));
max-height:60vh;overflow:auto;background:var(--bg);border:1px solid var(--line);
border-radius:8px;box-shadow:0 8px 24px rgba(0,0,0,.2);padding:10px 12px;z-index:10}
#panel[hidden]{display:none}
#panel .close{float:right;border:0;background:none;font-size:18px;cursor:pointer}
#panel ol{margin:0;padding:0}#panel li{list-style:none}
footer{padding:12px 24px;color:var(--muted);border-top:1px solid var(--line)}
@media print{#panel{display:none}.src{overflow:visible}}
"""

# The one script. Its sha256 is in the Content-Security-Policy, so it must be served
# byte for byte; it only clones the report's own (escaped) list entries into the panel,
# on a click on a highlight or for ``report.html?show=f3,f4`` (a link to findings).
SCRIPT = r"""
(function () {
  var d = document;
  var panel = d.getElementById("panel");
  var body = d.getElementById("panel-body");
  d.documentElement.setAttribute("data-js", "ready");
  function show(ids) {
    body.textContent = "";
    ids.split(" ").forEach(function (id) {
      var entry = d.getElementById(id);
      if (!entry) { return; }
      var copy = entry.cloneNode(true);
      copy.removeAttribute("id");
      body.appendChild(copy);
    });
    panel.hidden = false;
  }
  d.addEventListener("click", function (e) {
    var t = e.target;
    var hl = t.closest ? t.closest("a.hl") : null;
    if (hl) {
      e.preventDefault();
      show(hl.getAttribute("data-f"));
    } else if (t.closest && t.closest("#panel-close")) {
      panel.hidden = true;
    }
  });
  d.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { panel.hidden = true; }
  });
  var wanted = /[?&]show=(f\d+(?:,f\d+)*)/.exec(location.search);
  if (wanted) { show(wanted[1].split(",").join(" ")); }
})();
"""


def script_hash(script: str = SCRIPT) -> str:
    """The CSP source expression for ``script``: ``'sha256-<base64>'``."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def csp(script: str = SCRIPT) -> str:
    return (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src {script_hash(script)}; base-uri 'none'; form-action 'none'"
    )


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def render(
    result: RunResult,
    *,
    color: bool = False,
    statistics: bool = False,
    version: str = "0.0.0",
    **_: Any,
) -> str:
    ids = {id(f): f"f{i}" for i, f in enumerate(result.findings, 1)}
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_file[f.path].append(f)
    listed = set(result.files)
    paths = list(result.files) + [p for p in by_file if p not in listed]

    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp())}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>trustlint report: {esc(plural(len(result.findings), 'finding'))}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        '<header class="top">',
        "<h1>trustlint report</h1>",
        f'<div class="totals">{_totals(result)}</div>',
        "</header>",
        "<main>",
    ]
    out.extend(_overview(result, paths, statistics))
    for n, path in enumerate(paths, 1):
        out.extend(_file_section(n, path, by_file.get(path, []), result.rules, ids))
    out += [
        "</main>",
        f"<footer>trustlint {esc(version)}. Hover a highlight for the message, "
        "click it for the details.</footer>",
        '<aside id="panel" hidden aria-live="polite">'
        '<button id="panel-close" class="close" type="button" aria-label="Close">×</button>'
        '<ol id="panel-body" class="findings"></ol></aside>',
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


# -- summaries -----------------------------------------------------------------------


def _totals(result: RunResult) -> str:
    by_sev = Counter(f.severity for f in result.findings)
    parts = [f'<span class="badge sev-{s}">{esc(_count(by_sev[s], s))}</span>' for s in SEVERITIES]
    files = plural(len(result.files), "file")
    parts.append(f"{esc(plural(len(result.findings), 'finding'))} in {esc(files)}")
    if result.errors:
        parts.append(f"; {esc(plural(len(result.errors), 'file'))} could not be checked")
    return "".join(parts)


def _count(n: int, severity: Severity) -> str:
    """``2 errors``, ``1 warning``, ``3 info``."""
    return plural(n, str(severity), "info" if severity is Severity.INFO else None)


def _overview(result: RunResult, paths: list[str], statistics: bool) -> list[str]:
    out = ['<section id="summary">', "<h2>Summary</h2>"]
    if result.errors:
        out.append("<h3>Not checked</h3><ul>")
        for e in result.errors:
            kind = "rule crashed" if e.crash else "error"
            out.append(f"<li><code>{esc(e.path)}</code>: {esc(kind)}: {esc(e.message)}</li>")
        out.append("</ul>")

    # Per category (family), all of them, stacked by severity.
    counts: dict[str, Counter] = {c: Counter() for c in CATEGORIES}
    for f in result.findings:
        counts.setdefault(f.category, Counter())[f.severity] += 1
    out.append('<div class="cols"><div>')
    out.append("<h3>By family</h3>")
    out.append(_bar_chart([(c, counts[c]) for c in counts]))
    out.append("</div><div>")

    # Per file.
    out.append("<h3>By file</h3>")
    out.append('<table class="grid"><thead><tr><th>file</th>')
    out.extend(f"<th>{esc(s)}</th>" for s in SEVERITIES)
    out.append("<th>total</th><th></th></tr></thead><tbody>")
    per_file: dict[str, Counter] = {p: Counter() for p in paths}
    for f in result.findings:
        per_file[f.path][f.severity] += 1
    most = max((sum(c.values()) for c in per_file.values()), default=0)
    for n, path in enumerate(paths, 1):
        c = per_file[path]
        cells = "".join(f'<td class="n">{c[s]}</td>' for s in SEVERITIES)
        out.append(
            f'<tr><td><a href="#file-{n}">{esc(path)}</a></td>{cells}'
            f'<td class="n">{sum(c.values())}</td><td>{_mini_bar(c, most)}</td></tr>'
        )
    out.append("</tbody></table>")
    out.append("</div>")

    # Per rule.
    if result.findings:
        out.append("<div>")
        rule_counts = Counter(f.code for f in result.findings)
        first: dict[str, Finding] = {}
        for f in result.findings:
            first.setdefault(f.code, f)
        out.append("<h3>By rule</h3>")
        out.append(
            '<table class="grid"><thead><tr><th>count</th><th>code</th><th>rule</th>'
            "<th>family</th><th>summary</th></tr></thead><tbody>"
        )
        for code, n in sorted(rule_counts.items(), key=lambda kv: (-kv[1], kv[0])):
            f = first[code]
            meta = result.rules.get(code)
            out.append(
                f'<tr><td class="n">{n}</td><td><code>{esc(code)}</code></td>'
                f"<td>{esc(f.name)}</td><td>{esc(f.category)}</td>"
                f"<td>{esc(meta.summary if meta else '')}</td></tr>"
            )
        out.append("</tbody></table></div>")
    out.append("</div></section>")
    return out


def _bar_chart(rows: list[tuple[str, Counter]]) -> str:
    """A horizontal bar per row, stacked error / warning / info, as inline SVG."""
    label_w, bar_w, row_h = 110, 300, 19
    most = max((sum(c.values()) for _, c in rows), default=0) or 1
    height = row_h * len(rows) + 4
    parts = [
        f'<svg class="chart" role="img" aria-label="findings by family" '
        f'width="{label_w + bar_w + 50}" height="{height}" '
        f'viewBox="0 0 {label_w + bar_w + 50} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, counts) in enumerate(rows):
        y = i * row_h + 2
        parts.append(f'<text x="0" y="{y + 14}">{esc(label)}</text>')
        x = float(label_w)
        for sev in SEVERITIES:
            if counts[sev]:
                w = counts[sev] / most * bar_w
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                    f'fill="{SEV_COLORS[sev]}"><title>{esc(label)}: '
                    f"{esc(plural(counts[sev], str(sev)))}</title></rect>"
                )
                x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 14}">{sum(counts.values())}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _mini_bar(counts: Counter, most: int) -> str:
    width = 120
    parts = [f'<svg width="{width}" height="10" aria-hidden="true">']
    x = 0.0
    for sev in SEVERITIES:
        if counts[sev] and most:
            w = counts[sev] / most * width
            parts.append(
                f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="10" fill="{SEV_COLORS[sev]}"/>'
            )
            x += w
    parts.append("</svg>")
    return "".join(parts)


# -- one file ------------------------------------------------------------------------


def _file_section(
    n: int,
    path: str,
    findings: list[Finding],
    rules: dict[str, RuleMeta] | Any,
    ids: dict[int, str],
) -> list[str]:
    by_sev = Counter(f.severity for f in findings)
    by_cat = Counter(f.category for f in findings)
    out = [f'<section class="file" id="file-{n}">', f"<h2>{esc(path)}</h2>"]
    summary = ", ".join(_count(by_sev[s], s) for s in SEVERITIES)
    cats = ", ".join(f"{c} {k}" for c, k in sorted(by_cat.items(), key=lambda kv: (-kv[1], kv[0])))
    out.append(
        f'<p class="muted">{esc(plural(len(findings), "finding"))} ({esc(summary)})'
        + (f"; by family: {esc(cats)}" if cats else "")
        + "</p>"
    )

    loaded = _reload(path, findings)
    if isinstance(loaded, str):
        out.append(f'<p class="note">{esc(loaded)} The findings are listed without the text.</p>')
    else:
        text, kind = loaded
        out.extend(_readability(text, kind, path, n))
        out.append(f'<h3>Source <span class="muted">({esc(kind)})</span></h3>')
        out.append(_source_view(text, findings, n, ids, rules))
    if findings:
        out.append("<h3>Findings</h3>")
        out.append(_finding_list(findings, n, ids, rules, linked=not isinstance(loaded, str)))
    out.append("</section>")
    return out


def _reload(path: str, findings: list[Finding]) -> tuple[str, str] | str:
    """``(text, kind)`` decoded as the loaders did, or why the text cannot be shown."""
    from trustlint.loaders import kind_of
    from trustlint.loaders.decode import decode

    try:
        data = Path(path).read_bytes()
    except OSError:
        return "This file could not be read again (standard input, moved or deleted)."
    kind = kind_of(path, data[:512])
    try:
        text, _ = decode(data, is_html=kind == "html")
    except Exception:
        return "This file could not be decoded again."
    if not _matches(text, findings):
        return "This file changed since it was checked (or was read from standard input)."
    return text, kind


def _matches(text: str, findings: Iterable[Finding]) -> bool:
    """Whether the findings' offsets still point at the lines they were reported on."""
    starts = _line_starts(text)
    for f in findings:
        if not 0 <= f.span.start <= f.span.end <= len(text):
            return False
        line = bisect.bisect_right(starts, f.span.start)
        if line != f.start.line or f.span.start - starts[line - 1] + 1 != f.start.column:
            return False
        if f.line_text:
            lo = starts[line - 1]
            hi = starts[line] if line < len(starts) else len(text)
            source = text[lo:hi].rstrip("\r\n")[f.line_column - 1 :]
            kept = f.line_text.rstrip("\r\n")
            if not (source.startswith(kept) if f.line_cut else source == kept):
                return False
    return True


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in LINE_BREAK.finditer(text)]


def _source_view(
    text: str,
    findings: list[Finding],
    n: int,
    ids: dict[int, str],
    rules: Any,
) -> str:
    starts = _line_starts(text)
    ends = [m.start() for m in LINE_BREAK.finditer(text)] + [len(text)]
    # Findings touching each line (0-based line index).
    per_line: dict[int, list[Finding]] = defaultdict(list)
    for f in findings:
        first = bisect.bisect_right(starts, f.span.start) - 1
        last = bisect.bisect_right(starts, max(f.span.end - 1, f.span.start)) - 1
        for i in range(first, last + 1):
            per_line[i].append(f)
    titles = {id(f): _title(f, rules) for f in findings}
    # Empty spans, and spans of nothing but a line break, show as a caret.
    carets = {
        id(f)
        for f in findings
        if f.span.start == f.span.end or not text[f.span.start : f.span.end].strip("\r\n")
    }

    count = len(starts)
    if count > 1 and starts[-1] == len(text) and not per_line.get(count - 1):
        count -= 1  # no empty last line after the final line break
    out = ['<div class="src">']
    for i in range(count):
        lo, hi = starts[i], ends[i]
        line_id = f"F{n}-L{i + 1}"
        body = _line_html(text, lo, hi, per_line.get(i, []), ids, titles, carets)
        out.append(
            f'<div class="ln" id="{line_id}"><a class="no" href="#{line_id}">{i + 1}</a>'
            f'<span class="tx" dir="auto">{body}</span></div>'
        )
    out.append("</div>")
    return "\n".join(out)


def _line_html(
    text: str,
    lo: int,
    hi: int,
    findings: list[Finding],
    ids: dict[int, str],
    titles: dict[int, str],
    carets: set[int],
) -> str:
    if not findings:
        return _show(text[lo:hi])
    points = {lo, hi}
    marks: dict[int, list[Finding]] = defaultdict(list)  # caret findings by offset
    spans = []
    for f in findings:
        if id(f) in carets:
            marks[min(max(f.span.start, lo), hi)].append(f)
        else:
            spans.append(f)
            points.add(min(max(f.span.start, lo), hi))
            points.add(min(max(f.span.end, lo), hi))
    points.update(marks)
    cuts = sorted(points)
    parts: list[str] = []
    for a, b in zip(cuts, [*cuts[1:], None], strict=True):
        if a in marks:
            parts.append(_highlight("", marks[a], ids, titles, point=True))
        if b is None or a >= b:
            continue
        active = [f for f in spans if f.span.start <= a and f.span.end >= b]
        chunk = text[a:b]
        parts.append(_highlight(chunk, active, ids, titles) if active else _show(chunk))
    return "".join(parts)


def _highlight(
    chunk: str,
    active: list[Finding],
    ids: dict[int, str],
    titles: dict[int, str],
    *,
    point: bool = False,
) -> str:
    worst = max(f.severity for f in active)
    classes = ["hl", f"sev-{worst}"]
    if len(active) > 1:
        classes.append("multi")
    if point:
        classes.append("pt")
    refs = " ".join(ids[id(f)] for f in active)
    title = "\n\n".join(titles[id(f)] for f in active)
    return (
        f'<a class="{" ".join(classes)}" href="#{ids[id(active[0])]}" data-f="{refs}" '
        f'title="{esc(title)}"><mark>{_show(chunk)}</mark></a>'
    )


def _show(chunk: str) -> str:
    """Source text as HTML: escaped, invisible controls made visible, offsets kept."""
    shown = esc(chunk)
    if _UNSHOWABLE.search(shown):
        shown = _UNSHOWABLE.sub(_picture, shown)
    if _BIDI.search(shown):
        shown = _BIDI.sub(
            lambda m: (
                f'<span class="ctl" title="U+{ord(m.group()):04X}">⁅U+{ord(m.group()):04X}⁆</span>'
            ),
            shown,
        )
    return shown


def _picture(m: re.Match) -> str:
    code = ord(m.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


# -- finding texts ---------------------------------------------------------------------


def reason(meta: RuleMeta | None) -> str:
    """The first paragraph of the rule's "Why is this bad?" docs, on one line."""
    return _why(meta)[0]


def _why(meta: RuleMeta | None) -> tuple[str, str]:
    """``(reason, sources)``: the first paragraph of "Why is this bad?", split at "Source:"."""
    if meta is None:
        return "", ""
    why = meta.docs_section("Why is this bad?")
    para = re.split(r"\n\s*\n", why, maxsplit=1)[0] if why else ""
    text = " ".join(ln.strip() for ln in para.splitlines() if ln.strip())
    found = SOURCES.search(text)
    if not found:
        return text, ""
    return text[: found.start()].strip(), text[found.end() :].strip()


def _title(f: Finding, rules: Any) -> str:
    why = reason(rules.get(f.code)).replace("`", "")
    parts = [f"{f.code} {f.name} ({f.severity}): {f.message}"]
    if why:
        parts.append(f"Why: {why}")
    if f.suggestion:
        parts.append(f"Suggestion: {f.suggestion}")
    return _plain("\n".join(parts))


def _plain(text: str) -> str:
    return _BIDI.sub("", _UNSHOWABLE.sub(_picture, text))


def _inline_code(escaped: str) -> str:
    """`code` in already escaped docs text to <code> (the content stays escaped)."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)


def _finding_list(
    findings: list[Finding], n: int, ids: dict[int, str], rules: Any, *, linked: bool
) -> str:
    out = ['<ol class="findings">']
    for f in findings:
        loc = f"{f.path}:{f.start.line}:{f.start.column}"
        where = (
            f'<a href="#F{n}-L{f.start.line}">{esc(loc)}</a>'
            if linked
            else f"<span>{esc(loc)}</span>"
        )
        why, sources = _why(rules.get(f.code))
        out.append(
            f'<li id="{ids[id(f)]}" class="sev-{f.severity}">'
            f'<div class="fhead"><span class="badge sev-{f.severity}">{esc(f.severity)}</span> '
            f"<code>{esc(f.code)}</code> {esc(f.name)} "
            f'<span class="muted">[{esc(f.category)}] {where}</span></div>'
            f'<p class="msg" dir="auto">{esc(_plain(f.message))}</p>'
            + (f'<p class="why"><b>Why:</b> {_inline_code(esc(_plain(why)))}</p>' if why else "")
            + (f'<p class="refs">Sources: {esc(_plain(sources))}</p>' if sources else "")
            + (
                f'<p class="fix" dir="auto"><b>Suggestion:</b> {esc(_plain(f.suggestion))}</p>'
                if f.suggestion
                else ""
            )
            + "</li>"
        )
    out.append("</ol>")
    return "\n".join(out)


# -- readability -----------------------------------------------------------------------


@dataclass
class _Section:
    title: str
    line: int
    lang: str | None
    texts: list[str]


def _readability(text: str, kind: str, path: str, n: int) -> list[str]:
    try:
        sections = _sections(text, kind, path)
    except Exception:  # a report must not fail on a figure
        return []
    rows = []
    budget = MAX_SCORED_PER_FILE
    for sec in sections:
        body = "\n".join(sec.texts)
        words = len(WORD.findall(body))
        if not words:
            continue
        sentences = sum(_sentences(t) for t in sec.texts)
        wps = words / max(sentences, 1)
        score = _score(body, sec.lang) if budget > 0 else None
        budget -= min(len(body), MAX_SCORED_CHARS)
        rows.append((sec, words, sentences, wps, score))
    if not rows:
        return []
    out = [
        "<h3>Readability by section</h3>",
        '<table class="grid"><thead><tr><th>section</th><th>lang</th><th>words</th>'
        "<th>sentences</th><th>words per sentence</th><th>score</th></tr></thead><tbody>",
    ]
    for sec, words, sentences, wps, score in rows:
        hard = ' class="hard"' if wps > LONG_SENTENCES else ""
        score_cell = f'{score[1]:.1f} <span class="muted">{esc(score[0])}</span>' if score else "–"
        out.append(
            f'<tr{hard}><td dir="auto">'
            f'<a href="#F{n}-L{sec.line}">{esc(_plain(sec.title))}</a></td>'
            f'<td>{esc(sec.lang or "?")}</td><td class="n">{words}</td>'
            f'<td class="n">{sentences}</td><td class="n">{wps:.1f}</td><td>{score_cell}</td></tr>'
        )
    out.append("</tbody></table>")
    return out


def _sections(text: str, kind: str, path: str) -> list[_Section]:
    from trustlint.loaders import document_from_text

    doc = document_from_text(path, text, kind)
    starts = _line_starts(text)
    sections = [_Section("(start of file)", 1, None, [])]
    for block in doc.blocks:
        if block.scope == "heading":
            line = bisect.bisect_right(starts, block.source_start)
            title = " ".join(block.text.split())[:120] or "(untitled)"
            sections.append(_Section(title, line, block.lang, []))
        elif block.scope in PROSE_SCOPES and block.text.strip():
            sec = sections[-1]
            sec.texts.append(block.text)
            if sec.lang is None:
                sec.lang = block.lang
    return sections


def _sentences(text: str) -> int:
    """Sentences in one block; a block without a full stop is one sentence."""
    count = 0
    for piece in SENTENCE_END.split(text):
        if WORD.search(piece):
            count += 1
    return max(count, 1)


def _score(text: str, lang: str | None) -> tuple[str, float] | None:
    """``(formula, value)`` for the section's language, or None; textstat is optional."""
    if not lang:
        return None
    text = text[:MAX_SCORED_CHARS]
    try:
        from trustlint.readability import score

        found = score(text, lang)
        return (found.formula, found.value) if found else None
    except ImportError:
        pass
    except Exception:
        return None
    try:
        from textstat.textstat import textstatistics

        stats = textstatistics()
        stats.set_lang(lang)
        return ("Flesch Reading Ease", round(float(stats.flesch_reading_ease(text)), 1))
    except Exception:
        return None
