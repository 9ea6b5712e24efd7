"""Jurisdiction profiles raise the severity of what the law forbids there."""

from __future__ import annotations

import pytest

from trustlint.api import lint_text
from trustlint.model import Severity

PRETICKED = """<!doctype html><html lang="en"><body>
<form action="/join" method="post">
<label>Email <input type="email" name="email" autocomplete="email"></label>
<label><input type="checkbox" name="newsletter" checked> Send me offers</label>
<button>Join</button></form></body></html>"""
ORDER = """<!doctype html><html lang="de"><body>
<form action="/kasse" method="post"><button type="submit">Bestellung abschicken</button></form>
</body></html>"""


@pytest.mark.parametrize(
    "page,code,lang,jurisdictions,expected",
    [
        (PRETICKED, "TL202", "en", (), Severity.WARNING),
        (PRETICKED, "TL202", "en", ("eu",), Severity.ERROR),
        (PRETICKED, "TL202", "en", ("de",), Severity.ERROR),
        (ORDER, "TL215", "de", (), Severity.INFO),
        (ORDER, "TL215", "de", ("eu",), Severity.WARNING),
        (ORDER, "TL215", "de", ("fr",), Severity.WARNING),
        (ORDER, "TL215", "de", ("de",), Severity.ERROR),
    ],
)
def test_law_raises_severity(page, code, lang, jurisdictions, expected):
    (finding,) = lint_text(page, select=[code], lang=lang, jurisdictions=jurisdictions)
    assert finding.severity == expected


def test_non_eu_profile_keeps_the_default():
    (finding,) = lint_text(ORDER, select=["TL215"], lang="de", jurisdictions=["ru"])
    assert finding.severity == Severity.INFO
