"""Where the time goes: one process, no cache, each rule and each loading stage timed.

    python benchmarks/where.py [FOLDER] [-- extra trustlint check options]

Runs ``trustlint check --jobs 1 --no-cache FOLDER`` in this process with timers around
each rule, the HTML loader (tree, text blocks), language assignment and the site
summaries, and prints them, slowest first, in milliseconds per page. The total is the
wall time of the whole run, report included. Nothing here is a test.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from pathlib import Path

from run import CORPUS

SPENT: dict[str, float] = defaultdict(float)


def timed(name: str, fn):
    def wrapper(*args, **kwargs):
        began = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[name] += time.perf_counter() - began

    return wrapper


def main() -> None:
    argv = sys.argv[1:]
    folder = Path(argv.pop(0)) if argv and not argv[0].startswith("-") else CORPUS
    extra = argv[1:] if argv[:1] == ["--"] else argv
    from click.testing import CliRunner

    from trustlint import document, engine, language, runner
    from trustlint.cli import cli
    from trustlint.loaders import html as html_loader

    def run_rule(doc, rule, ctx, settings, _inner=engine._run_rule):
        began = time.perf_counter()
        try:
            return _inner(doc, rule, ctx, settings)
        finally:
            SPENT[f"rule {rule.meta.code} {rule.meta.name}"] += time.perf_counter() - began

    engine._run_rule = run_rule
    html_loader.HtmlLoader.tree = timed("load: lxml tree", html_loader.HtmlLoader.tree)
    html_loader.HtmlLoader.blocks = timed("load: text blocks", html_loader.HtmlLoader.blocks)
    html_loader.HtmlLoader.element_span = timed(
        "load: element spans", html_loader.HtmlLoader.element_span
    )
    assign = timed("load: languages", language.assign_languages)
    language.assign_languages = assign
    runner._compute_summaries = timed("site: summaries", runner._compute_summaries)
    engine.make_finding = timed("findings: positions", engine.make_finding)
    del document
    pages = sum(1 for p in folder.rglob("*") if p.suffix.lower() in {".html", ".htm"})
    began = time.perf_counter()
    result = CliRunner().invoke(
        cli, ["check", "--jobs", "1", "--no-cache", str(folder), *extra], catch_exceptions=False
    )
    total = time.perf_counter() - began
    print(f"{pages} pages, {total:.2f} s, {1000 * total / pages:.1f} ms per page")
    print(result.output.strip().splitlines()[-1])
    for name, seconds in sorted(SPENT.items(), key=lambda kv: -kv[1]):
        print(f"{1000 * seconds / pages:8.2f} ms  {name}")


if __name__ == "__main__":
    main()
