"""The command line as users and CI see it: formats, exit codes, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

BAD_FORM = """<!doctype html>
<html lang="en">
<body>
<form action="/join" method="post">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="email">
  <input type="checkbox" id="news" name="newsletter" checked>
  <label for="news">Send me offers from our partners</label>
  <button>Join</button>
  <p><a href="https://example.org/privacy">How we use your data</a>. Unsubscribe at any time.</p>
</form>
<footer><a href="mailto:help@example.org">help@example.org</a></footer>
</body>
</html>
"""
CLEAN = """<!doctype html>
<html lang="en"><body><h1>Contact</h1>
<p>Write to <a href="mailto:help@example.org">help@example.org</a>.</p>
</body></html>
"""


def run(*args: str, cwd: Path, stdin: bytes | None = None, env: dict | None = None):
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "trustlint", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env=full_env,
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "join.html").write_text(BAD_FORM, encoding="utf-8")
    (tmp_path / "contact.html").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def out(proc) -> str:
    return proc.stdout.decode("utf-8")


def err(proc) -> str:
    return proc.stderr.decode("utf-8")


class TestExitCodes:
    def test_clean_is_zero(self, site):
        proc = run("check", "contact.html", cwd=site)
        assert proc.returncode == 0, err(proc)
        assert err(proc) == ""

    def test_findings_are_one(self, site):
        proc = run("check", ".", cwd=site)
        assert proc.returncode == 1
        assert "join.html:7:3: TL202 [prechecked-consent]" in out(proc)

    def test_fail_on_error_lets_warnings_pass(self, site):
        assert run("check", "--fail-on", "error", ".", cwd=site).returncode == 0

    def test_fail_on_info(self, site):
        (site / "c.html").write_text(CLEAN)
        assert run("check", "--fail-on", "info", "contact.html", cwd=site).returncode == 0

    def test_usage_error_is_two(self, site):
        proc = run("check", "--format", "yaml", ".", cwd=site)
        assert proc.returncode == 2
        assert "Traceback" not in err(proc)

    def test_missing_path_is_two(self, site):
        proc = run("check", "nope.html", cwd=site)
        assert proc.returncode == 2
        assert "nope.html" in err(proc)
        assert len(err(proc).strip().splitlines()) == 1

    def test_unknown_selector_is_two(self, site):
        proc = run("check", "--select", "TL2x9", ".", cwd=site)
        assert proc.returncode == 2
        assert len(err(proc).strip().splitlines()) == 1


class TestFormats:
    def test_text_has_caret_help_and_count(self, site):
        text = out(run("check", "join.html", cwd=site))
        lines = text.splitlines()
        i = next(n for n, line in enumerate(lines) if "TL202" in line)
        block = "\n".join(lines[i : i + 6])
        assert '<input type="checkbox" id="news" name="newsletter" checked>' in block
        assert "^" * len('<input type="checkbox" id="news" name="newsletter" checked>') in block
        assert "help:" in block
        assert "\x1b[" not in text  # no colour when not on a terminal
        assert "1 finding" in lines[-1] or "findings" in lines[-1]

    def test_color_always_and_no_color(self, site):
        assert "\x1b[" in out(run("check", "--color", "always", "join.html", cwd=site))
        plain = run("check", "join.html", cwd=site, env={"NO_COLOR": "1"})
        assert "\x1b[" not in out(plain)

    def test_json(self, site):
        proc = run("check", "--format", "json", ".", cwd=site)
        data = json.loads(out(proc))
        (finding,) = [f for f in data if f["code"] == "TL202"]
        assert finding["path"] == "join.html"
        assert (finding["line"], finding["column"]) == (7, 3)
        assert (finding["end_line"], finding["end_column"]) == (7, 62)
        assert finding["name"] == "prechecked-consent"
        assert finding["category"] == "consent"
        assert finding["severity"] == "warning"
        assert finding["suggestion"]

    def test_json_empty_is_array(self, site):
        assert json.loads(out(run("check", "--format", "json", "contact.html", cwd=site))) == []

    def test_sarif_validates(self, site):
        jsonschema = pytest.importorskip("jsonschema")
        schema = json.loads(
            (Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text()
        )
        data = json.loads(out(run("check", "--format", "sarif", ".", cwd=site)))
        jsonschema.validate(data, schema)
        results = data["runs"][0]["results"]
        assert any(r["ruleId"] == "TL202" for r in results)
        rules = data["runs"][0]["tool"]["driver"]["rules"]
        assert all(r.get("help", {}).get("text") for r in rules)

    def test_github(self, site):
        text = out(run("check", "--format", "github", "join.html", cwd=site))
        assert text.startswith("::warning file=join.html,line=7,col=3,endLine=7,endColumn=62,")
        assert "title=TL202 prechecked-consent::" in text

    def test_gitlab(self, site):
        data = json.loads(out(run("check", "--format", "gitlab", ".", cwd=site)))
        entry = next(d for d in data if d["check_name"] == "TL202")
        assert entry["location"] == {"path": "join.html", "lines": {"begin": 7, "end": 7}}
        assert entry["severity"] in {"minor", "major"}
        assert len({d["fingerprint"] for d in data}) == len(data)

    def test_junit_one_case_per_file(self, site):
        root = ET.fromstring(out(run("check", "--format", "junit", ".", cwd=site)))
        cases = {c.get("name"): c for c in root.iter("testcase")}
        assert set(cases) == {"contact.html", "join.html"}
        assert cases["join.html"].find("failure") is not None
        assert cases["contact.html"].find("failure") is None

    def test_output_file(self, site):
        proc = run("check", "--format", "json", "-o", "report.json", ".", cwd=site)
        assert proc.returncode == 1
        assert out(proc) == ""
        assert json.loads((site / "report.json").read_text())

    def test_statistics(self, site):
        text = out(run("check", "--statistics", ".", cwd=site))
        assert "TL202" in text and "prechecked-consent" in text

    def test_stdin(self, site):
        proc = run(
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "page.html",
            "-",
            cwd=site,
            stdin=BAD_FORM.encode(),
        )
        data = json.loads(out(proc))
        assert any(f["path"] == "page.html" and f["code"] == "TL202" for f in data)


class TestCommands:
    def test_version(self, tmp_path):
        from trustlint import __version__

        proc = run("--version", cwd=tmp_path)
        assert proc.returncode == 0
        assert __version__ in out(proc)

    def test_rules_table_and_json(self, tmp_path):
        table = out(run("rules", cwd=tmp_path))
        assert "TL202" in table and "prechecked-consent" in table
        rows = json.loads(out(run("rules", "--format", "json", cwd=tmp_path)))
        codes = [r["code"] for r in rows]
        assert codes == sorted(codes) and len(codes) == len(set(codes))
        assert {"code", "name", "category", "severity", "summary"} <= set(rows[0])

    @pytest.mark.parametrize("key", ["TL202", "prechecked-consent", "tl202"])
    def test_explain(self, tmp_path, key):
        proc = run("explain", key, cwd=tmp_path)
        assert proc.returncode == 0
        text = out(proc)
        assert "prechecked-consent (TL202)" in text
        assert "## Why is this bad?" in text

    def test_explain_unknown(self, tmp_path):
        proc = run("explain", "prechecked-consnt", cwd=tmp_path)
        assert proc.returncode == 2
        assert "did you mean" in err(proc)


class TestConfigAndSuppression:
    def test_pyproject_config_found_walking_up(self, site):
        (site / "pyproject.toml").write_text('[tool.trustlint]\nignore = ["TL202"]\n')
        sub = site / "pages"
        sub.mkdir()
        (sub / "join.html").write_text(BAD_FORM)
        data = json.loads(out(run("check", "--format", "json", "pages", cwd=site)))
        assert not any(f["code"] == "TL202" for f in data)

    def test_bad_config_is_two_with_one_line(self, site):
        (site / "trustlint.toml").write_text('selec = ["TL2"]\n')
        proc = run("check", ".", cwd=site)
        assert proc.returncode == 2
        line = err(proc).strip()
        assert len(line.splitlines()) == 1 and "selec" in line and "trustlint.toml" in line

    def test_rule_options_from_config(self, site):
        (site / "trustlint.toml").write_text(
            "[rules.form-too-many-fields]\ninfo-from = 1\nwarning-from = 2\n"
        )
        data = json.loads(out(run("check", "--format", "json", "join.html", cwd=site)))
        assert any(f["code"] == "TL201" for f in data)

    def test_disable_next_line(self, site):
        page = BAD_FORM.replace(
            '  <input type="checkbox"',
            "  <!-- trustlint-disable-next-line TL202 -- a settings toggle -->\n"
            '  <input type="checkbox"',
        )
        (site / "join.html").write_text(page)
        data = json.loads(out(run("check", "--format", "json", "join.html", cwd=site)))
        assert [f["code"] for f in data] == []

    def test_unused_and_unknown_suppressions_reported(self, site):
        page = CLEAN.replace(
            "<h1>",
            "<!-- trustlint-disable-next-line TL202 --><!-- trustlint-disable-file TL299 --><h1>",
        )
        (site / "contact.html").write_text(page)
        data = json.loads(out(run("check", "--format", "json", "contact.html", cwd=site)))
        assert sorted(f["code"] for f in data) == ["TL902", "TL903"]


class TestBadInput:
    def one_error_line(self, proc, *words: str) -> str:
        text = err(proc).strip()
        assert "Traceback" not in text
        lines = text.splitlines()
        assert len(lines) == 1, text
        for word in words:
            assert word in lines[0]
        return lines[0]

    def test_binary_file(self, tmp_path):
        (tmp_path / "logo.html").write_bytes(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
        )
        proc = run("check", "logo.html", cwd=tmp_path)
        assert proc.returncode == 2
        self.one_error_line(proc, "logo.html", "binary")

    def test_invalid_utf8_is_read(self, tmp_path):
        (tmp_path / "p.html").write_bytes(b"<p>caf\xe9 \xff\xfe ok</p>")
        proc = run("check", "p.html", cwd=tmp_path)
        assert proc.returncode == 0, err(proc)

    def test_empty_file(self, tmp_path):
        (tmp_path / "empty.html").write_bytes(b"")
        proc = run("check", "empty.html", cwd=tmp_path)
        assert proc.returncode == 0, err(proc)

    def test_huge_file(self, tmp_path):
        path = tmp_path / "huge.html"
        with path.open("wb") as fh:
            fh.write(b"<p>" + b"x" * (50 * 1024 * 1024) + b"</p>")
        proc = run("check", "huge.html", cwd=tmp_path)
        assert proc.returncode == 2
        self.one_error_line(proc, "huge.html", "MB")

    def test_deep_nesting(self, tmp_path):
        (tmp_path / "deep.html").write_text("<div>" * 10_000 + "<form>" + "</div>" * 10_000)
        proc = run("check", "deep.html", cwd=tmp_path)
        assert proc.returncode in (0, 1), err(proc)
        assert "Traceback" not in err(proc)

    @pytest.mark.skipif(
        os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads anything"
    )
    def test_unreadable_file(self, tmp_path):
        path = tmp_path / "secret.html"
        path.write_text("<p>x</p>")
        path.chmod(0)
        proc = run("check", "secret.html", cwd=tmp_path)
        assert proc.returncode == 2
        self.one_error_line(proc, "secret.html", "permission")

    def test_unreadable_file_as_root_via_directory(self, tmp_path):
        # A path that cannot be opened as a file, whoever runs the test.
        (tmp_path / "dir.html").mkdir()
        (tmp_path / "dir.html" / "x.md").write_text("# Hi\n")
        proc = run("check", "dir.html/x.md/nope.html", cwd=tmp_path)
        assert proc.returncode == 2
        self.one_error_line(proc, "nope.html")

    def test_symlink_loop(self, tmp_path):
        (tmp_path / "a").mkdir()
        (tmp_path / "a" / "page.md").write_text("# Hi\n\nHello.\n")
        (tmp_path / "a" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
        proc = run("check", ".", cwd=tmp_path)
        assert proc.returncode == 0, err(proc)

    def test_bad_pack(self, tmp_path):
        (tmp_path / "packs").mkdir()
        (tmp_path / "packs" / "bad.toml").write_text(
            '[pack]\nname = "x"\n[[rule]]\ncode = "TL970"\nname = "x-y"\nkind = "existence"\n'
            'patterns.en = ["(unclosed"]\n'
        )
        proc = run("check", "--rules-dir", "packs", ".", cwd=tmp_path)
        assert proc.returncode == 2
        self.one_error_line(proc, "bad.toml", "TL970")

    def test_bad_config_value(self, tmp_path):
        (tmp_path / "trustlint.toml").write_text('fail-on = "sometimes"\n')
        proc = run("check", ".", cwd=tmp_path)
        assert proc.returncode == 2
        self.one_error_line(proc, "fail-on")

    def test_invalid_toml(self, tmp_path):
        (tmp_path / "trustlint.toml").write_text("select = [\n")
        proc = run("check", ".", cwd=tmp_path)
        assert proc.returncode == 2
        self.one_error_line(proc, "trustlint.toml")


def test_jobs_give_the_same_report_in_the_same_order(tmp_path):
    for i in range(24):
        (tmp_path / f"p{i:02d}.html").write_text(BAD_FORM if i % 3 else CLEAN, encoding="utf-8")
    one = run("check", "--jobs", "1", "--format", "json", ".", cwd=tmp_path)
    many = run("check", "--jobs", "3", "--format", "json", ".", cwd=tmp_path)
    assert one.returncode == many.returncode == 1
    assert out(one) == out(many)
    assert len(json.loads(out(one))) >= 16


def test_file_over_the_size_limit_is_refused_in_one_line(tmp_path):
    (tmp_path / "big.md").write_text("# Big\n\n" + "Plain words here. " * 70_000)
    (tmp_path / "small.md").write_text("# Small\n\nPlain words here.\n")
    proc = run("check", "--no-cache", "--max-file-size", "1", "big.md", "small.md", cwd=tmp_path)
    assert proc.returncode == 2
    (line,) = proc.stderr.decode().strip().splitlines()
    assert "big.md" in line and "over the 1 MB limit" in line and "--max-file-size" in line


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_endless_device_is_refused_at_the_size_limit():
    from trustlint.errors import InputError
    from trustlint.runner import read_input

    # stat says 0 bytes; the read stops one byte past the limit instead of at it.
    with pytest.raises(InputError, match="over the 1 MB limit"):
        read_input(Path("/dev/zero"), 1024 * 1024)


def test_read_input_reads_the_whole_file(tmp_path):
    from trustlint.runner import read_input

    data = bytes(range(256)) * 5000
    (tmp_path / "page.html").write_bytes(data)
    assert read_input(tmp_path / "page.html", len(data)) == data
