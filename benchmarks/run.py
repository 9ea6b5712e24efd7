"""Speed benchmark: the parser's floor and trustlint, side by side in one run.

    python benchmarks/run.py [FOLDER] [--repeat N] [--scaling] [--peers DIR]
                             [--memory PAGES [--memory-only]] [--rounds N]
                             [--startup-only]

FOLDER defaults to the 954 formasaurus pages of the evaluation corpus
(``bash ../shared/eval/get_corpus.sh``). Prints wall times and the ratio of each
trustlint run to the floor: a bare ``lxml.html`` parse with text extraction of the same
files. Runs: one process (``--jobs 1 --no-cache``), all cores, and a second run over
unchanged files with the cache. Start-up is measured against
``python -c "import bs4, lxml.html, click"`` (the floor issue 6 sets; bs4 comes with
``pip install ".[bench]"``) and ``import lxml.html, click``, with and without the
cache (a page changed since the last run, as in pre-commit); ``--rounds N`` also times
that page in N runs alternating with the floor and prints the medians, and
``--startup-only`` skips the corpus. ``--scaling`` also times 1x, 2x and 4x copies of
the corpus (pages renamed, so the cache cannot help). ``--peers DIR`` times
html-validate and HTMLHint (``npm install --prefix DIR html-validate htmlhint``) on the
same files, and proselint (``DIR/venv/bin/proselint``) on the same text.
``--memory N`` runs trustlint (all cores, no cache, JSON) on N pages, the corpus
repeated under new names, and prints its wall time and peak memory: the largest
resident size of one process, and the sum over the processes of their proportional
set size (a page the workers share with the parent counted once), read from /proc.
Nothing here is a test: the numbers depend on the machine, so record them with it.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPUS = (
    Path(os.environ.get("CORPUS_DIR", Path.home() / ".cache" / "trustlint-corpus"))
    / "pypi/formasaurus-0.10.0/formasaurus/data/html"
)
SUFFIXES = {".html", ".htm", ".xhtml"}


def html_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES)


def floor(files: list[Path]) -> float:
    """A bare lxml parse and text extraction: the least any HTML linter must do."""
    import lxml.html

    began = time.perf_counter()
    for path in files:
        data = path.read_bytes()
        try:
            root = lxml.html.document_fromstring(data)
        except Exception:  # empty or unparsable pages cost the same for everyone
            continue
        root.text_content()
    return time.perf_counter() - began


# Users' installs keep compiled bytecode; a shell that forbids writing it would time
# Python's compiler instead of trustlint.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def wall(cmd: list[str], cwd: Path | None = None) -> float:
    began = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    return time.perf_counter() - began


def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parent = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        todo.extend(children.get(found[-1], []))
    return found


def _kb(pid: int, name: str, field: str) -> int:
    try:
        with open(f"/proc/{pid}/{name}") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory(cmd: list[str]) -> tuple[float, float, float]:
    """Wall seconds, the peak resident MB of one process and the peak sum of the
    processes' proportional set sizes (MB), polled four times a second."""
    began = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    one = shared = 0
    while proc.poll() is None:
        pids = _tree(proc.pid)
        one = max([one, *(_kb(p, "status", "VmRSS") for p in pids)])
        shared = max(shared, sum(_kb(p, "smaps_rollup", "Pss") for p in pids))
        time.sleep(0.25)
    return time.perf_counter() - began, one / 1024, shared / 1024


def best(times: list[float]) -> float:
    return min(times)


def edited(exe: list[str], page: Path, repeat: int) -> float:
    return best(alternating(exe, page, None, repeat)[1])


def alternating(
    exe: list[str], page: Path, floor_cmd: list[str] | None, rounds: int
) -> tuple[list[float], list[float]]:
    """Runs of ``floor_cmd`` (if given) and of a pre-commit check, in turn: the page
    changed since the last run (its result is not in the cache), the cache otherwise
    warm (parsed dictionaries, other pages). On a machine whose speed moves, medians of
    interleaved runs compare better than the best of each taken minutes apart."""
    floors, checks = [], []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / page.name
        text = page.read_text(encoding="utf-8")
        for run in range(rounds + 1):
            if run and floor_cmd:
                floors.append(wall(floor_cmd))
            copy.write_text(f"{text}<!-- edit {run} -->\n", encoding="utf-8")
            seconds = wall([*exe, "check", copy.name], cwd=Path(tmp))
            if run:  # the first run fills the cache
                checks.append(seconds)
    return floors, checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scaling", action="store_true")
    parser.add_argument("--peers", type=Path)
    parser.add_argument("--memory", type=int, metavar="PAGES")
    parser.add_argument("--memory-only", action="store_true", help="skip the speed runs")
    parser.add_argument(
        "--rounds",
        type=int,
        default=0,
        help="also time the changed page in N rounds alternating with the import floor",
    )
    parser.add_argument("--startup-only", action="store_true", help="skip the corpus runs")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    if args.startup_only:
        startup(args)
        return
    if not args.folder.is_dir():
        sys.exit(f"benchmark: {args.folder} is missing; run ../shared/eval/get_corpus.sh")
    files = html_files(args.folder)
    size = sum(p.stat().st_size for p in files) / 1e6
    exe = [sys.executable, "-m", "trustlint"]
    print(f"corpus: {len(files)} HTML files, {size:.1f} MB in {args.folder}")

    check = [*exe, "check", "--fail-on", "error", "--format", "json"]
    if args.memory:
        with tempfile.TemporaryDirectory() as tmp:
            for n in range(args.memory):
                path = files[n % len(files)]
                copy = Path(tmp) / f"{n // len(files)}-{path.name}"
                try:
                    os.link(path, copy)
                except OSError:  # another file system
                    shutil.copyfile(path, copy)
            seconds, one, shared = memory([*check, "--no-cache", tmp])
        print(
            f"{args.memory} pages, all cores: {seconds:.1f} s; peak memory {one:.0f} MB in one "
            f"process, {shared:.0f} MB over all (proportional set size)"
        )
        if args.memory_only:
            return

    rows: list[tuple[str, float, float | None]] = []
    base = best([floor(files) for _ in range(args.repeat)])
    rows.append(("floor: lxml parse + text", base, None))
    one = best([wall([*check, "--jobs", "1", "--no-cache", str(args.folder)]) for _ in range(1)])
    rows.append(("trustlint, one process, no cache (all default rules)", one, base))
    cores = best([wall([*check, "--no-cache", str(args.folder)]) for _ in range(1)])
    rows.append((f"trustlint, --jobs {os.cpu_count()} (all cores), no cache", cores, base))
    with tempfile.TemporaryDirectory() as tmp:
        cache = ["--cache-dir", tmp]
        first = wall([*check, *cache, str(args.folder)])
        second = wall([*check, *cache, str(args.folder)])
    rows.append(("trustlint, cache: first run", first, None))
    rows.append(("trustlint, cache: second run, unchanged files", second, first))

    if args.scaling:
        for times in (1, 2, 4):
            with tempfile.TemporaryDirectory() as tmp:
                for copy in range(times):
                    for path in files:
                        shutil.copyfile(path, Path(tmp) / f"{copy}-{path.name}")
                seconds = wall([*check, "--no-cache", tmp])
            rows.append(
                (f"scaling: {times}x the corpus ({times * len(files)} pages)", seconds, None)
            )

    if args.peers:
        bin_dir = args.peers / "node_modules" / ".bin"
        names = [str(p) for p in files]
        for peer in ("html-validate", "htmlhint"):
            if (bin_dir / peer).exists():
                rows.append((f"peer: {peer}", wall([str(bin_dir / peer), *names]), base))
        proselint = args.peers / "venv" / "bin" / "proselint"
        if proselint.exists():
            with tempfile.TemporaryDirectory() as tmp:
                texts = []
                import lxml.html

                for path in files:
                    try:
                        text = lxml.html.document_fromstring(path.read_bytes()).text_content()
                    except Exception:
                        continue
                    out = Path(tmp) / (path.stem + ".txt")
                    out.write_text(text, encoding="utf-8")
                    texts.append(str(out))
                began = time.perf_counter()
                for start in range(0, len(texts), 200):
                    subprocess.run(
                        [str(proselint), "check", *texts[start : start + 200]],
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                rows.append(("peer: proselint (page text)", time.perf_counter() - began, base))

    startup(args, rows)


def startup(args, rows: list | None = None) -> None:
    """Start-up rows (one small page, with and without the cache, ``--version``)
    against the import floors, printed with ``rows`` (the corpus runs) before them."""
    rows = rows if rows is not None else []
    exe = [sys.executable, "-m", "trustlint"]
    small = Path(__file__).parent.parent / "examples" / "site" / "contact.html"
    wall([*exe, "check", "--no-cache", str(small)])  # writes the bytecode once
    # The floor issue 6 sets imports bs4, which trustlint no longer uses (pip install
    # ".[bench]"); the floor of trustlint's own HTML dependencies is shown beside it.
    html_floor = best(
        [wall([sys.executable, "-c", "import lxml.html, click"]) for _ in range(args.repeat)]
    )
    try:
        import bs4  # noqa: F401

        imports = best(
            [
                wall([sys.executable, "-c", "import bs4, lxml.html, click"])
                for _ in range(args.repeat)
            ]
        )
        rows.append(("floor: import bs4, lxml.html, click", imports, None))
    except ImportError:
        print('(bs4 is not installed: pip install ".[bench]" for the floor of issue 6)')
        imports = html_floor
    rows.append(("floor: import lxml.html, click", html_floor, None))
    small_page = best([wall([*exe, "check", "--no-cache", str(small)]) for _ in range(args.repeat)])
    changed = edited(exe, small, args.repeat)
    rows.append(("trustlint check one small page", small_page, imports))
    rows.append(("trustlint check one changed page, cache on", changed, imports))
    rows.append(("  the same, against import lxml.html, click", changed, html_floor))
    bare = best([wall([sys.executable, "-c", "import trustlint"]) for _ in range(args.repeat)])
    rows.append(("floor: python -c 'import trustlint'", bare, None))
    rows.append(
        ("trustlint --version", best([wall([*exe, "--version"]) for _ in range(args.repeat)]), bare)
    )

    print_rows(rows)
    if args.rounds:
        floor_cmd = [sys.executable, "-c", "import bs4, lxml.html, click"]
        if imports is html_floor:
            floor_cmd = [sys.executable, "-c", "import lxml.html, click"]
        floors, checks = alternating(exe, small, floor_cmd, args.rounds)
        mid_floor, mid_check = statistics.median(floors), statistics.median(checks)
        print(
            f"{args.rounds} rounds alternating `{floor_cmd[-1]}` and the changed page: "
            f"medians {mid_floor:.3f} s and {mid_check:.3f} s ({mid_check / mid_floor:.2f}x), "
            f"best {min(floors):.3f} s and {min(checks):.3f} s ({min(checks) / min(floors):.2f}x)"
        )


def print_rows(rows: list[tuple[str, float, float | None]]) -> None:
    width = max(len(r[0]) for r in rows)
    for name, seconds, against in rows:
        ratio = f"{seconds / against:5.2f}x" if against else "     -"
        print(f"{name:<{width}}  {seconds:8.3f} s  {ratio}")


if __name__ == "__main__":
    main()
