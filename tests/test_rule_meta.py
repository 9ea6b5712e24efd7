"""Every shipped rule is complete: unique code and name, docs, options, fixtures."""

from __future__ import annotations

import re

import pytest

from harness import FIXTURES, fixture_files, parse_fixture
from trustlint.model import CATEGORIES, LANGUAGES
from trustlint.registry import DOC_HEADINGS, build_registry

REGISTRY = build_registry(plugins=False)
RULES = sorted(REGISTRY.values(), key=lambda r: r.meta.code)
IDS = [f"{r.meta.code}-{r.meta.name}" for r in RULES]
# The README's code table: TL1 wording, TL2 forms and consent, TL3 contact and
# transparency, TL4 data-use wording, TL9 the tool.
FAMILY = {
    "readability": "1",
    "jargon": "1",
    "manipulation": "12",
    "forms": "2",
    "consent": "24",
    "security": "23",
    "contact": "3",
    "transparency": "3",
    "data-use": "4",
    "tool": "9",
}


def test_codes_and_names_unique():
    assert len({r.meta.code for r in RULES}) == len(RULES)
    assert len({r.meta.name for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_metadata(rule):
    meta = rule.meta
    assert re.fullmatch(r"TL\d{3}", meta.code)
    assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", meta.name), "names are kebab-case"
    assert meta.category in CATEGORIES
    assert meta.code[2] in FAMILY[meta.category], "the code's first digit names the family"
    assert meta.summary and not meta.summary.endswith(".")
    if meta.langs is not None:
        assert meta.langs <= set(LANGUAGES)
    for key, default in meta.options.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", key)
        assert isinstance(default, (bool, int, float, str, list, dict)), key


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_docs_have_every_section(rule):
    for heading in DOC_HEADINGS:
        body = rule.meta.docs_section(heading)
        assert body, f"{rule.meta.code}: docs lack '## {heading}'"
    why = rule.meta.docs_section("Why is this bad?")
    assert "Source" in why or "http" in why, "the 'why' cites its source"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_fixtures_cover_every_language(rule):
    meta = rule.meta
    files = fixture_files(meta.code)
    assert files, f"no fixtures in {FIXTURES}/{meta.code}-{meta.name}/"
    assert files[0].parent.name == f"{meta.code}-{meta.name}"
    fixtures = [parse_fixture(p) for p in files]
    langs = {f.lang for f in fixtures}
    wanted = set(meta.langs) if meta.langs is not None else {"any"}
    assert wanted <= langs, f"fixtures missing for {sorted(wanted - langs)}"
    for lang in wanted:
        mine = [f for f in fixtures if f.lang == lang]
        assert any(m.code == meta.code for f in mine for m in f.marks), f"{lang}: nothing to flag"
        assert any("clean:" in f.text for f in mine), f"{lang}: no 'clean:' cases"
    for f in fixtures:
        assert f.kind in meta.inputs, f"{f.path.name}: {f.kind} is not an input of the rule"


def test_rule_reference_is_up_to_date():
    """docs/rules.md is what `trustlint rules --format markdown` writes."""
    from pathlib import Path

    from trustlint.ruledocs import markdown

    path = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
    expected = markdown(r.meta for r in RULES)
    assert path.read_text(encoding="utf-8") == expected, (
        "run: trustlint rules --format markdown > docs/rules.md"
    )
