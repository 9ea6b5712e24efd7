"""The runner's process set-up for long runs."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _glibc() -> bool:
    try:
        return (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
    except (ValueError, OSError, AttributeError):  # not a name this system knows
        return False


GLIBC = _glibc()

# After a 4 MB block is freed, is a 256 KB block mapped on its own (1) or taken from
# the heap (0)? glibc left alone raises its threshold to 4 MB on that free.
PROBE = """
import ctypes, sys
from trustlint.runner import fix_mmap_threshold

FIELDS = "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost"

class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in FIELDS.split()]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = Info
fixed = fix_mmap_threshold() if sys.argv[1] == "fix" else None
big = bytearray(4 << 20)
del big
before = libc.mallinfo2().hblks
block = bytearray(256 << 10)
print(fixed, libc.mallinfo2().hblks - before)
"""


def _probe(mode: str, **env: str) -> str:
    mine = ("MALLOC_MMAP_THRESHOLD_", "GLIBC_TUNABLES")
    environ = {k: v for k, v in os.environ.items() if k not in mine}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode],
        capture_output=True,
        text=True,
        env={**environ, **env},
        check=True,
    )
    return done.stdout.strip()


@pytest.mark.skipif(not GLIBC, reason="glibc's malloc only")
def test_pools_keep_large_blocks_out_of_the_heap():
    """A forked pool's processes return a large page's memory when it is freed, instead
    of keeping it in a heap that glibc grows after every larger page."""
    try:
        left_alone = _probe("leave")
    except subprocess.CalledProcessError as exc:  # glibc before 2.33 has no mallinfo2
        pytest.skip(exc.stderr.strip().splitlines()[-1])
    assert left_alone == "None 0"
    assert _probe("fix") == "True 1"
    # A user's own setting wins.
    assert _probe("fix", MALLOC_MMAP_THRESHOLD_="8388608") == "False 0"
    assert _probe("fix", GLIBC_TUNABLES="glibc.malloc.mmap_threshold=8388608") == "False 0"


def test_a_pool_fixes_the_threshold_before_it_forks():
    from trustlint import runner

    runner.fix_mmap_threshold.cache_clear()
    with runner._fork_pool(2) as pool:  # the workers inherit the setting
        assert runner.fix_mmap_threshold.cache_info().currsize == 1
        assert pool.apply(sum, ([1, 2],)) == 3


@pytest.mark.parametrize("lang", [None, "de"])
def test_a_pool_loads_the_language_model_only_if_it_may_be_needed(tmp_path, monkeypatch, lang):
    """The model (90 MB) is loaded before the fork, for the workers to share, unless a
    language is configured: then no page is ever detected. The report is the same."""
    from trustlint import language, runner
    from trustlint.job import prepare

    for n in range(2 * runner.MIN_FILES_PER_JOB + 2):
        (tmp_path / f"p{n}.md").write_text(
            f"# Angebot {n}\n\nNur heute! Jetzt zugreifen, nur noch 2 Stück verfügbar. "
            "Wir geben Ihre Daten an ausgewählte Partner weiter.\n"
        )
    monkeypatch.chdir(tmp_path)
    reports = []
    for jobs in (2, 1):
        language._identifier.cache_clear()
        job = prepare(["."], isolated=True, use_cache=False, cli={"lang": lang})
        result = runner.run(job.files, job.settings, jobs=jobs)
        reports.append([(f.path, f.code, f.start, f.message) for f in result.findings])
        if jobs == 2:
            assert language._identifier.cache_info().currsize == (lang is None)
    assert reports[0] == reports[1]
    assert reports[0]
