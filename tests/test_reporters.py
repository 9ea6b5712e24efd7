"""Output formats, rendered from hand-built results (no engine involved)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from trustlint import reporters
from trustlint.model import FileError, Finding, Position, RuleMeta, RunResult, Severity, Span

SCHEMA_PATH = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

RULES = {
    "TL101": RuleMeta(
        "TL101",
        "unlabelled-field",
        "Form field without a label",
        "forms",
        Severity.ERROR,
        docs="## What it does\nFinds fields nobody can name.\n\n## Why is this bad?\nGuessing.",
    ),
    "TL202": RuleMeta(
        "TL202", "prechecked-consent", "Consent box ticked in advance", "consent", Severity.WARNING
    ),
    "TL301": RuleMeta(
        "TL301", "vague-purpose", "Data use without a purpose", "data-use", Severity.INFO
    ),
    "TL999": RuleMeta(
        "TL999", "never-fires", "A known rule with no findings", "tool", Severity.INFO
    ),
}


def finding(
    code: str,
    path: str,
    start: tuple[int, int],
    end: tuple[int, int],
    message: str,
    *,
    line_text: str = "",
    suggestion: str | None = None,
    severity: Severity | None = None,
) -> Finding:
    meta = RULES[code]
    return Finding(
        path=path,
        code=code,
        name=meta.name,
        category=meta.category,
        severity=severity or meta.severity,
        message=message,
        span=Span(0, 1),
        start=Position(*start),
        end=Position(*end),
        suggestion=suggestion,
        line_text=line_text,
    )


JOIN = "site pages/join.html"  # a path with a space
TAB_LINE = "\t<input\ttype=checkbox checked>"

FINDINGS = [
    finding(
        "TL202",
        JOIN,
        (7, 3),
        (7, 10),
        "Newsletter box is ticked 😕",
        line_text=TAB_LINE,
        suggestion="Leave it unticked",
    ),
    finding("TL101", JOIN, (9, 1), (9, 6), "Field has no label", line_text="<input>"),
    finding(
        "TL301",
        "docs/privacy.md",
        (2, 4),
        (3, 4),
        "100% of data, used: for\n“marketing”",
        line_text="We use your data.",
        suggestion="Say what for, per use",
    ),
]


def make_result(findings=None, files=None, errors=None) -> RunResult:
    return RunResult(
        findings=list(FINDINGS if findings is None else findings),
        files=list([JOIN, "docs/privacy.md", "about.txt"] if files is None else files),
        rules=RULES,
        errors=list(errors or []),
    )


def render(fmt: str, result: RunResult | None = None, **kw) -> str:
    return reporters.render(fmt, result or make_result(), **kw)


class TestDispatch:
    def test_formats(self):
        assert reporters.FORMATS == ("text", "json", "sarif", "github", "gitlab", "junit", "html")

    @pytest.mark.parametrize("fmt", reporters.FORMATS)
    def test_every_format_ends_with_newline(self, fmt):
        # The CLI echoes the string as is; an empty github report prints nothing.
        assert render(fmt).endswith("\n")
        empty = render(fmt, make_result([], []))
        assert empty.endswith("\n") if fmt != "github" else empty == ""

    def test_unknown_format(self):
        with pytest.raises(ValueError, match="unknown format 'yaml'"):
            render("yaml")


class TestText:
    def test_exact_output(self):
        assert render("text") == (
            "site pages/join.html:7:3: TL202 [prechecked-consent] Newsletter box is ticked 😕\n"
            "  |\n"
            "7 |     <input  type=checkbox checked>\n"
            "  |      ^^^^^^^^\n"
            "  = help: Leave it unticked\n"
            "\n"
            "site pages/join.html:9:1: TL101 [unlabelled-field] Field has no label\n"
            "  |\n"
            "9 | <input>\n"
            "  | ^^^^^\n"
            "\n"
            "docs/privacy.md:2:4: TL301 [vague-purpose] 100% of data, used: for\n“marketing”\n"
            "  |\n"
            "2 | We use your data.\n"
            "  |    ^^^^^^^^^^^^^^\n"
            "  = help: Say what for, per use\n"
            "\n"
            "Found 3 findings (1 error, 1 warning, 1 info).\n"
        )

    def test_tabs_expand_consistently_with_the_caret(self):
        # Columns 3..10 are "input\tt": the tab after "input" widens to the next stop.
        lines = render("text").splitlines()
        source, carets = lines[2][4:], lines[3][4:]
        assert source == "    <input  type=checkbox checked>"
        assert source[carets.index("^") : len(carets)] == "input  t"

    def test_no_ansi_without_color_and_ansi_with(self):
        assert not ANSI.search(render("text"))
        colored = render("text", color=True)
        assert ANSI.search(colored)
        assert "\x1b[31m\x1b[1mTL101\x1b[0m" in colored  # error: bold red
        assert "\x1b[33m\x1b[1mTL202\x1b[0m" in colored  # warning: yellow
        assert "\x1b[1msite pages/join.html\x1b[0m" in colored
        assert ANSI.sub("", colored) == render("text")

    def test_span_on_later_line_underlines_to_end_of_first(self):
        out = render("text").split("docs/privacy.md:2:4")[1]
        assert "2 | We use your data.\n  |    ^^^^^^^^^^^^^^\n" in out

    def test_empty_span_gets_one_caret(self):
        f = finding("TL101", "a.html", (1, 4), (1, 4), "here", line_text="abc")
        out = render("text", make_result([f], ["a.html"]))
        assert "1 | abc\n  |    ^\n" in out

    def test_long_line_trimmed_around_span(self):
        line = "a" * 200 + "TARGET" + "b" * 200
        f = finding("TL101", "a.html", (1, 201), (1, 207), "m", line_text=line)
        out = render("text", make_result([f], ["a.html"])).splitlines()
        source, carets = out[2][4:], out[3][4:]
        assert source.startswith("…") and source.endswith("…")
        assert len(source) <= 122
        assert source[carets.index("^") : len(carets)] == "TARGET"

    @pytest.mark.parametrize("at", [1, 10, 500_000, 999_990])
    def test_minified_megabyte_line_cut_around_span(self, at):
        # Only the reach around the span is measured; the caret still finds its text.
        line = "x" * 1_000_000
        line = line[: at - 1] + "TARGET" + line[at + 5 :]
        f = finding("TL101", "a.html", (1, at), (1, at + 6), "m", line_text=line)
        out = render("text", make_result([f], ["a.html"])).splitlines()
        source, carets = out[2][4:], out[3][4:]
        assert len(source) <= 122
        assert source[carets.index("^") : len(carets)] == "TARGET"
        assert source.startswith("…") == (at > 100)
        assert source.endswith("…") == (at < 999_000)

    def test_wide_characters_and_controls_keep_carets_aligned(self):
        f = finding("TL101", "a.html", (1, 3), (1, 5), "m", line_text="😕\x1bab")
        out = render("text", make_result([f], ["a.html"]))
        assert "\x1b" not in out  # a page cannot restyle the terminal
        assert "1 | 😕␛ab\n  |    ^^\n" in out  # the emoji takes two cells

    def test_no_line_text_no_snippet(self):
        f = finding("TL101", "a.html", (1, 1), (1, 2), "m")
        assert render("text", make_result([f], ["a.html"])) == (
            "a.html:1:1: TL101 [unlabelled-field] m\n"
            "\n"
            "Found 1 finding (1 error, 0 warnings, 0 info).\n"
        )

    def test_clean_run(self):
        assert render("text", make_result([])) == "All checked: no findings in 3 files.\n"
        assert render("text", make_result([], ["a.md"])) == "All checked: no findings in 1 file.\n"
        assert render("text", make_result([], [])) == "No files were checked.\n"

    def test_errors_are_counted_not_printed(self):
        errors = [FileError("about.txt", "cannot decode SECRET"), FileError("x", "boom", True)]
        out = render("text", make_result([], errors=errors))
        assert "SECRET" not in out
        assert out == "No findings in 3 files; 1 file was not checked and 1 rule crash.\n"

    def test_statistics(self):
        findings = [*FINDINGS, finding("TL202", "b.html", (1, 1), (1, 2), "again")]
        out = render("text", make_result(findings), statistics=True)
        assert out == (
            "2  TL202  prechecked-consent  warning\n"
            "1  TL101  unlabelled-field    error\n"
            "1  TL301  vague-purpose       info\n"
            "\n"
            "Found 4 findings (1 error, 2 warnings, 1 info).\n"
        )

    def test_statistics_clean(self):
        assert render("text", make_result([]), statistics=True) == (
            "All checked: no findings in 3 files.\n"
        )


class TestJson:
    KEYS = frozenset(
        {
            "path",
            "line",
            "column",
            "end_line",
            "end_column",
            "code",
            "name",
            "category",
            "severity",
            "message",
            "suggestion",
        }
    )

    def test_round_trip(self):
        out = render("json")
        data = json.loads(out)
        assert data == [f.to_dict() for f in FINDINGS]
        assert all(set(d) >= self.KEYS for d in data)
        assert data[0]["severity"] == "warning" and data[1]["suggestion"] is None
        assert "😕" in out  # not \\u-escaped

    def test_empty(self):
        assert render("json", make_result([])) == "[]\n"

    def test_statistics(self):
        data = json.loads(render("json", statistics=True))
        assert data[0] == {
            "code": "TL101",
            "name": "unlabelled-field",
            "category": "forms",
            "count": 1,
        }
        assert [d["code"] for d in data] == ["TL101", "TL202", "TL301"]


@pytest.fixture(scope="module")
def validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    # The OASIS schema declares draft-04 (not draft-07).
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    cls = jsonschema.Draft4Validator
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


class TestSarif:
    def sarif(self, result=None, **kw):
        return json.loads(render("sarif", result, version="1.2.3", **kw))

    def test_valid(self, validator):
        errors = [FileError("about.txt", "not UTF-8"), FileError(JOIN, "TL101 crashed", True)]
        data = self.sarif(make_result(errors=errors))
        validator.validate(data)
        assert data["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
        assert data["version"] == "2.1.0"
        invocation = data["runs"][0]["invocations"][0]
        assert invocation["executionSuccessful"] is False  # a rule crashed
        notes = invocation["toolExecutionNotifications"]
        assert [n["message"]["text"] for n in notes] == ["not UTF-8", "TL101 crashed"]
        assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
            "about.txt"
        )

    def test_empty_run_valid(self, validator):
        data = self.sarif(make_result([], []))
        validator.validate(data)
        run = data["runs"][0]
        assert run["results"] == []
        assert run["invocations"] == [{"executionSuccessful": True}]

    def test_input_errors_are_not_a_failed_execution(self):
        data = self.sarif(make_result(errors=[FileError("about.txt", "not UTF-8")]))
        assert data["runs"][0]["invocations"][0]["executionSuccessful"] is True

    def test_driver_and_rules(self):
        driver = self.sarif()["runs"][0]["tool"]["driver"]
        assert driver["name"] == "trustlint"
        assert driver["informationUri"] == "https://github.com/trustlint/trustlint"
        assert driver["version"] == driver["semanticVersion"] == "1.2.3"
        assert [r["id"] for r in driver["rules"]] == ["TL101", "TL202", "TL301", "TL999"]
        tl101, tl202, tl301 = driver["rules"][:3]
        assert tl101["name"] == "unlabelled-field"
        assert tl101["shortDescription"] == {"text": "Form field without a label"}
        assert tl101["fullDescription"] == {"text": "Finds fields nobody can name."}
        assert tl101["help"]["markdown"] == RULES["TL101"].docs
        assert tl202["help"] == {  # no docs: the summary stands in
            "text": "Consent box ticked in advance",
            "markdown": "Consent box ticked in advance",
        }
        assert tl101["properties"] == {"tags": ["forms"], "problem.severity": "error"}
        assert [r["defaultConfiguration"]["level"] for r in (tl101, tl202, tl301)] == [
            "error",
            "warning",
            "note",
        ]
        assert tl301["properties"]["problem.severity"] == "recommendation"

    def test_results(self):
        run = self.sarif()["runs"][0]
        rules = run["tool"]["driver"]["rules"]
        results = run["results"]
        assert run["columnKind"] == "unicodeCodePoints"
        assert [r["ruleId"] for r in results] == ["TL202", "TL101", "TL301"]
        for r in results:
            assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        first = results[0]
        assert first["level"] == "warning"
        assert (
            first["message"]["text"] == "Newsletter box is ticked 😕\nSuggestion: Leave it unticked"
        )
        location = first["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {
            "uri": "site%20pages/join.html",
            "uriBaseId": "%SRCROOT%",
        }
        assert location["region"] == {
            "startLine": 7,
            "startColumn": 3,
            "endLine": 7,
            "endColumn": 10,
        }
        assert results[1]["message"]["text"] == "Field has no label"
        assert results[2]["locations"][0]["physicalLocation"]["region"]["endLine"] == 3

    def test_empty_span_widened(self):
        f = finding("TL101", "a.html", (2, 4), (2, 4), "m")
        location = self.sarif(make_result([f]))["runs"][0]["results"][0]["locations"][0]
        assert location["physicalLocation"]["region"]["endColumn"] == 5

    def test_unknown_rule_gets_a_descriptor(self, validator):
        f = Finding(
            "a.html",
            "X1",
            "plugin-rule",
            "tool",
            Severity.INFO,
            "m",
            Span(0, 1),
            Position(1, 1),
            Position(1, 2),
        )
        data = self.sarif(make_result([f]))
        validator.validate(data)
        rules = data["runs"][0]["tool"]["driver"]["rules"]
        assert rules[data["runs"][0]["results"][0]["ruleIndex"]]["id"] == "X1"

    def test_fingerprints_stable_and_distinct(self):
        twin = finding("TL101", JOIN, (30, 1), (30, 6), "Field has no label", line_text="<input>")
        findings = [*FINDINGS, twin]
        a = [
            r["partialFingerprints"]
            for r in self.sarif(make_result(findings))["runs"][0]["results"]
        ]
        b = [
            r["partialFingerprints"]
            for r in self.sarif(make_result(findings))["runs"][0]["results"]
        ]
        assert a == b
        keys = [fp["trustlintFingerprint/v1"] for fp in a]
        assert len(set(keys)) == len(keys)
        assert keys[1].split(":")[0] == keys[3].split(":")[0]  # same finding, moved lines
        assert (keys[1][-2:], keys[3][-2:]) == (":1", ":2")

    @pytest.mark.parametrize(
        ("path", "uri"),
        [
            ("/srv/my site/a.html", {"uri": "file:///srv/my%20site/a.html"}),
            ("C:/site/a b.html", {"uri": "file:///C:/site/a%20b.html"}),
            ("<stdin>", {"uri": "%3Cstdin%3E", "uriBaseId": "%SRCROOT%"}),
            ("a:b/c#d.md", {"uri": "a%3Ab/c%23d.md", "uriBaseId": "%SRCROOT%"}),
        ],
    )
    def test_uris(self, path, uri):
        from trustlint.reporters.sarif import artifact

        assert artifact(path) == uri


class TestGithub:
    def test_exact(self):
        assert render("github").splitlines() == [
            "::warning file=site pages/join.html,line=7,col=3,endLine=7,endColumn=10,"
            "title=TL202 prechecked-consent::"
            "Newsletter box is ticked 😕%0ASuggestion: Leave it unticked",
            "::error file=site pages/join.html,line=9,col=1,endLine=9,endColumn=6,"
            "title=TL101 unlabelled-field::Field has no label",
            "::notice file=docs/privacy.md,line=2,col=4,endLine=3,endColumn=4,"
            "title=TL301 vague-purpose::100%25 of data, used: for%0A“marketing”%0A"
            "Suggestion: Say what for, per use",
        ]

    def test_property_escaping(self):
        f = finding("TL101", "a,b:c%d\r\n.html", (1, 1), (1, 2), "x\r\ny: 1, 2")
        (line,) = render("github", make_result([f])).splitlines()
        assert line == (
            "::error file=a%2Cb%3Ac%25d%0D%0A.html,line=1,col=1,endLine=1,endColumn=2,"
            "title=TL101 unlabelled-field::x%0D%0Ay: 1, 2"
        )

    def test_empty(self):
        assert render("github", make_result([])) == ""


class TestGitlab:
    def test_entries(self):
        data = json.loads(render("gitlab"))
        assert data[0] == {
            "description": "Newsletter box is ticked 😕\nSuggestion: Leave it unticked",
            "check_name": "TL202",
            "fingerprint": data[0]["fingerprint"],
            "severity": "minor",
            "location": {"path": JOIN, "lines": {"begin": 7, "end": 7}},
        }
        assert [d["severity"] for d in data] == ["minor", "major", "info"]
        assert data[2]["location"]["lines"] == {"begin": 2, "end": 3}
        assert all(re.fullmatch("[0-9a-f]{64}", d["fingerprint"]) for d in data)

    def test_fingerprints_unique_and_stable(self):
        same = [
            finding("TL202", "a.html", (1, 1), (1, 2), "same"),
            finding("TL202", "a.html", (2, 1), (2, 2), "same"),
            finding("TL202", "a.html", (2, 1), (2, 2), "same"),  # an exact duplicate
            finding("TL202", "b.html", (1, 1), (1, 2), "same"),
        ]
        prints = [d["fingerprint"] for d in json.loads(render("gitlab", make_result(same)))]
        assert len(set(prints)) == 4
        again = [d["fingerprint"] for d in json.loads(render("gitlab", make_result(same)))]
        assert prints == again
        # Position is part of it: the same finding alone on another line is another issue.
        alone = [json.loads(render("gitlab", make_result([f])))[0]["fingerprint"] for f in same]
        assert alone[0] != alone[1] == alone[2]

    def test_empty(self):
        assert render("gitlab", make_result([])) == "[]\n"


class TestJunit:
    def test_one_case_per_file(self):
        root = ET.fromstring(render("junit"))
        assert root.tag == "testsuites"
        assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "2", "0")
        (suite,) = root.findall("testsuite")
        assert (suite.get("name"), suite.get("tests"), suite.get("failures")) == (
            "trustlint",
            "3",
            "2",
        )
        cases = suite.findall("testcase")
        assert [c.get("name") for c in cases] == [JOIN, "docs/privacy.md", "about.txt"]
        assert all(c.get("classname") == "trustlint" for c in cases)
        failure = cases[0].find("failure")
        assert failure.get("message") == "2 findings"
        assert failure.get("type") == "trustlint"
        assert failure.text.splitlines() == [
            "7:3: TL202 [prechecked-consent] Newsletter box is ticked 😕",
            "    help: Leave it unticked",
            "9:1: TL101 [unlabelled-field] Field has no label",
        ]
        assert cases[1].find("failure").get("message") == "1 finding"
        assert list(cases[2]) == []  # no findings: passes

    def test_errors(self):
        errors = [FileError("about.txt", 'bad <bytes> & "quotes"'), FileError("cfg.toml", "no")]
        root = ET.fromstring(render("junit", make_result(errors=errors)))
        assert (root.get("tests"), root.get("errors")) == ("4", "2")
        cases = {c.get("name"): c for c in root.iter("testcase")}
        assert cases["about.txt"].find("error").get("message") == 'bad <bytes> & "quotes"'
        assert cases["cfg.toml"].find("error") is not None

    def test_characters_xml_cannot_hold(self):
        f = finding("TL101", "a.html", (1, 1), (1, 2), "bell\x07 and \x1b")
        root = ET.fromstring(render("junit", make_result([f], ["a.html"])))
        assert root.find(".//failure").text == "1:1: TL101 [unlabelled-field] bell\ufffd and \ufffd"

    def test_empty(self):
        root = ET.fromstring(render("junit", make_result([], [])))
        assert (root.get("tests"), root.get("failures")) == ("0", "0")


def test_minified_page_findings_keep_only_an_excerpt():
    """A one-line page keeps a window of its line per finding (memory), and the text
    report shows exactly what it showed from the whole line."""
    import dataclasses

    from trustlint.api import lint_text
    from trustlint.engine import EXCERPT_REACH, LONG_LINE
    from trustlint.reporters.text import snippet

    filler = "<p>We ship parcels in plain boxes.</p>" * 2000
    page = (
        '<html lang="en"><body><p>Hurry up, this is your last chance!</p>'
        + filler
        + "<p>Hurry up, this is your last chance!</p>"
        + filler
        + "<p>Hurry up, this is your last chance!</p></body></html>"
    )
    assert "\n" not in page and len(page) > 2 * LONG_LINE
    found = lint_text(page, select=["TL101"])
    assert len(found) >= 3
    starts = {f.start.column for f in found}
    assert min(starts) < EXCERPT_REACH and max(starts) > len(page) - EXCERPT_REACH
    for f in found:
        assert len(f.line_text) <= 4 * EXCERPT_REACH
        lo = f.line_column - 1
        assert page[lo : lo + len(f.line_text)] == f.line_text
        assert f.line_cut == (lo + len(f.line_text) < len(page))
        whole = dataclasses.replace(f, line_text=page, line_column=1, line_cut=False)
        assert snippet(f) == snippet(whole)


def test_html_report_still_matches_findings_on_a_minified_line():
    from trustlint.api import lint_text
    from trustlint.reporters.html import _matches

    filler = "<p>We ship parcels in plain boxes.</p>" * 2000
    page = '<html lang="en"><body>' + filler + "<p>Hurry up, last chance!</p>" + filler
    found = lint_text(page, select=["TL101"])
    assert found and all(f.line_cut and f.line_column > 1 for f in found)
    assert _matches(page, found)
    edited_near = page.replace("last chance", "last offer!", 1)
    assert not _matches(edited_near, found)


class TestStreaming:
    """Reports are written as they are made; the pieces are the very same report."""

    @pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
    @pytest.mark.parametrize("count", [0, 1, 3])
    def test_json_formats_match_one_dump(self, fmt, count):
        result = make_result(findings=FINDINGS[:count], errors=[FileError("x.html", "bad")])
        text = render(fmt, result)
        assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
        pieces = list(reporters.stream(fmt, result))
        assert "".join(pieces) == text
        assert len(pieces) >= count  # one piece per finding at least

    @pytest.mark.parametrize(
        ("wrap", "level"),
        [
            (lambda x: x, 0),
            (lambda x: {"k": x}, 1),
            (lambda x: [x], 1),
            (lambda x: {"log": [{"run": x}]}, 3),  # where SARIF's results are
        ],
    )
    def test_json_array_at_any_depth(self, wrap, level):
        items = [{"a": [1, {"b": "x\ny"}], "c": {}}, [], "é"]
        whole = json.dumps(wrap(items), indent=2, ensure_ascii=False)
        inner = "".join(reporters.json_array(iter(items), level=level))
        assert inner in whole and inner.startswith("[") and inner.endswith("]")
        assert "".join(reporters.json_array(iter([]), level=level)) == "[]"

    @pytest.mark.parametrize("fmt", ["text", "github"])
    def test_line_formats_stream_per_finding(self, fmt):
        pieces = list(reporters.stream(fmt, make_result()))
        assert len(pieces) >= len(FINDINGS)
        assert "".join(pieces) == render(fmt)
