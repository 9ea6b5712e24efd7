"""`--format html`: one self-contained page with the findings highlighted in the source.

Unit tests read the report with ``html.parser``; the browser tests load it in headless
Chromium (Debian package ``chromium``) and are skipped when it is not installed.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
import struct
import subprocess
import sys
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from trustlint import reporters
from trustlint.model import Finding, Position, RuleMeta, RunResult, Severity, Span
from trustlint.reporters import html as html_report

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
HOSTILE = Path(__file__).resolve().parent / "data" / "hostile.html"
CHROMIUM = Path("/usr/bin/chromium")

# Elements the report itself writes; anything else came from a checked page.
OUR_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "div",
    "span", "main", "section", "table", "thead", "tbody", "tr", "th", "td", "a", "mark",
    "svg", "rect", "text", "p", "b", "code", "ol", "ul", "li", "footer", "aside", "button",
    "script",
}  # fmt: skip
VOID = {"meta", "br", "img", "input", "link", "hr"}


# -- helpers ---------------------------------------------------------------------------


def lint(paths: list[str], cwd: Path, monkeypatch) -> RunResult:
    """What `trustlint check PATHS` finds, run from ``cwd`` (display paths are relative)."""
    from trustlint.job import prepare
    from trustlint.runner import run

    monkeypatch.chdir(cwd)
    job = prepare(paths, isolated=True, use_cache=False)
    return run(job.files, job.settings, fail_on=job.fail_on, errors=job.errors)


def report(result: RunResult, **kw) -> str:
    return reporters.render("html", result, **kw)


class Page(HTMLParser):
    """Tags, attributes, the source view's text and each finding's highlighted text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.starts: list[tuple[str, dict[str, str | None]]] = []
        self.ends: list[str] = []
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.scripts: list[str] = []
        self.lines: dict[str, list[str]] = {}  # file section id -> text of each line
        self.marked: dict[str, list[str]] = {}  # finding id -> highlighted pieces, in order
        self._section = ""
        self._tx = False
        self._tx_depth = 0
        self._hl: list[str] | None = None
        self._script: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.starts.append((tag, a))
        if tag == "section" and (a.get("id") or "").startswith("file-"):
            self._section = a["id"]
            self.lines[self._section] = []
        if tag == "span" and a.get("class") == "tx":
            self._tx = True
            self._tx_depth = len(self.stack) + 1
            self.lines[self._section].append("")
        if tag == "a" and "hl" in (a.get("class") or "").split():
            self._hl = (a.get("data-f") or "").split()
            for fid in self._hl:
                self.marked.setdefault(fid, [])
        if tag == "script":
            self._script = []
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.starts.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        self.ends.append(tag)
        if tag == "span" and self._tx and len(self.stack) == self._tx_depth:
            self._tx = False
        if tag == "a":
            self._hl = None
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)
        if self._tx:
            self.lines[self._section][-1] += data
            if self._hl is not None:
                for fid in self._hl:
                    self.marked[fid].append(data)


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


def ids_by_finding(result: RunResult) -> dict[int, str]:
    return {id(f): f"f{i}" for i, f in enumerate(result.findings, 1)}


def line_index_position(text: str, offset: int) -> Position:
    from trustlint.document import LineIndex

    return LineIndex(text).position(offset)


META = {
    "TL900": RuleMeta(
        "TL900",
        "test-rule",
        "A rule for tests",
        "manipulation",
        Severity.ERROR,
        docs="## Why is this bad?\nBecause `<b>` and </script> said so.\nSecond line.\n\n"
        "Another paragraph.\n\n## Example\nx",
    ),
    "TL901": RuleMeta("TL901", "other-rule", "Another", "jargon", Severity.INFO),
}


def make_finding(text: str, path: str, start: int, end: int, code="TL900", **kw) -> Finding:
    from trustlint.document import LineIndex

    index = LineIndex(text)
    pos = index.position(start)
    meta = META[code]
    return Finding(
        path=path,
        code=code,
        name=meta.name,
        category=meta.category,
        severity=kw.pop("severity", meta.severity),
        message=kw.pop("message", f"{code} at {start}"),
        span=Span(start, end),
        start=pos,
        end=index.position(end),
        suggestion=kw.pop("suggestion", None),
        line_text=index.line_text(pos.line),
    )


# -- examples: structure and completeness ------------------------------------------------


@pytest.fixture(scope="module")
def examples_result() -> RunResult:
    mp = pytest.MonkeyPatch()
    try:
        yield lint(["."], EXAMPLES, mp)
    finally:
        mp.undo()


@pytest.fixture
def in_examples(monkeypatch):
    monkeypatch.chdir(EXAMPLES)


@pytest.fixture
def examples_page(examples_result, in_examples) -> str:
    return report(examples_result, version="9.9.9")


class TestExamples:
    def test_registered(self):
        assert "html" in reporters.FORMATS

    def test_structure(self, examples_page):
        assert examples_page.startswith('<!DOCTYPE html>\n<html lang="en">')
        assert examples_page.endswith("</html>\n")
        page = parse(examples_page)
        assert page.errors == []
        assert page.stack == []
        tags = [t for t, _ in page.starts]
        for once in ("html", "head", "body", "main", "style", "script"):
            assert tags.count(once) == 1, once
        ids = [a["id"] for _, a in page.starts if a.get("id")]
        assert len(ids) == len(set(ids)), "duplicate ids"
        assert "trustlint 9.9.9" in examples_page

    def test_every_file_and_finding(self, examples_result, examples_page):
        assert examples_result.findings, "the examples have planted findings"
        page = parse(examples_page)
        ids = {a.get("id") for _, a in page.starts}
        headings = re.findall(
            r'<section class="file" id="file-\d+">\n<h2>([^<]*)</h2>', examples_page
        )
        assert headings == list(examples_result.files)
        for fid in ids_by_finding(examples_result).values():
            assert fid in ids, fid  # the list entry
            assert page.marked.get(fid), fid  # the highlight in the text

    def test_source_view_is_the_decoded_file(self, examples_result, examples_page):
        from trustlint.loaders.decode import decode

        page = parse(examples_page)
        for n, path in enumerate(examples_result.files, 1):
            data = (EXAMPLES / path).read_bytes()
            text, _ = decode(data, is_html=path.endswith(".html"))
            expected = re.split(r"\r\n|\r|\n", text)
            if expected[-1] == "":
                expected.pop()
            assert page.lines[f"file-{n}"] == expected, path

    def test_highlights_are_the_spans(self, examples_result, examples_page):
        from trustlint.loaders.decode import decode

        page = parse(examples_page)
        for f, fid in zip(
            examples_result.findings, ids_by_finding(examples_result).values(), strict=True
        ):
            text, _ = decode((EXAMPLES / f.path).read_bytes(), is_html=f.path.endswith(".html"))
            want = re.sub(r"\r\n|\r|\n", "", text[f.span.start : f.span.end])
            assert "".join(page.marked[fid]) == want, (fid, f)

    def test_hover_and_click_texts(self, examples_result, examples_page):
        f = examples_result.findings[0]
        meta = examples_result.rules[f.code]
        why = html_report.reason(meta)
        assert why and "Source:" not in why
        title = next(
            a["title"]
            for t, a in parse(examples_page).starts
            if t == "a" and "f1" in (a.get("data-f") or "").split()
        )
        assert f.message in title and f"Suggestion: {f.suggestion}" in title
        assert why.replace("`", "")[:60] in title
        assert f'<li id="f1" class="sev-{f.severity}">' in examples_page
        assert '<a class="hl sev-' in examples_page and 'href="#f1"' in examples_page

    def test_summaries(self, examples_result, examples_page):
        for category in ("forms", "consent", "data-use", "contact", "transparency",
                         "readability", "jargon", "manipulation", "security", "tool"):  # fmt: skip
            assert f">{category}</text>" in examples_page
        assert '<svg class="chart"' in examples_page
        assert "By file" in examples_page and "By rule" in examples_page

    def test_readability_per_section(self, examples_page):
        assert examples_page.count("Readability by section") >= 3
        # The German draft scores with its own formula when textstat is there.
        section = examples_page.split("drafts/datenschutz-hinweis.md</h2>", 1)[1]
        table = section.split("</table>", 1)[0]
        assert "Datenschutz-Hinweis für das Bestellformular" in table
        assert re.search(r'<td class="n">\d+\.\d</td>', table)  # words per sentence

    def test_lines_are_bidi_isolated(self, examples_page):
        assert examples_page.count('<span class="tx" dir="auto">') > 100

    def test_no_external_loads(self, examples_page):
        assert_self_contained(examples_page)


def assert_self_contained(page_text: str) -> None:
    page = parse(page_text)
    for tag, attrs in page.starts:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("src", "srcset", "action", "formaction", "data", "poster", "background"):
                raise AssertionError(f"<{tag} {name}=...> in the report")
            if name == "href":
                assert value and value.startswith("#"), (tag, value)
            if name == "xmlns":
                continue
            assert (
                not re.search(r"(?i)\b(https?:|javascript:|//)", value or "") or name == "title"
            ), (
                tag,
                name,
                value,
            )
    css = "".join(re.findall(r"<style>(.*?)</style>", page_text, re.S))
    assert "url(" not in css and "@import" not in css
    csp = [a["content"] for t, a in page.starts if t == "meta" and a.get("http-equiv")]
    assert len(csp) == 1
    assert csp[0].startswith("default-src 'none'; ")
    assert "'unsafe-inline'" not in csp[0].split("script-src", 1)[1]


# -- hostile input ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_result() -> RunResult:
    mp = pytest.MonkeyPatch()
    try:
        yield lint([HOSTILE.name], HOSTILE.parent, mp)
    finally:
        mp.undo()


@pytest.fixture(autouse=True)
def in_tests_data(request, monkeypatch):
    # Reports re-read files by their display paths, relative to the current directory.
    if "hostile_result" in request.fixturenames:
        monkeypatch.chdir(HOSTILE.parent)


class TestHostile:
    def test_fixture_has_findings_with_markup_in_messages(self, hostile_result):
        assert len(hostile_result.findings) >= 3
        assert any("</script>" in f.message for f in hostile_result.findings)
        assert any("</textarea>" in f.message for f in hostile_result.findings)

    def test_nothing_from_the_page_becomes_markup(self, hostile_result):
        page_text = report(hostile_result)
        page = parse(page_text)
        assert page.errors == [] and page.stack == []
        assert {t for t, _ in page.starts} <= OUR_TAGS
        assert set(page.ends) <= OUR_TAGS
        assert [t for t, _ in page.starts].count("script") == 1
        assert len(re.findall(r"(?i)<script", page_text)) == 1
        assert len(re.findall(r"(?i)</script", page_text)) == 1
        assert (
            len(re.findall(r"(?i)</pre|<textarea|</textarea|<img|<iframe|<base|<link", page_text))
            == 0
        )
        head = page_text.split("</head>", 1)[0]
        assert head.count("<title>") == 1 and "pwned" not in head.split("<title>")[1]
        for _, attrs in page.starts:
            assert attrs.get("id") != "pwned"
            assert not any(name.startswith("on") for name in attrs)
        assert_self_contained(page_text)

    def test_page_text_shown_exactly(self, hostile_result):
        page = parse(report(hostile_result))
        text = HOSTILE.read_text(encoding="utf-8")
        # Bidi controls are shown by name (see below); everything else is the file.
        shown = re.sub("[\u202a-\u202e\u2066-\u2069]", lambda m: f"⁅U+{ord(m[0]):04X}⁆", text)
        assert page.lines["file-1"] == shown.splitlines()
        joined = "\n".join(page.lines["file-1"])
        assert "<script>document.title = 'pwned'</script>" in joined
        assert "<!-- <script>" in joined and "</pre></textarea>" in joined
        assert '<img src=x onerror="document.title' in joined

    def test_bidi_controls_made_visible(self, hostile_result):
        page_text = report(hostile_result)
        assert "\u202e" not in page_text
        assert "U+202E" in page_text

    def test_script_hash_in_csp(self, hostile_result):
        page_text = report(hostile_result)
        page = parse(page_text)
        (script,) = page.scripts
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        (csp,) = [a["content"] for t, a in page.starts if t == "meta" and a.get("http-equiv")]
        assert f"script-src 'sha256-{digest}'" in csp
        assert script == html_report.SCRIPT


# -- hand-built results: overlaps, odd spans, unreadable files ---------------------------


class TestSpans:
    def test_overlapping_empty_and_multiline(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        text = "alpha beta gamma\nde\u05e9\u05dc\u05d5\u05dd lta\r\nomega\n"
        (tmp_path / "a.txt").write_bytes(text.encode())
        fs = [
            make_finding(text, "a.txt", 0, 10, message="outer"),  # alpha beta
            make_finding(text, "a.txt", 6, 16, "TL901", message="inner"),  # beta gamma
            make_finding(text, "a.txt", 11, 11, "TL901", message="point"),  # before gamma
            make_finding(text, "a.txt", 12, 21, message="multi"),  # amma\nde\u05e9\u05dc
            make_finding(text, "a.txt", 27, 29, "TL901", message="crlf"),  # just \r\n
        ]
        result = RunResult(findings=fs, files=["a.txt"], rules=META)
        page_text = report(result)
        page = parse(page_text)
        assert page.lines["file-1"] == [
            "alpha beta gamma",
            "de\u05e9\u05dc\u05d5\u05dd lta",
            "omega",
        ]
        assert "".join(page.marked["f1"]) == "alpha beta"
        assert "".join(page.marked["f2"]) == "beta gamma"
        assert "".join(page.marked["f3"]) == ""
        assert "".join(page.marked["f4"]) == "ammade\u05e9\u05dc"
        # "beta" is one segment with both findings; the error colours it.
        assert 'class="hl sev-error multi" href="#f1" data-f="f1 f2"' in page_text
        assert 'class="hl sev-info pt" href="#f3" data-f="f3"' in page_text
        # A span of only a line break shows as a caret at the end of its line.
        assert "".join(page.marked["f5"]) == ""
        assert 'lta<a class="hl sev-info pt" href="#f5" data-f="f5"' in page_text
        # Hover text has message, reason (first paragraph only) and no raw markup.
        assert "Why: Because &lt;b&gt; and &lt;/script&gt; said so. Second line." in page_text
        assert "Another paragraph" not in page_text
        # The click target list renders `code` from the docs, escaped.
        assert "<code>&lt;b&gt;</code>" in page_text

    def test_hostile_message_suggestion_and_path(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        name = 'x"><script>alert(1)<\\script>.txt'
        text = "hello world\n"
        try:
            (tmp_path / name).write_text(text, encoding="utf-8")
        except OSError:
            pytest.skip("file system refuses the name")
        evil = "</script><script>alert(1)</script>\"' onmouseover=alert(1) x='"
        f = make_finding(text, name, 0, 5, message=evil, suggestion=evil + "</textarea>")
        page_text = report(RunResult(findings=[f], files=[name], rules=META))
        page = parse(page_text)
        assert page.scripts == [html_report.SCRIPT]
        assert {t for t, _ in page.starts} <= OUR_TAGS
        for _, attrs in page.starts:
            assert not any(n.startswith("on") for n in attrs)
        assert "".join(page.marked["f1"]) == "hello"

    def test_control_characters(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        text = "a\x01b\x1bc\x7fd\x85e and a lot more plain text so that it is no binary file\n"
        (tmp_path / "c.txt").write_bytes(text.encode())
        f = make_finding(text, "c.txt", 2, 4)
        page_text = report(RunResult(findings=[f], files=["c.txt"], rules=META))
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", page_text)
        assert "a\u2401" in page_text  # SOH as its control picture, offsets kept
        assert "".join(parse(page_text).marked["f1"]) == "b\u241b"

    def test_unreadable_file_lists_findings(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        text = "some text\n"
        fs = [make_finding(text, "<stdin>", 0, 4), make_finding(text, "gone.md", 5, 9)]
        page_text = report(RunResult(findings=fs, files=["<stdin>", "gone.md"], rules=META))
        page = parse(page_text)
        assert page.lines == {"file-1": [], "file-2": []}
        assert page.marked == {}
        assert page_text.count("could not be read again") == 2
        assert 'id="f1"' in page_text and 'id="f2"' in page_text
        assert "&lt;stdin&gt;:1:1" in page_text

    def test_changed_file_lists_findings(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        old = "first line\nsecond line\n"
        f = make_finding(old, "d.txt", 11, 17)
        (tmp_path / "d.txt").write_text("something else entirely\n", encoding="utf-8")
        page_text = report(RunResult(findings=[f], files=["d.txt"], rules=META))
        assert "changed since it was checked" in page_text
        assert parse(page_text).marked == {}

    def test_clean_run(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        (tmp_path / "ok.md").write_text("# Fine\n\nAll good here. Short text.\n", encoding="utf-8")
        page_text = report(RunResult(findings=[], files=["ok.md"], rules=META))
        page = parse(page_text)
        assert page.errors == [] and page.lines["file-1"][0] == "# Fine"
        assert "0 findings in 1 file" in page_text
        assert page_text.endswith("</html>\n")


def test_cli_output_file(tmp_path):
    (tmp_path / "page.html").write_bytes(HOSTILE.read_bytes())
    proc = subprocess.run(
        [sys.executable, "-m", "trustlint", "check", "--isolated", "--no-cache",
         "--format", "html", "--output-file", "report.html", "page.html"],
        cwd=tmp_path, capture_output=True, env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    if b"html" in proc.stderr and b"--format" in proc.stderr:
        pytest.skip("the CLI does not offer --format html yet")
    assert proc.returncode == 1, proc.stderr
    page_text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert parse(page_text).marked


# -- a real browser --------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="headless Chromium is not installed (/usr/bin/chromium; apt-get install chromium)",
)


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    return subprocess.run(
        [str(CHROMIUM), "--headless=new", "--no-sandbox", "--disable-gpu",
         "--no-first-run", "--disable-extensions", "--disable-background-networking",
         f"--user-data-dir={profile}", *args],
        capture_output=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)},
    )  # fmt: skip


def dump_dom(tmp_path: Path, page: Path, query: str = "") -> str:
    proc = chromium(tmp_path, "--virtual-time-budget=2000", "--dump-dom", page.as_uri() + query)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    return proc.stdout.decode("utf-8")


@pytest.fixture
def hostile_report(tmp_path, hostile_result) -> tuple[Path, RunResult]:
    path = tmp_path / "report.html"
    path.write_text(report(hostile_result), encoding="utf-8")
    return path, hostile_result


def assert_not_pwned(dom: str) -> Page:
    page = parse(dom)
    title = re.search(r"<title>(.*?)</title>", dom, re.S)
    assert title and "pwned" not in title.group(1)
    for tag, attrs in page.starts:
        assert attrs.get("id") != "pwned", "the hostile page's markup became an element"
        assert "data-pwned" not in attrs, "the hostile page's script ran"
        assert tag in OUR_TAGS, tag
    assert [t for t, _ in page.starts].count("script") == 1
    return page


@needs_chromium
class TestChromium:
    def test_highlights_after_scripts_ran(self, tmp_path, hostile_report):
        path, result = hostile_report
        dom = dump_dom(tmp_path, path)
        page = assert_not_pwned(dom)
        assert re.search(r'<html lang="en" data-js="ready">', dom), (
            "the report's script did not run"
        )
        for fid in ids_by_finding(result).values():
            assert page.marked.get(fid), fid

    def test_details_panel(self, tmp_path, hostile_report):
        # The click handler's code path, reached through a link to findings.
        path, result = hostile_report
        dom = dump_dom(tmp_path, path, "?show=f2,f3")
        assert_not_pwned(dom)
        panel = dom.split('<aside id="panel"', 1)[1].split("</aside>", 1)[0]
        assert not panel.startswith(" hidden")
        entries = re.findall(r'<li class="sev-\w+">', panel)
        assert len(entries) == 2
        f2 = result.findings[1]
        assert f2.message in html.unescape(panel)
        assert 'id="f2"' not in panel  # copies, without duplicate ids

    def test_escaping_holds_without_csp(self, tmp_path, hostile_report):
        # Without the CSP an injected script or onerror would run: only escaping stops it.
        path, _ = hostile_report
        text = path.read_text(encoding="utf-8")
        stripped = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n', "", text)
        assert stripped != text
        path.write_text(stripped, encoding="utf-8")
        dom = dump_dom(tmp_path, path)
        assert_not_pwned(dom)
        assert 'data-js="ready"' in dom

    def test_screenshot(self, tmp_path, examples_result, in_examples):
        path = tmp_path / "report.html"
        path.write_text(report(examples_result), encoding="utf-8")
        shot = tmp_path / "shot.png"
        proc = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,900", path.as_uri())
        assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
        width, height, pixels = read_png(shot.read_bytes())
        assert (width, height) == (1200, 900)
        assert not_blank(pixels)


def read_png(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the inflated (still filtered) image data of a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height = 8, [], 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    return width, height, zlib.decompress(b"".join(idat))


def not_blank(pixels: bytes) -> bool:
    # A one-colour page deflates to a handful of byte values; text and colour bars to many.
    return len(set(pixels)) > 64


def test_not_blank_check():
    assert not not_blank(bytes(1000) + b"\xff" * 1000)
    assert not_blank(bytes(range(256)))


def test_chromium_skip_reason_is_clear():
    assert "apt-get install chromium" in needs_chromium.kwargs["reason"]
