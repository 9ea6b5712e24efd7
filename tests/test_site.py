"""Site mode: links resolve to pages, and contact paths are counted in clicks."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from test_cli import out, run
from trustlint.runner import site_page
from trustlint.site import Link, PageSummary, SiteGraph, resolve

PAGE = '<!doctype html><html lang="en"><body><nav>{links}</nav><main>{body}</main></body></html>'


def page(links: dict[str, str], body: str = "<p>Hello.</p>") -> str:
    html = " ".join(f'<a href="{href}">{text}</a>' for href, text in links.items())
    return PAGE.format(links=html, body=body)


@pytest.mark.parametrize(
    ("href", "on", "base", "target"),
    [
        ("about.html", "index.html", None, "about.html"),
        ("../kontakt.html", "de/shop/a.html", None, "de/kontakt.html"),
        ("/impressum", "de/a.html", None, "impressum"),
        ("/de/", "a.html", None, "de/index.html"),
        ("./", "de/a.html", None, "de/index.html"),
        ("#top", "a.html", None, "a.html"),
        ("contact.html?x=1#form", "a.html", None, "contact.html"),
        ("page.html", "a.html", "/docs/", "docs/page.html"),
        ("https://example.com/contact", "a.html", None, None),
        ("mailto:a@b.example", "a.html", None, None),
        ("../../outside.html", "a.html", None, None),
    ],
)
def test_resolve(href, on, base, target):
    assert resolve(href, on, base)[0] == target


def findings(proc) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for f in json.loads(out(proc)):
        found.setdefault(f["path"], []).append(f["message"])
    return found


def build(site: Path) -> None:
    (site / "de").mkdir()
    pages = {
        "index.html": page({"about.html": "About", "shop/": "Shop"}),
        "about.html": page({"index.html": "Home", "help": "Help"}),
        "help.html": page({"/": "Home"}, '<a href="mailto:hi@example.com">hi@example.com</a>'),
        "shop/index.html": page({"deep.html": "Deep"}),
        "shop/deep.html": page({"deeper.html": "Deeper"}),
        "shop/deeper.html": page({"../index.html": "Home"}),
        "orphan.html": page({}),
    }
    for name, html in pages.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(html, encoding="utf-8")


def test_contact_counted_in_clicks_across_the_site(tmp_path):
    build(tmp_path)
    proc = run("check", "--select", "TL301", "--format", "json", ".", cwd=tmp_path)
    found = findings(proc)
    # index -> about -> help (mailto): 2 clicks, fine; about 1; help 0.
    assert "index.html" not in found and "about.html" not in found
    # shop/ -> deep -> deeper -> index -> about -> help: far away.
    assert found["shop/deep.html"] == [
        "the nearest contact details are 4 clicks away; customers cannot see how to reach you"
    ]
    assert "no page of the site links" in found["orphan.html"][0]
    # A single file alone knows nothing of the site: judged on its own.
    alone = findings(
        run("check", "--select", "TL301", "--format", "json", "about.html", cwd=tmp_path)
    )
    assert "no contact details" in alone["about.html"][0]


def test_site_root_for_a_few_files(tmp_path):
    """What a pre-commit hook does: two files checked, the site read from the cache."""
    build(tmp_path)
    args = ("check", "--select", "TL301", "--format", "json", "--site-root", ".")
    found = findings(run(*args, "about.html", "shop/deeper.html", cwd=tmp_path))
    assert list(found) == ["shop/deeper.html"]
    assert "3 clicks away" in found["shop/deeper.html"][0]
    (tmp_path / "shop" / "deeper.html").write_text(page({"/help.html": "Help"}))
    assert findings(run(*args, "shop/deeper.html", cwd=tmp_path)) == {}


def test_site_root_in_config(tmp_path):
    build(tmp_path)
    (tmp_path / "trustlint.toml").write_text('site-root = "."\n')
    found = findings(
        run("check", "--select", "TL301", "--format", "json", "about.html", cwd=tmp_path)
    )
    assert found == {}
    (tmp_path / "trustlint.toml").write_text('site-root = "nope"\n')
    proc = run("check", "about.html", cwd=tmp_path)
    assert proc.returncode == 2 and "site root" in proc.stderr.decode()


@pytest.mark.skipif(os.name == "nt", reason="needs POSIX symlinks")
def test_site_page_names_as_resolve_does(tmp_path):
    site = tmp_path / "site"
    (site / "real" / "deep").mkdir(parents=True)
    (site / "real" / "deep" / "a.html").write_text("<p>a</p>")
    (site / "linked").symlink_to(site / "real")
    (site / "b.html").symlink_to(site / "real" / "deep" / "a.html")
    root = site.resolve()
    for path in [
        site / "real" / "deep" / "a.html",
        site / "linked" / "deep" / "a.html",
        site / "b.html",
        tmp_path / "site" / ".." / "site" / "real" / "deep" / "a.html",
    ]:
        expected = Path(os.path.relpath(path.resolve(), root)).as_posix()
        assert site_page(path, root) == expected == "real/deep/a.html"


def test_site_digest_follows_every_page():
    def graph(text):
        one = PageSummary("a.html", links=[Link("b.html", "b.html", text, "")])
        return SiteGraph([one, PageSummary("b.html")])

    assert graph("Contact").digest() == graph("Contact").digest()
    assert graph("Contact").digest() != graph("Kontakt").digest()


@pytest.mark.parametrize("jobs", [1, 2])
def test_summaries_keep_one_copy_of_a_repeated_link(tmp_path, jobs):
    """A menu link on every page is one object in the site graph, also when the
    summaries come back pickled from a process pool."""
    from trustlint.runner import _compute_summaries

    files = []
    for n in range(20):
        path = tmp_path / f"p{n}.html"
        path.write_text(page({"kontakt.html": "Kontakt", f"p{n + 1}.html": "Next"}))
        files.append(path)
    summaries = _compute_summaries(files, tmp_path.resolve(), None, jobs)
    menu = {id(s.links[0]) for s in summaries}
    assert len(menu) == 1
    assert summaries[0].links[0] == Link("kontakt.html", "kontakt.html", "Kontakt", "")
    assert len({id(s.links[1]) for s in summaries}) == 20  # different links stay apart
    assert [s.links[1].target for s in summaries] == [f"p{n + 1}.html" for n in range(20)]


def test_links_are_shared_as_they_are_unpickled():
    """Within sharing_links, a link read from a pickle (a pool's results, the cache) is
    the object met before, with no copy made first and freed later; outside it, reading
    pickles shares nothing, and the block leaves no table of links behind."""
    import pickle

    from trustlint import site as site_module
    from trustlint.site import sharing_links

    def summary(n):
        menu = Link("kontakt.html", "kontakt.html", "Kontakt", "")
        return PageSummary(f"p{n}.html", links=[menu, Link(f"q{n}.html", "", "", "")])

    stored = [pickle.dumps(summary(n)) for n in range(3)]
    with sharing_links():
        read = [pickle.loads(data) for data in stored]
        with sharing_links():  # nested: the same table
            read.append(pickle.loads(stored[0]))
    assert len({id(s.links[0]) for s in read}) == 1
    assert read[0].links[0] == Link("kontakt.html", "kontakt.html", "Kontakt", "")
    assert len({id(s.links[1]) for s in read}) == 3  # one per different link
    assert read[3] == read[0]
    assert site_module._SHARED is None
    apart = [pickle.loads(data) for data in stored]
    assert len({id(s.links[0]) for s in apart}) == 3
    assert type(apart[0].links[0]) is Link


@pytest.mark.parametrize("jobs", [1, 2])
def test_site_summaries_share_links_from_the_cache_too(tmp_path, jobs):
    """A pre-commit run reads every page's summary from the cache's site index, and
    computes those of the changed pages."""
    from trustlint.cache import Cache
    from trustlint.runner import _summaries

    files = []
    for n in range(20):
        path = tmp_path / "site" / f"p{n}.html"
        path.parent.mkdir(exist_ok=True)
        path.write_text(page({"kontakt.html": "Kontakt", f"p{n + 1}.html": "Next"}))
        files.append(path)
    cache = Cache(tmp_path / "cache", "run")
    root = (tmp_path / "site").resolve()
    first = _summaries(files, root, cache, jobs)
    again = _summaries(files, root, cache, jobs)  # from the index
    # One page changed: its summary is computed anew, the others come from the index,
    # and its menu link is still the one object the index's pages hold.
    files[7].write_text(page({"kontakt.html": "Kontakt", "p8.html": "Weiter"}))
    edited = _summaries(files, root, cache, jobs)
    for summaries in (first, again, edited):
        assert len({id(s.links[0]) for s in summaries}) == 1
        assert [s.links[1].target for s in summaries] == [f"p{n + 1}.html" for n in range(20)]
    assert again == first
    assert edited[7].links[1].text == "Weiter"


def _has_mailto(summary) -> bool:
    return "mailto" in summary.channels


def test_clicks_are_counted_once_per_question():
    """Every page's rule asks the same question; the site is searched once, and a
    lambda (a new object on every call, so a search per page) is refused."""
    pages = [
        PageSummary(f"p{n}.html", links=[Link(f"p{n + 1}.html", "", "", "")]) for n in range(5)
    ]
    pages.append(PageSummary("p5.html", channels={"mailto"}))
    site = SiteGraph(pages)
    first = site.clicks_to(_has_mailto)
    assert first == {
        "p5.html": 0,
        "p4.html": 1,
        "p3.html": 2,
        "p2.html": 3,
        "p1.html": 4,
        "p0.html": 5,
    }
    assert site.clicks_to(_has_mailto) is first
    with pytest.raises(ValueError, match="module-level function"):
        site.clicks_to(lambda summary: "mailto" in summary.channels)


def _role_word_spellings() -> dict[str, set[str]]:
    """Every spelling each role's words allow ("contact", "contacts", "contact us"...)."""
    from trustlint.packs import literals
    from trustlint.site import ROLE_WORDS

    spellings = {}
    old = literals.MAX_STRINGS
    literals.MAX_STRINGS = 100_000
    try:
        for role, words in ROLE_WORDS.items():
            exact, _ = literals._Reader(words).alternation()
            spellings[role] = exact
    finally:
        literals.MAX_STRINGS = old
    return spellings


def test_no_word_of_one_role_reads_as_words_of_others():
    # What lets site.label_roles answer a one-word label with one small pattern.
    from trustlint.site import ROLE_PATTERNS

    spellings = _role_word_spellings()
    assert sum(map(len, spellings.values())) > 100
    for role, words in spellings.items():
        for word in words:
            for label in (word, word.upper(), f" » {word} /", f"{word}:"):
                full = {r for r, pattern in ROLE_PATTERNS.items() if pattern.match(label)}
                assert full == {role}, (label, full)


def test_lowered_ascii_search_agrees_with_the_case_blind_one():
    # What lets site.label_roles search a lowered ASCII label without re.I.
    from trustlint.site import _ANY_ROLE_LOWER, _ANY_ROLE_WORD

    labels = ["Read more", "Shop", "CONTACTLESS PAY", "Imprints", "Legal", "Home", "x"]
    for words in _role_word_spellings().values():
        for word in words:
            labels += [word, word.upper(), word.title(), word.swapcase(), f"See our {word}!"]
    ascii_labels = [label for label in labels if label.isascii()]
    assert len(ascii_labels) > 300
    for label in ascii_labels:
        by_case = _ANY_ROLE_WORD.search(label)
        lowered = _ANY_ROLE_LOWER.search(label.lower())
        assert bool(by_case) == bool(lowered), label


@pytest.mark.parametrize(
    "label",
    [
        "Contact",
        "Kontakt/Impressum",
        "Impressum & AGB",
        "Privacy and Terms",
        "terms and conditions",
        "Términos y condiciones",
        "Contact our sales team",
        "About us · Contact",
        "Über uns",
        "политика конфиденциальности",
        "Syarat dan Ketentuan",
        "Read more",
        "",
        "»",
    ],
)
def test_label_roles_agree_with_the_full_patterns(label):
    from trustlint.site import ROLE_PATTERNS, ROLE_TEXT, label_roles

    full = {r for r, pattern in ROLE_PATTERNS.items() if pattern.match(label)}
    assert label_roles(label) == full
    assert {r for r, text in ROLE_TEXT.items() if text.match(label)} == full


@pytest.mark.parametrize("name", ["Read more", "»", "Kontakt aufnehmen hier bitte", "Über uns"])
def test_no_roles_is_one_object_for_every_label_and_path(name):
    """Cached answers that name no role share one frozenset (a fork's workers read them)."""
    from trustlint.site import NO_ROLES, _slug_roles, label_roles

    roles = label_roles(name)
    assert (roles is NO_ROLES) == (not roles)
    assert _slug_roles("products/shoes-42.html") is NO_ROLES
    assert _slug_roles("de/kontakt.html") == {"contact"}


def _pool_site(tmp_path: Path) -> Path:
    """Twenty pages with a sign-up form, linked in a ring, and a privacy page."""
    form = '<form action="/join" method="post"><input type="email" name="email"></form>'
    for n in range(20):
        links = {f"p{(n + 1) % 20}.html": "Next", "/help.html": "Kontakt"}
        if n == 0:
            links["privacy.html"] = "Privacy policy"
        (tmp_path / f"p{n}.html").write_text(page(links, form), encoding="utf-8")
    (tmp_path / "privacy.html").write_text(page({"p0.html": "Home"}), encoding="utf-8")
    return tmp_path


def test_site_tables_are_computed_before_the_pool_forks(tmp_path, monkeypatch):
    """The parent computes the enabled rules' whole-site tables (engine.prepare_site)
    before the workers fork, so that they share them instead of each computing them;
    the findings equal a run in one process."""
    from trustlint import runner
    from trustlint.job import prepare
    from trustlint.rules.transparency import _common

    site = _pool_site(tmp_path)
    monkeypatch.chdir(site)
    at_fork = []
    real_pool = runner._fork_pool

    def pool(jobs):
        if runner._WORKER is not None:  # the lint pool, not the summaries'
            graph = runner._WORKER[0].site
            at_fork.append((set(_common._MEMO.get(graph, {})), set(graph.__dict__["_memo"])))
        return real_pool(jobs)

    monkeypatch.setattr(runner, "_fork_pool", pool)
    results = []
    for jobs in (2, 1):
        job = prepare(["."], isolated=True, use_cache=False, cli={"jurisdictions": ["de"]})
        result = runner.run(job.files, job.settings, jobs=jobs, site_files=job.site_files)
        results.append([(f.path, f.code, f.start, f.message) for f in result.findings])
    assert len(at_fork) == 1
    memos, clicks = at_fork[0]
    assert {"privacy", "linked-as-contact", "root-links", ("legal", "de")} <= memos
    assert {"offers_contact", "_is_privacy_page"} <= {f.__name__ for f in clicks}
    assert ("legal", "es") not in memos  # only the configured jurisdictions
    assert {code for _, code, _, _ in results[0]} >= {"TL305"}
    assert results[0] == results[1]


def test_a_failing_site_table_is_left_to_its_pages():
    from trustlint.engine import Settings, StaticSelection, prepare_site
    from trustlint.model import RuleMeta, Severity
    from trustlint.registry import Rule

    calls = []

    def broken(site, ctx):
        calls.append(ctx.page)
        raise RuntimeError("boom")

    meta = RuleMeta("TL999", "x", "x", "forms", Severity.WARNING, frozenset({"html"}))
    rule = Rule(meta, lambda doc, ctx: iter(()), (broken, broken))
    registry = {"TL999": rule}
    settings = Settings(registry, StaticSelection(registry, frozenset({"TL999"})))
    settings.site = SiteGraph([PageSummary("a.html")])
    settings.site_root = Path.cwd()
    prepare_site(settings, "a.html")
    assert calls == ["a.html", "a.html"]
