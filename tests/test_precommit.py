"""The hook in .pre-commit-hooks.yaml works, run by pre-commit itself.

pre-commit clones this checkout and installs trustlint into its own environment
(from the package index, like any user's hook install), then runs the hook on a
temporary git repository: a clean file passes, a page with a pre-ticked
marketing box fails the commit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    not (ROOT / ".git").exists() or shutil.which("git") is None,
    reason="needs a git checkout of trustlint",
)

BAD = """<!doctype html>
<html lang="en"><body>
<form action="/join" method="post">
  <label for="e">Email</label> <input id="e" name="email" type="email" autocomplete="email">
  <input type="checkbox" id="n" name="newsletter" checked>
  <label for="n">Send me offers and news from our partners</label>
  <button>Join</button>
</form>
</body></html>
"""
GOOD = "# Welcome\n\nWe answer every email within two working days.\n"


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def run_hook(repo: Path, *files: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PRE_COMMIT_HOME=str(repo.parent / "pc-home"))
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(ROOT),
            "trustlint",
            "--files",
            *files,
            "--verbose",
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_hook_passes_clean_file_and_blocks_prechecked_box(tmp_path: Path) -> None:
    repo = tmp_path / "site"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "t@example.org")
    git(repo, "config", "user.name", "t")
    (repo / "good.md").write_text(GOOD, encoding="utf-8")
    (repo / "join.html").write_text(BAD, encoding="utf-8")
    git(repo, "add", ".")

    clean = run_hook(repo, "good.md")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout

    dirty = run_hook(repo, "join.html")
    assert dirty.returncode == 1, dirty.stdout + dirty.stderr
    assert "TL202" in dirty.stdout
    assert "prechecked-consent" in dirty.stdout
