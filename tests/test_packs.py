"""TOML rule packs: every kind works, every mistake is one line, no pattern can hang."""

from __future__ import annotations

import sys
import textwrap
import time
from pathlib import Path

import pytest

from trustlint.api import lint_text
from trustlint.errors import PackError
from trustlint.packs import builtin_pack_files, load_pack, parse_pack
from trustlint.registry import build_registry

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

HEAD = '[pack]\nname = "test"\n'


def pack(tmp_path: Path, body: str, name: str = "p.toml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + textwrap.dedent(body), encoding="utf-8")
    return path


def lint(tmp_path, body, text, *, kind="text", lang="en", code="TL960"):
    path = pack(tmp_path, body)
    return lint_text(
        text,
        path="x." + {"text": "txt", "markdown": "md", "html": "html"}[kind],
        kind=kind,
        lang=lang,
        rule_paths=[path],
        select=[code],
    )


EXISTENCE = """
[[rule]]
code = "TL960"
name = "trusted-partners"
kind = "existence"
category = "data-use"
summary = "Unnamed partners"
message = "unnamed recipients `{match}`"
suggestion = "Name who gets `{match}`"
patterns.en = ['trusted partners?', 'selected third parties']
patterns.de = ['ausgewählte Partner']
exceptions.en = ['trusted partners? program']
"""


def test_existence_finds_exact_words(tmp_path):
    text = "Hi.\n\nWe share data with Trusted Partners and\nselected third parties.\n"
    found = lint(tmp_path, EXISTENCE, text)
    assert [(f.start.line, f.start.column, f.end.column) for f in found] == [
        (3, 20, 36),
        (4, 1, 23),
    ]
    assert found[0].message == "unnamed recipients `Trusted Partners`"
    assert found[0].suggestion == "Name who gets `Trusted Partners`"


@pytest.mark.parametrize("bulk", [False, True])
@pytest.mark.parametrize(
    "pattern,text,match",
    [
        ("^act now", "We always\n\nact now on orders.\n", "act now"),
        ("ends today$", "The sale ends today\n\nafter all.\n", "ends today"),
        ("no refunds(?!\\s*after)", "No refunds\n\nafter thirty days.\n", "No refunds"),
        ("(?<!will\\s{0,2})sell your data", "We will\n\nsell your data.\n", "sell your data"),
    ],
)
def test_block_context_is_not_lost_when_blocks_are_joined(
    tmp_path, monkeypatch, bulk, pattern, text, match
):
    # A page's blocks are searched joined, to rule the page out at once: a pattern
    # anchored at its block's start or end, or with a negative look-around, must still
    # match in its block, whatever the neighbouring block says.
    from trustlint.packs import schema

    monkeypatch.setitem(schema.GATES, "bulk", bulk)
    body = EXISTENCE.replace(
        "patterns.en = ['trusted partners?', 'selected third parties']",
        f"patterns.en = ['{pattern}']",
    )
    found = lint(tmp_path, body, text, kind="markdown")
    assert [f.message for f in found] == [f"unnamed recipients `{match}`"]


def test_existence_respects_language_exceptions_and_word_edges(tmp_path):
    assert not lint(tmp_path, EXISTENCE, "Join our trusted partners program.\n")
    assert not lint(tmp_path, EXISTENCE, "untrusted partnership\n")
    assert not lint(tmp_path, EXISTENCE, "We share with trusted partners.\n", lang="de")
    assert lint(
        tmp_path,
        EXISTENCE,
        "Wir teilen Daten mit ausgewählten Partnern, ausgewählte Partner.\n",
        lang="de",
    )


def test_substitution(tmp_path):
    body = """
    [[rule]]
    code = "TL961"
    name = "plain-words-test"
    kind = "substitution"
    category = "jargon"
    summary = "Plain words"
    swap.en = { 'utili[sz]e' = "use", 'in order to' = "to" }
    """
    found = lint(tmp_path, body, "We utilize data in order to help.\n", code="TL961")
    assert [(f.start.column, f.message) for f in found] == [
        (4, "`utilize`: write `use`"),
        (17, "`in order to`: write `to`"),
    ]


def test_occurrence_max_per_block_and_min_per_document(tmp_path):
    body = """
    [[rule]]
    code = "TL962"
    name = "too-many-nows"
    kind = "occurrence"
    category = "manipulation"
    summary = "Too many nows"
    patterns.en = ['now']
    max = 2

    [[rule]]
    code = "TL963"
    name = "no-contact-word"
    kind = "occurrence"
    category = "contact"
    summary = "No contact word"
    message = "no contact word ({count})"
    patterns.en = ['contact']
    min = 1
    per = "document"
    """
    found = lint(tmp_path, body, "Now, now, buy now!\n\nNow.\n", code="TL962")
    assert [(f.start.line, f.start.column) for f in found] == [(1, 15)]
    assert "3 times" in found[0].message
    path = pack(tmp_path, body)
    found = lint_text("Buy.\n", path="a.txt", lang="en", rule_paths=[path], select=["TL963"])
    assert [f.message for f in found] == ["no contact word (0)"]


def test_readability_per_block_and_sentence(tmp_path):
    body = """
    [[rule]]
    code = "TL964"
    name = "long-sentence-test"
    kind = "readability"
    category = "readability"
    summary = "Long sentence"
    metric = "words-per-sentence"
    per = "sentence"
    max = 10
    min-words = 1
    """
    text = "Short one. " + " ".join(["word"] * 12) + ". Short again.\n"
    found = lint(tmp_path, body, text, code="TL964")
    assert [(f.start.column, f.end.column) for f in found] == [(12, 12 + 12 * 5)]


def test_readability_textstat_metric_by_language(tmp_path):
    body = """
    [[rule]]
    code = "TL965"
    name = "hard-german"
    kind = "readability"
    category = "readability"
    summary = "Hard German"
    metric = "flesch-reading-ease"
    min.de = 30
    min-words = 5
    """
    hard = (
        "Die Verarbeitung personenbezogener Daten erfolgt ausschließlich zur "
        "Vertragsabwicklung gemäß der Datenschutz-Grundverordnung.\n"
    )
    easy = "Wir brauchen Ihre Adresse. Dann schicken wir Ihnen das Paket.\n"
    assert lint(tmp_path, body, hard, lang="de", code="TL965")
    assert not lint(tmp_path, body, easy, lang="de", code="TL965")
    assert not lint(tmp_path, body, hard, lang="en", code="TL965")  # not its language


def test_selector_and_missing(tmp_path):
    body = """
    [[rule]]
    code = "TL966"
    name = "http-form-test"
    kind = "selector"
    category = "security"
    summary = "Form posts over http"
    selector = 'form[action^="http:"]'
    message = "<{tag}> posts in clear text"

    [[rule]]
    code = "TL967"
    name = "no-main-test"
    kind = "selector"
    category = "transparency"
    summary = "No main"
    selector = "main"
    missing = true
    """
    html = '<p>x</p>\n<form action="http://a.example/">\n<input name="q"></form>\n'
    found = lint(tmp_path, body, html, kind="html", code="TL966")
    assert [(f.start.line, f.start.column, f.end.column, f.message) for f in found] == [
        (2, 1, 34, "<form> posts in clear text")
    ]
    assert lint(tmp_path, body, html, kind="html", code="TL967")
    assert not lint(tmp_path, body, "<main>x</main>", kind="html", code="TL967")


def test_catastrophic_pattern_is_stopped(tmp_path):
    body = """
    [[rule]]
    code = "TL968"
    name = "slow-pattern"
    kind = "existence"
    category = "jargon"
    summary = "Slow"
    whole-words = false
    patterns.en = ['(a|aa)+$']
    """
    path = pack(tmp_path, body)
    began = time.monotonic()
    with pytest.raises(RuntimeError, match="took over"):
        lint_text("a" * 40 + "!\n", path="x.txt", lang="en", rule_paths=[path], select=["TL968"])
    assert time.monotonic() - began < 10


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (
            '[[rule]]\ncode = "TL970"\nname = "x-y"\nkind = "existence"\ncategory = "jargon"\n'
            'summary = "s"\npatterns.en = ["(unclosed"]\n',
            "rule TL970: patterns.en: bad pattern",
        ),
        (
            '[[rule]]\ncode = "TL970"\nname = "x-y"\nkind = "existence"\ncategory = "jargon"\n'
            'summary = "s"\npatterns.en = ["a"]\npaterns = 1\n',
            "rule TL970: unknown key 'paterns'",
        ),
        ('[[rule]]\ncode = "TL970"\nname = "x-y"\nkind = "fancy"\n', "unknown kind 'fancy'"),
        (
            '[[rule]]\ncode = "TL970"\nname = "x-y"\nkind = "existence"\ncategory = "jargon"\n'
            'summary = "s"\npatterns.en = ["a"]\nmessage = "{nope}"\n',
            "unknown placeholder {nope}",
        ),
        (
            '[[rule]]\ncode = "TL970"\nname = "x-y"\nkind = "selector"\ncategory = "forms"\n'
            'summary = "s"\nselector = "form[["\n',
            "rule TL970: bad selector",
        ),
        (
            '[[rule]]\ncode = "TL970"\nname = "x-y"\nkind = "existence"\ncategory = "nope"\n',
            "unknown category 'nope'",
        ),
        (
            '[[rule]]\ncode = "TL970"\nname = "x-y"\nkind = "existence"\ncategory = "jargon"\n'
            'summary = "s"\npatterns.en = "a"\n',
            "patterns.en must be a list of strings",
        ),
        (
            '[[rule]]\ncode = "TL970"\nname = "x-y"\nkind = "occurrence"\ncategory = "jargon"\n'
            'summary = "s"\npatterns.en = ["a"]\n',
            "occurrence needs max or min",
        ),
        ("[[rule]\n", "invalid TOML"),
        ('[pack]\nnme = "x"\n', "[pack]: unknown key 'nme'"),
    ],
)
def test_bad_packs_fail_in_one_line(tmp_path, body, needle):
    path = tmp_path / "bad.toml"
    path.write_text(body if body.startswith("[pack]") else HEAD + body, encoding="utf-8")
    with pytest.raises(PackError) as caught:
        build_registry([path], plugins=False)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(path)), message
    assert needle in message, message


def test_duplicate_code_across_packs(tmp_path):
    pack(tmp_path, EXISTENCE, "one.toml")
    pack(tmp_path, EXISTENCE.replace("trusted-partners", "other-name"), "two.toml")
    with pytest.raises(PackError, match=r"two\.toml: rule TL960: duplicate code"):
        build_registry([tmp_path], plugins=False)


def builtin_examples():
    for path in builtin_pack_files():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for entry in data.get("rule", []):
            for key in ("bad", "good"):
                for i, example in enumerate(entry.get("examples", {}).get(key, [])):
                    yield pytest.param(
                        entry["code"], key, example, id=f"{path.name}-{entry['code']}-{key}{i}"
                    )


@pytest.mark.parametrize(("code", "key", "example"), list(builtin_examples()))
def test_builtin_pack_examples(code, key, example):
    kind = example.get("kind", "text")
    found = lint_text(
        example["text"],
        path="example." + {"text": "txt", "markdown": "md", "html": "html"}[kind],
        kind=kind,
        lang=example.get("lang"),
        select=[code],
    )
    if key == "bad":
        assert found, f"{code} misses its own bad example: {example['text']!r}"
    else:
        assert not found, f"{code} flags its own good example: {found[0].message}"


def test_builtin_packs_load():
    for path in builtin_pack_files():
        assert load_pack(path, builtin=True)


@pytest.mark.parametrize("path", builtin_pack_files(), ids=lambda p: p.name)
def test_builtin_pack_patterns_all_compile(path):
    # Built-in patterns compile lazily at run time; loading as a user pack compiles all.
    assert load_pack(path, builtin=False)


def test_bad_pattern_names_itself():
    with pytest.raises(PackError, match=r"bad pattern '\(oops'"):
        parse_pack(
            {
                "pack": {"name": "p"},
                "rule": [
                    {
                        "code": "TL999",
                        "name": "x",
                        "kind": "existence",
                        "category": "jargon",
                        "summary": "x",
                        "patterns": {"en": ["(oops"]},
                    }
                ],
            },
            "p.toml",
        )


def test_parsed_pack_is_kept_between_runs_by_its_text(tmp_path, monkeypatch):
    from trustlint import cache, packs

    monkeypatch.setattr(cache, "derived", cache.Cache(tmp_path / "cache", "run"))
    path = pack(tmp_path, EXISTENCE)
    first = load_pack(path)

    def no_parsing(text):
        raise AssertionError("parsed again")

    with monkeypatch.context() as m:  # a later run reads the parsed table back
        m.setattr(packs.tomllib, "loads", no_parsing)
        assert [r.meta for r in load_pack(path)] == [r.meta for r in first]
        path.write_text(path.read_text().replace("Unnamed partners", "Unnamed recipients"))
        with pytest.raises(AssertionError, match="parsed again"):  # an edited pack is not
            load_pack(path)
    assert load_pack(path)[0].meta.summary == "Unnamed recipients"
