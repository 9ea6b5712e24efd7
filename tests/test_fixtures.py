"""Every caret-marker fixture: the rule flags exactly what is marked, nothing else."""

from __future__ import annotations

import pytest

from harness import FIXTURES, compare, fixture_files, parse_fixture

FILES = fixture_files()


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES)) for p in FILES])
def test_fixture(path):
    fixture = parse_fixture(path)
    problems = compare(fixture)
    assert not problems, f"{path.relative_to(FIXTURES)}:\n  " + "\n  ".join(problems)
