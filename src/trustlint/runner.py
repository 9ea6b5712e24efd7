"""From paths to a ``RunResult``: read, decode, lint and collect, file by file."""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from trustlint import cache as cache_module
from trustlint import lazyre
from trustlint.cache import Cache
from trustlint.engine import Settings, lint_document, prepare_site
from trustlint.errors import InputError
from trustlint.loaders import document_from_text, kind_of, load_document
from trustlint.model import FileError, Finding, RunResult, Severity
from trustlint.packs import schema as pack_schema

# Bigger inputs are refused with one line rather than read into memory.
DEFAULT_MAX_FILE_SIZE = 32 * 1024 * 1024
# Below this many files a process pool costs more than it saves.
MIN_FILES_PER_JOB = 8
# Pages whose site summary may be out of date in the cache's site index (see _summaries).
INDEX_STALE_PAGES = 8


def read_input(path: Path, max_size: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_size:
            raise InputError(
                f"file is {size / 1048576:.1f} MB, over the {max_size / 1048576:.0f} MB limit "
                "(raise it with --max-file-size)"
            )
        with path.open("rb") as fh:
            # What stat promised and one byte more: asking for the limit itself made
            # every read allocate a 32 MB buffer first.
            data = fh.read(size + 1)
            if len(data) > size:  # grown since, or a device or pipe: on to the limit
                data += fh.read(max_size + 1 - len(data))
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except FileNotFoundError:
        raise InputError("no such file or directory") from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from None
    if len(data) > max_size:
        raise InputError(
            f"file is over the {max_size / 1048576:.0f} MB limit (raise it with --max-file-size)"
        )
    return data


def lint_one(
    display: str, data: bytes | str, settings: Settings, kind: str | None = None
) -> tuple[list[Finding], list[FileError]]:
    try:
        if isinstance(data, str):
            doc = document_from_text(
                display,
                data,
                kind or kind_of(display, data[:512].encode()),
                default_lang=settings.default_lang,
            )
        else:
            doc = load_document(display, data, default_lang=settings.default_lang)
    except InputError as exc:
        return [], [FileError(display, str(exc))]
    return lint_document(doc, settings)


def run(
    files: Sequence[tuple[Path, str]],
    settings: Settings,
    *,
    fail_on: Severity = Severity.WARNING,
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    stdin: tuple[str, str] | None = None,
    errors: Sequence[FileError] = (),
    jobs: int = 1,
    cache: Cache | None = None,
    site_files: Sequence[Path] = (),
) -> RunResult:
    """Lint ``files`` (path, display name) and, if given, ``stdin`` (display, text)."""
    from trustlint.spool import Collector

    findings = Collector()  # a long run's findings wait on disk for the report
    all_errors = list(errors)
    checked: list[str] = []
    pack_schema.GATES["bulk"] = len(files) >= pack_schema.BULK_FILES
    lazyre.screening = not pack_schema.GATES["bulk"]
    cache_module.derived = cache.by_version() if cache is not None else None
    if stdin is not None:
        display, text = stdin
        checked.append(display)
        f, e = lint_one(display, text, settings)
        findings.add(f)
        all_errors.extend(e)
    if site_files and settings.site_root is not None:
        from trustlint.site import SiteGraph

        summary_cache = cache.by_version() if cache is not None else None
        settings.site = SiteGraph(_summaries(site_files, settings.site_root, summary_cache, jobs))
        if cache is not None:  # a page's findings now depend on every page of the site
            cache = cache.salted(settings.site.digest())
    for display, f, e in _lint_files(files, settings, max_file_size, jobs, cache):
        checked.append(display)
        findings.add(f)
        all_errors.extend(e)
    lazyre.keep_screens()
    return RunResult(
        findings=findings.findings(),
        files=checked,
        rules={code: r.meta for code, r in settings.registry.items()},
        errors=all_errors,
        fail_on=fail_on,
    )


def _lint_path(
    path: Path,
    display: str,
    settings: Settings,
    max_size: int,
    cache: Cache | None = None,
    *,
    cached_only: bool = False,
) -> tuple[str, list[Finding], list[FileError]] | None:
    """One file's results; with ``cached_only``, None unless the cache holds them."""
    try:
        data = read_input(path, max_size)
    except InputError as exc:
        return display, [], [FileError(display, str(exc))]
    key = cache.key(display, data) if cache is not None else ""
    if cache is not None and (hit := cache.get(key)) is not None:
        return (display, *hit)
    if cached_only:
        return None
    findings, errors = lint_one(display, data, settings)
    if cache is not None:
        cache.put(key, findings, errors)
    return display, findings, errors


# The settings a forked worker inherits: rules from packs are closures, which do not
# pickle, so workers get them by fork instead of by message.
_WORKER: tuple[Settings, int, Cache | None] | None = None


def _work(item: tuple[Path, str]) -> tuple[str, list[Finding], list[FileError]]:
    assert _WORKER is not None
    return _lint_path(*item, *_WORKER)


def _lint_files(
    files: Sequence[tuple[Path, str]],
    settings: Settings,
    max_size: int,
    jobs: int,
    cache: Cache | None,
) -> Iterator[tuple[str, list[Finding], list[FileError]]]:
    """Results in the order of ``files``, from one process or a pool of ``jobs``."""
    rest: Sequence[tuple[Path, str]] = files
    if jobs >= 2 and len(files) >= 2 * MIN_FILES_PER_JOB and _can_fork():
        # The first file that is not in the cache is linted here, after the language
        # model (90 MB) is loaded, and the enabled rules' whole-site tables are then
        # computed: what that takes (the model, the page's patterns and dictionaries,
        # the site's tables) is then shared with the workers by fork instead of
        # computed by each. Files before it come from the cache, in order.
        first = 0
        while cache is not None and first < len(files):
            hit = _lint_path(*files[first], settings, max_size, cache, cached_only=True)
            if hit is None:
                break
            yield hit
            first += 1
        rest = files[first:]
        if len(rest) >= 2 * MIN_FILES_PER_JOB:
            from trustlint.language import load_model, normalize_lang

            if normalize_lang(settings.default_lang) is None:  # else nothing is detected
                load_model()
            yield _lint_path(*rest[0], settings, max_size, cache)
            prepare_site(settings, rest[0][1])  # nothing outside site mode
            rest, jobs = rest[1:], min(jobs, len(rest) // MIN_FILES_PER_JOB)
            global _WORKER
            _WORKER = (settings, max_size, cache)
            # Frozen objects (the site graph above all) are left alone by the workers'
            # garbage collector, which would otherwise visit, and so copy, every one.
            gc.freeze()
            try:
                with _fork_pool(jobs) as pool:
                    chunk = max(1, len(rest) // (jobs * 16))
                    yield from pool.imap(_work, rest, chunksize=chunk)
            finally:
                gc.unfreeze()
                _WORKER = None
            return
    for path, display in rest:
        yield _lint_path(path, display, settings, max_size, cache)


def _can_fork() -> bool:
    # multiprocessing (with socket, selectors and pickle) is imported only by runs
    # that may use a pool: a few milliseconds of every pre-commit run otherwise.
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _fork_pool(jobs: int):
    import multiprocessing

    fix_mmap_threshold()
    return multiprocessing.get_context("fork").Pool(jobs)


# glibc's threshold above which malloc maps a block of its own, returned to the system
# when freed (its default, before glibc moves it).
MMAP_THRESHOLD = 128 * 1024


@functools.cache
def fix_mmap_threshold() -> bool:
    """Keep glibc's mmap threshold where it starts, for this process and the workers it
    forks; True if it was set.

    glibc raises the threshold each time such a block is freed, up to 32 MB: after a
    large page, later large blocks (a page's source, its parse, its text) come from the
    heap and leave it fragmented, and a worker of a long run keeps the peak. Fixed,
    10,000 pages over two workers took 23 MB less at the same speed. Left alone if the
    user set the threshold (``MALLOC_MMAP_THRESHOLD_`` or ``GLIBC_TUNABLES``), and
    outside glibc."""
    if "MALLOC_MMAP_THRESHOLD_" in os.environ or "mmap_threshold" in os.environ.get(
        "GLIBC_TUNABLES", ""
    ):
        return False
    try:
        if not (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc"):
            return False
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (ValueError, OSError, AttributeError):
        return False
    m_mmap_threshold = -3  # glibc's malloc.h
    return mallopt(m_mmap_threshold, MMAP_THRESHOLD) == 1


def site_page(path: Path, root: Path) -> str:
    """``path`` relative to the (real) site root, as ``Path.resolve`` would give it,
    with one lstat per file instead of one per folder level."""
    absolute = os.path.abspath(path)
    if os.path.islink(absolute):
        real = os.path.realpath(absolute)
    else:
        folder, name = os.path.split(absolute)
        real = os.path.join(_real_folder(folder), name)
    inside = os.path.join(str(root), "")
    if real.startswith(inside):
        return real[len(inside) :].replace(os.sep, "/")
    return Path(os.path.relpath(real, root)).as_posix()


@functools.lru_cache(maxsize=65536)
def _real_folder(folder: str) -> str:
    parent, name = os.path.split(folder)
    if not name or parent == folder or os.path.islink(folder):
        return os.path.realpath(folder)
    return os.path.join(_real_folder(parent), name)


def _summary(path: Path, root: Path, cache: Cache | None):
    """One page's site summary, from the cache when its bytes are unchanged."""
    from trustlint.loaders.decode import decode
    from trustlint.site import PageSummary, summarize

    page = site_page(path, root)
    try:
        data = read_input(path, DEFAULT_MAX_FILE_SIZE)
    except InputError:
        return PageSummary(page)  # the file's own error is reported when it is linted
    key = cache.key("site:" + page, data) if cache is not None else ""
    if cache is not None and (hit := cache.get(key)) is not None:
        return hit
    try:
        text, _ = decode(data, is_html=True)
    except InputError:
        return PageSummary(page)
    doc = document_from_text(page, text, "html")
    summary = summarize(doc.tree, page)
    summary.digest()  # hashed here, in parallel, and cached with the summary
    if cache is not None:
        cache.put(key, summary)
    return summary


_SITE_WORKER: tuple[Path, Cache | None] | None = None
SUMMARY_CHUNK = 32  # pages per task; 312 on 10,000 pages left 9 MB of holes, 32 left 1.5


def _summary_work(path: Path):
    assert _SITE_WORKER is not None
    from trustlint.site import share_links

    # Links shared here too (with those of the worker's earlier pages): a chunk of
    # results then pickles a menu link once, not once per page.
    return next(share_links([_summary(path, *_SITE_WORKER)]))


def _summaries(files: Sequence[Path], root: Path, cache: Cache | None, jobs: int) -> list:
    """Every page's summary. With a cache, one index file maps each page to its
    summary and the file's size, mtime, ctime and inode: a pre-commit run on two pages
    of a large site stats the others instead of reading and hashing them."""
    from trustlint.site import sharing_links

    with sharing_links():  # each link that pages repeat is read as one object
        return _read_summaries(files, root, cache, jobs)


def _read_summaries(files: Sequence[Path], root: Path, cache: Cache | None, jobs: int) -> list:
    _real_folder.cache_clear()  # folders may have moved since the last run
    if cache is None:
        return _compute_summaries(files, root, cache, jobs)
    index_key = cache.key("site-index:" + root.as_posix(), b"")
    index = cache.get(index_key)
    index = index if isinstance(index, dict) else {}
    found: list = [None] * len(files)
    fresh: dict = {}
    todo: list[tuple[int, str, tuple | None]] = []
    for number, path in enumerate(files):
        page = site_page(path, root)
        try:
            st = path.stat()
            stamp: tuple | None = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        except OSError:
            stamp = None
        entry = index.get(page)
        if stamp is not None and entry is not None and entry[0] == stamp:
            found[number] = entry[1]
            fresh[page] = entry
        else:
            todo.append((number, page, stamp))
    summaries = _compute_summaries([files[n] for n, _, _ in todo], root, cache, jobs)
    for (number, page, stamp), summary in zip(todo, summaries, strict=True):
        found[number] = summary
        if stamp is not None:
            fresh[page] = (stamp, summary)
    # Rewriting the index (all pages' summaries) took a quarter of a pre-commit run on
    # two pages of a 10,000-page site. A page left out of date in it costs the next run
    # a read, a hash and a cached summary, so the index waits for 1 % of the site.
    stale = len(todo) + len(index.keys() - fresh.keys())
    if stale > max(INDEX_STALE_PAGES, len(files) // 100) or (stale and not index):
        cache.put(index_key, fresh)
    return found


def _compute_summaries(files: Sequence[Path], root: Path, cache: Cache | None, jobs: int) -> list:
    from trustlint.site import share_links, sharing_links

    jobs = min(jobs, len(files) // MIN_FILES_PER_JOB)
    if jobs < 2 or not _can_fork():
        return list(share_links(_summary(p, root, cache) for p in files))
    global _SITE_WORKER
    _SITE_WORKER = (root, cache)
    try:
        with _fork_pool(jobs) as pool:
            # Small chunks: unpickling one keeps its links' arguments until it ends, and
            # those are freed among the summaries kept (holes, as in sharing_links).
            chunk = max(1, min(SUMMARY_CHUNK, len(files) // (jobs * 16)))
            with sharing_links():  # shared as they are unpickled: no second pass
                return list(pool.imap(_summary_work, files, chunksize=chunk))
    finally:
        _SITE_WORKER = None


def display_path(path: Path, cwd: Path | None = None) -> str:
    cwd = cwd or Path.cwd()
    try:
        return (
            Path(os.path.relpath(path, cwd)).as_posix() if path.is_absolute() else path.as_posix()
        )
    except ValueError:
        return path.as_posix()
