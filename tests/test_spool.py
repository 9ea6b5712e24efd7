"""trustlint.spool: a long run's findings wait in a temporary file, in report order."""

from __future__ import annotations

from pathlib import Path

from trustlint import spool
from trustlint.model import Finding, Position, Severity, Span

EXAMPLES = Path(__file__).parent.parent / "examples" / "site"


def _finding(path: str, start: int, code: str = "TL101", message: str = "m") -> Finding:
    return Finding(
        path=path,
        code=code,
        name="n",
        category="manipulation",
        severity=Severity.WARNING,
        message=message,
        span=Span(start, start + 1),
        start=Position(1, start + 1),
        end=Position(1, start + 2),
    )


def test_spooled_findings_come_back_sorted_like_held_ones():
    files = [
        [_finding("b.html", 5), _finding("b.html", 1)],
        [],
        [_finding("a.html", 9, message="second"), _finding("a.html", 9, message="first")],
        [_finding("c.html", 0)],
        [_finding("a.html", 2)],  # a path met twice (stdin named like a file)
    ]
    held, spooled = spool.Collector(spool_after=10**9), spool.Collector(spool_after=2)
    for found in files:
        held.add(found)
        spooled.add(found)
    expected = held.findings()
    assert isinstance(expected, list)
    got = spooled.findings()
    assert not isinstance(got, list)  # on disk
    assert list(got) == expected == sorted(expected, key=Finding.sort_key)
    assert list(got) == expected  # walked again: read again
    assert len(got) == 6 and bool(got) and got[0] == expected[0] and got[-1] == expected[-1]


def test_few_findings_stay_in_memory():
    collector = spool.Collector()
    collector.add([_finding("a.html", 1)])
    assert collector.findings() == [_finding("a.html", 1)]


def test_a_spooled_run_reports_as_a_held_one(monkeypatch):
    """The example site in every format, with every finding spooled and with none."""
    from trustlint import reporters
    from trustlint.job import prepare
    from trustlint.runner import run

    reports = []
    for spool_after in (10**9, 0):
        monkeypatch.setattr(spool, "SPOOL_AFTER", spool_after)
        job = prepare([str(EXAMPLES)], isolated=True, use_cache=False)
        result = run(job.files, job.settings, jobs=1, site_files=job.site_files)
        assert isinstance(result.findings, list) == (spool_after > 0)
        assert len(result.findings) > 10
        formats = [f for f in reporters.FORMATS if f != "html"]  # html embeds a timestamp
        reports.append({fmt: reporters.render(fmt, result) for fmt in formats})
        reports[-1]["exit"] = result.exit_code
    assert reports[0] == reports[1]
