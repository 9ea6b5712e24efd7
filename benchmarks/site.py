"""Site mode at scale: a generated site of N pages, checked as a site and page by page.

    python benchmarks/site.py [--pages 2000] [--keep DIR]

Writes a shop-like site (nav and footer on every page, a contact page, an imprint, a
privacy notice, product pages in folders with clean URLs, a sign-up form on some
pages) and times, in one run:

- page mode: ``trustlint check --no-cache <every file>`` (no site root);
- site mode: ``trustlint check --no-cache <folder>`` (the link graph and site rules);
- a pre-commit run: two changed pages with ``--site-root`` after one warm run, so the
  other pages' summaries come from the cache;
- peak memory (max RSS of the child) of the site-mode run.

Nothing here is a test; record the figures with the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import ENV

PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{title}</title></head>
<body>
<header><nav><a href="/">Home</a> <a href="/shop/">Shop</a> <a href="/about/">About us</a>
<a href="/contact/">Contact</a></nav></header>
<main>
<h1>{title}</h1>
<p>{body}</p>
{extra}
</main>
<footer><a href="/impressum/">Impressum</a> <a href="/privacy/">Privacy policy</a>
<a href="/contact/">Contact</a> <address>Lindenhof GmbH, Werkhofstrasse 14, 10997 Berlin</address>
</footer>
</body>
</html>
"""
BODY = (
    "Loose-leaf tea from small farms, packed by hand in Berlin. We ship within two days "
    "and you can return any tea within 30 days, no questions asked."
)
FORM = """<form action="/signup" method="post">
<label for="e{n}">Email</label> <input id="e{n}" name="email" type="email" autocomplete="email">
<label><input type="checkbox" name="news"> Send me the monthly letter</label>
<p><a href="/privacy/">How we use your email</a>. Unsubscribe with one click.</p>
<button>Sign up</button>
</form>"""


def write_site(root: Path, pages: int) -> list[Path]:
    fixed = {
        "index.html": ("Lindenhof Tea", ""),
        "shop/index.html": ("Shop", ""),
        "about/index.html": ("About us", ""),
        "contact/index.html": ("Contact", "<p>Write to hello@lindenhof.example.</p>"),
        "impressum/index.html": ("Impressum", "<p>Lindenhof GmbH, HRB 12345</p>"),
        "privacy/index.html": ("Privacy policy", "<p>We keep your email to send the letter.</p>"),
    }
    written = []
    for rel, (title, extra) in fixed.items():
        written.append(_write(root / rel, title, extra))
    for n in range(pages - len(fixed)):
        links = " ".join(f'<a href="/shop/tea-{(n + k) % pages}/">Tea {k}</a>' for k in (1, 7, 31))
        extra = f"<p>{links}</p>" + (FORM.format(n=n) if n % 10 == 0 else "")
        written.append(_write(root / f"shop/tea-{n}/index.html", f"Tea {n}", extra))
    return written


def _write(path: Path, title: str, extra: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAGE.format(title=title, body=BODY, extra=extra), encoding="utf-8")
    return path


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and the child's peak memory in MB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    began = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    wall = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--jobs", default=None, help="passed to --jobs (default: all cores)")
    parser.add_argument("--keep", type=Path, help="write the site here and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="trustlint-site-"))
    files = write_site(root / "site", args.pages)
    exe = [sys.executable, "-m", "trustlint", "check", "--format", "json"]
    if args.jobs:
        exe += ["--jobs", str(args.jobs)]
    python = platform.python_version()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {python}")
    print(f"site: {len(files)} pages in {root / 'site'}")
    rel = [str(p.relative_to(root)) for p in files]
    page_mode, _ = timed([*exe, "--no-cache", *rel], root)
    site_mode, peak = timed([*exe, "--no-cache", "site"], root)
    cache = ["--cache-dir", str(root / "cache")]
    timed([*exe, *cache, "site"], root)  # warm the cache
    changed = files[len(files) // 2], files[-1]
    for path in changed:
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    two = [str(p.relative_to(root)) for p in changed]
    precommit, _ = timed([*exe, *cache, "--site-root", "site", *two], root)
    print(f"page mode, every file:        {page_mode:7.2f} s")
    print(f"site mode, the folder:        {site_mode:7.2f} s  ({site_mode / page_mode:.2f}x)")
    print(f"pre-commit, 2 changed pages:  {precommit:7.2f} s  (site summaries from the cache)")
    print(f"peak memory, site mode:       {peak:7.0f} MB")
    if args.keep is None:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
