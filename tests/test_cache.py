"""The results cache: fast on unchanged files, never stale."""

from __future__ import annotations

import json
from pathlib import Path

import trustlint
from test_cli import BAD_FORM, out, run
from trustlint.cache import FORMAT, run_fingerprint
from trustlint.config import Config
from trustlint.registry import build_registry

PACK = """[pack]
name = "t"
[[rule]]
code = "TL960"
name = "cache-test-word"
kind = "existence"
category = "jargon"
summary = "A test word"
patterns.en = ['{word}']
"""


def codes(proc) -> list[str]:
    return sorted(f["code"] for f in json.loads(out(proc)))


def check(site: Path, *args: str):
    return run("check", "--format", "json", "--lang", "en", *args, ".", cwd=site)


def test_second_run_reads_the_cache_and_edits_are_seen(tmp_path):
    page = tmp_path / "join.html"
    page.write_text(BAD_FORM, encoding="utf-8")
    first = check(tmp_path)
    assert (tmp_path / ".trustlint_cache" / FORMAT).is_dir()
    assert (tmp_path / ".trustlint_cache" / ".gitignore").read_text().strip().endswith("*")
    assert out(check(tmp_path)) == out(first)
    page.write_text(BAD_FORM.replace(" checked>", ">"), encoding="utf-8")
    assert "TL202" not in codes(check(tmp_path))


def test_config_change_is_seen(tmp_path):
    (tmp_path / "join.html").write_text(BAD_FORM, encoding="utf-8")
    assert "TL202" in codes(check(tmp_path))
    (tmp_path / "trustlint.toml").write_text('ignore = ["TL202"]\n', encoding="utf-8")
    assert "TL202" not in codes(check(tmp_path))


def test_pack_change_is_seen(tmp_path):
    (tmp_path / "a.md").write_text("We leverage synergies.\n", encoding="utf-8")
    (tmp_path / "packs").mkdir()
    pack = tmp_path / "packs" / "p.toml"
    pack.write_text(PACK.format(word="leverage"), encoding="utf-8")
    args = ("--rules-dir", "packs", "--select", "TL960")
    assert codes(check(tmp_path, *args)) == ["TL960"]
    pack.write_text(PACK.format(word="synergy"), encoding="utf-8")
    assert codes(check(tmp_path, *args)) == []


def test_no_cache_writes_nothing(tmp_path):
    (tmp_path / "join.html").write_text(BAD_FORM, encoding="utf-8")
    check(tmp_path, "--no-cache")
    assert not (tmp_path / ".trustlint_cache").exists()
    check(tmp_path, "--cache-dir", "elsewhere")
    assert (tmp_path / "elsewhere" / FORMAT).is_dir()


def test_new_version_means_new_keys(monkeypatch):
    registry = build_registry(plugins=False)
    before = run_fingerprint(Config(), {}, registry)
    monkeypatch.setattr(trustlint, "__version__", "99.0.0")
    assert run_fingerprint(Config(), {}, registry) != before
    assert run_fingerprint(Config(lang="de"), {}, registry) != before


def test_site_summaries_follow_edits_to_other_pages(tmp_path):
    """Checking one page of a site reads the others' summaries from the cache index;
    an edit to another page (its contact link removed) must still be seen."""
    site = tmp_path / "site"
    site.mkdir()
    nav = '<nav><a href="contact.html">Contact</a></nav>'
    (site / "index.html").write_text(
        f'<!doctype html><html lang="en"><body>{nav}<p>Tea.</p></body></html>', encoding="utf-8"
    )
    (site / "page.html").write_text(
        '<!doctype html><html lang="en"><body><a href="index.html">Home</a>'
        "<p>Green tea.</p></body></html>",
        encoding="utf-8",
    )
    contact = site / "contact.html"
    contact.write_text(
        '<!doctype html><html lang="en"><body><p>hi@example.org</p></body></html>',
        encoding="utf-8",
    )
    args = ("check", "--format", "json", "--select", "TL301", "--site-root", "site")
    assert json.loads(out(run(*args, "site/page.html", cwd=tmp_path))) == []
    assert json.loads(out(run(*args, "site/page.html", cwd=tmp_path))) == []  # from the index
    (site / "index.html").write_text(
        '<!doctype html><html lang="en"><body><p>Tea.</p></body></html>', encoding="utf-8"
    )
    assert [f["code"] for f in json.loads(out(run(*args, "site/page.html", cwd=tmp_path)))] == [
        "TL301"
    ]


def _check_in_process(site: Path, *args: str) -> str:
    from click.testing import CliRunner

    from trustlint.cli import cli

    result = CliRunner().invoke(cli, ["check", "--format", "json", *args, str(site)])
    assert result.exit_code in (0, 1), result.output
    return result.output


def test_pool_loads_the_language_model_once_and_not_for_cached_pages(tmp_path):
    from test_cli import CLEAN
    from trustlint import language

    for i in range(24):
        (tmp_path / f"p{i:02d}.html").write_text(BAD_FORM if i % 3 else CLEAN, encoding="utf-8")
    alone = _check_in_process(tmp_path, "--jobs", "1", "--no-cache")
    language._identifier.cache_clear()
    assert _check_in_process(tmp_path, "--jobs", "2") == alone
    # Loaded here, before the pool forked, for the workers to share.
    assert language._identifier.cache_info().currsize == 1
    language._identifier.cache_clear()
    assert _check_in_process(tmp_path, "--jobs", "2") == alone
    assert language._identifier.cache_info().currsize == 0  # every page came from the cache
    for name in ("p05.html", "p20.html"):  # a cached run of pages, then pages to lint
        (tmp_path / name).write_text(CLEAN, encoding="utf-8")
    assert _check_in_process(tmp_path, "--jobs", "2") == _check_in_process(
        tmp_path, "--jobs", "1", "--no-cache"
    )


def test_site_index_waits_for_stale_pages_and_summaries_stay_fresh(tmp_path, monkeypatch):
    from trustlint import runner
    from trustlint.cache import Cache

    site = tmp_path / "site"
    site.mkdir()
    pages = [site / f"p{i:02d}.html" for i in range(20)]
    for page in pages:
        page.write_text('<a href="index.html">Home</a>', encoding="utf-8")
    cache = Cache(tmp_path / "cache", "run")
    index_key = cache.key("site-index:" + site.as_posix(), b"")
    written = []
    put = Cache.put

    def counted(self, key, *args):
        written.append(key)
        put(self, key, *args)

    monkeypatch.setattr(Cache, "put", counted)

    def summaries():
        written.clear()
        found = runner._summaries(pages, site, cache, 1)
        assert found == runner._summaries(pages, site, None, 1)  # never out of date
        return [s.channels for s in found], written.count(index_key)

    assert summaries() == ([set()] * 20, 1)  # the first run writes the index
    assert summaries()[1] == 0
    pages[3].write_text('<a href="mailto:a@example.com">Mail</a>', encoding="utf-8")
    channels, rewrites = summaries()
    assert channels[3] == {"mailto"} and rewrites == 0  # one stale page: left in the index
    assert summaries()[0][3] == {"mailto"}
    for page in pages[: runner.INDEX_STALE_PAGES + 1]:
        page.write_text('<a href="tel:+4930123">Call</a>', encoding="utf-8")
    channels, rewrites = summaries()
    assert channels[0] == {"tel"} and rewrites == 1
    assert summaries()[1] == 0
