"""A third-party package adds rules through the `trustlint.rules` entry points."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PLUGIN_PYPROJECT = """
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "trustlint-acme"
version = "0.1.0"

[project.entry-points."trustlint.rules"]
acme = "trustlint_acme"

[tool.hatch.build.targets.wheel]
packages = ["trustlint_acme"]
"""
PLUGIN_CODE = '''
from trustlint import Report, Severity, rule


@rule(code="TL950", name="acme-lorem-ipsum", summary="Placeholder text left on the page",
      category="transparency", severity=Severity.ERROR, inputs=("html", "markdown", "text"))
def lorem_ipsum(doc, ctx):
    """
    ## What it does
    Flags "lorem ipsum" placeholder text.

    ## Why is this bad?
    Placeholder copy says nobody reviewed the page. Source: ACME style guide.

    ## Example
    Lorem ipsum dolor sit amet.

    ## Use instead
    Real copy.
    """
    import re

    for block in ctx.blocks(doc):
        for m in re.finditer(r"lorem ipsum", block.text, re.I):
            yield Report(block.to_span(*m.span()), "placeholder text `lorem ipsum`")
'''


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("plugin-src")
    (src / "pyproject.toml").write_text(PLUGIN_PYPROJECT)
    (src / "trustlint_acme").mkdir()
    (src / "trustlint_acme" / "__init__.py").write_text(textwrap.dedent(PLUGIN_CODE))
    target = tmp_path_factory.mktemp("plugin-site")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(src),
        ],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        pytest.fail(f"could not install the plugin: {proc.stderr[-2000:]}")
    return target


def trustlint(site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(site))
    return subprocess.run(
        [sys.executable, "-m", "trustlint", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )


def test_plugin_rule_is_listed_and_runs(plugin_site: Path, tmp_path: Path) -> None:
    listed = trustlint(plugin_site, "rules", "--format", "json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    rules = {r["code"]: r for r in json.loads(listed.stdout)}
    assert rules["TL950"]["name"] == "acme-lorem-ipsum"
    assert rules["TL950"]["origin"] == "plugin:trustlint-acme"

    (tmp_path / "page.md").write_text("# Hi\n\nLorem ipsum dolor sit amet.\n")
    checked = trustlint(plugin_site, "check", "--format", "json", "page.md", cwd=tmp_path)
    assert checked.returncode == 1, checked.stderr
    (finding,) = [f for f in json.loads(checked.stdout) if f["code"] == "TL950"]
    assert (finding["line"], finding["column"], finding["end_column"]) == (3, 1, 12)


def test_plugin_with_clashing_code_fails_in_one_line(tmp_path: Path) -> None:
    site = tmp_path / "site"
    pkg = site / "clash"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(
        textwrap.dedent(PLUGIN_CODE).replace('code="TL950"', 'code="TL202"')
    )
    dist = site / "clash-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: clash\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[trustlint.rules]\nclash = clash\n")
    proc = trustlint(site, "rules", cwd=tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "TL202" in lines[0] and "duplicate code" in lines[0]
    assert "Traceback" not in proc.stderr


CRASHING = """
from trustlint import Severity, rule


@rule(code="TL951", name="acme-crash", summary="Always crashes", category="tool",
      severity=Severity.INFO, inputs=("html", "markdown", "text"))
def crash(doc, ctx):
    \"\"\"Crashes.\"\"\"
    yield from ()
    raise ZeroDivisionError("boom")
"""


def test_crashing_rule_exits_three_and_names_rule_and_file(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "crashy").mkdir(parents=True)
    (site / "crashy" / "__init__.py").write_text(CRASHING)
    dist = site / "crashy-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: crashy\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[trustlint.rules]\ncrashy = crashy\n")
    (tmp_path / "page.md").write_text("# Hi\n\nHello.\n")
    proc = trustlint(site, "check", "page.md", cwd=tmp_path)
    assert proc.returncode == 3
    assert "TL951" in proc.stderr and "page.md" in proc.stderr and "boom" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_plugin_installed_or_removed_between_cached_runs_is_seen(tmp_path: Path) -> None:
    """Whether plugins are installed is read from the entry-point files on each run
    (test_no_plugin_no_importlib_metadata): installing one, adding it to the group or
    removing it is seen by the next run, with the results cache on."""
    site = tmp_path / "site"
    site.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    (work / "page.md").write_text("# Hello\n\nLorem ipsum dolor sit amet.\n")

    def codes() -> set[str]:
        proc = trustlint(site, "check", "--format", "json", "page.md", cwd=work)
        assert proc.returncode in (0, 1), proc.stderr
        return {f["code"] for f in json.loads(proc.stdout)}

    assert "TL950" not in codes()  # no plugin yet
    assert (work / ".trustlint_cache").is_dir()
    (site / "acme").mkdir()
    (site / "acme" / "__init__.py").write_text(textwrap.dedent(PLUGIN_CODE))
    dist = site / "acme-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[other.group]\nacme = acme\n")
    assert "TL950" not in codes()  # installed, but not a trustlint plugin
    (dist / "entry_points.txt").write_text("[trustlint.rules]\nacme = acme\n")
    assert "TL950" in codes()
    for path in dist.iterdir():
        path.unlink()
    dist.rmdir()
    assert "TL950" not in codes()


def test_entry_point_files_tell_whether_to_scan(tmp_path: Path) -> None:
    from trustlint.registry import _may_have_plugins

    dist = tmp_path / "other-1.0.dist-info"
    dist.mkdir()
    (tmp_path / "one_file-1.0.egg-info").write_text("Metadata-Version: 1.0\n")
    assert not _may_have_plugins((str(tmp_path), str(tmp_path / "missing")))
    (dist / "entry_points.txt").write_text("[console_scripts]\nother = other:main\n")
    assert not _may_have_plugins((str(tmp_path),))
    (dist / "entry_points.txt").write_text("[trustlint.rules]\nacme = acme\n")
    assert _may_have_plugins((str(tmp_path),))
    zipped = tmp_path / "plugins.zip"
    zipped.write_bytes(b"PK\x05\x06" + bytes(18))  # an empty zip: looked into by the scan
    assert _may_have_plugins((str(zipped),))


def test_no_plugin_no_importlib_metadata() -> None:
    code = (
        "import sys\n"
        "from trustlint.registry import build_registry\n"
        "build_registry()\n"
        "print('importlib.metadata' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"]
