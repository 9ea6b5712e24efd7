"""Results cache: a file's findings, reused while nothing that shapes them has changed.

An entry's key hashes the file's bytes and displayed path with a fingerprint of the run:
trustlint's version and installed source files, the resolved configuration, the rule
options, every rule pack's content and every plugin's version. Change any of them and
the key changes, so a result is never stale; old entries are simply not read again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from trustlint.model import FileError

T = TypeVar("T")

DEFAULT_DIR = ".trustlint_cache"
FORMAT = "v2"  # v2: findings keep an excerpt of long lines

# Where what trustlint derives from its own files and dictionaries is kept between
# runs: parsed hyphenation dictionaries (Pyphen parses German in 0.37 s, a pickle loads
# in 0.03 s), the CMU lines as one sorted string, parsed rule packs, and the literal
# screens of the packs' patterns and of the lazy patterns (``lazyre``). ``job.prepare``
# and the runner set it to the run's ``Cache.by_version()`` when caching is on.
derived: Cache | None = None


def kept(name: str, stamp: bytes, compute: Callable[[], T], kind: type) -> T:
    """``compute()``, kept in ``derived`` between runs under ``name`` and ``stamp`` (the
    data it is computed from); computed again when caching is off, or when what was kept
    is missing, unreadable or not a ``kind``."""
    store = derived
    if store is None:
        return compute()
    key = store.key(name, stamp)
    known = store.get(key)
    if isinstance(known, kind):
        return known
    value = compute()
    store.put(key, value)
    return value


def file_stamp(path: str | os.PathLike) -> bytes | None:
    """What tells a file's versions apart without reading it: path, size and mtime."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{os.fspath(path)}|{st.st_size}|{st.st_mtime_ns}".encode("utf-8", "surrogatepass")


def fingerprint(parts: Iterable[Any]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


@functools.cache  # the code this process runs: read once (the cache key and by_version)
def source_stamp() -> tuple[tuple[str, int, int], ...]:
    """trustlint's own files by size and mtime: an edited checkout is a new version."""
    import trustlint

    root = Path(trustlint.__file__).parent
    stamp = []
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".toml"):
            st = path.stat()
            stamp.append((path.relative_to(root).as_posix(), st.st_size, st.st_mtime_ns))
    return tuple(stamp)


def run_fingerprint(config: Any, options: Any, registry: Any) -> str:
    from trustlint import __version__
    from trustlint.registry import plugin_entry_points

    packs = sorted({r.meta.origin for r in registry.values() if r.meta.origin.startswith("pack:")})
    pack_data = []
    for origin in packs:
        path = Path(origin[len("pack:") :])
        if path.is_file():
            pack_data.append((origin, hashlib.sha256(path.read_bytes()).hexdigest()))
    plugins = sorted(
        (ep.name, ep.value, ep.dist.version if ep.dist else "") for ep in plugin_entry_points()
    )
    settings = {k: v for k, v in vars(config).items() if k not in ("cache_dir", "path", "root")}
    return fingerprint(
        [
            FORMAT,
            __version__,
            source_stamp(),
            sorted(settings.items(), key=lambda kv: kv[0]),
            json.dumps(options, sort_keys=True, default=repr),
            pack_data,
            plugins,
        ]
    )


class Cache:
    def __init__(self, folder: Path, run_key: str) -> None:
        self.folder = folder / FORMAT
        self.run_key = run_key
        self._ready = False

    def by_version(self) -> Cache:
        """The same folder, keyed only by trustlint's version and source: a page's site
        summary and a parsed hyphenation dictionary do not depend on the config, so
        every run (a folder, or two files with --site-root) shares them."""
        from trustlint import __version__

        return Cache(self.folder.parent, fingerprint([FORMAT, __version__, source_stamp()]))

    def salted(self, salt: str) -> Cache:
        """The same folder, with keys that also depend on ``salt``."""
        return Cache(self.folder.parent, fingerprint([self.run_key, salt]))

    def key(self, display: str, data: bytes) -> str:
        digest = hashlib.sha256(self.run_key.encode())
        digest.update(display.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get(self, key: str) -> Any:
        try:
            with self._path(key).open("rb") as fh:
                return pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None  # missing or unreadable: lint again

    def put(self, key: str, findings: Any, errors: list[FileError] = ()) -> None:
        """Store ``(findings, errors)``; a single value when ``errors`` is not given."""
        if any(e.crash for e in errors):
            return  # a crash is worth reporting again, not remembering
        value = (findings, list(errors)) if isinstance(findings, list) else findings
        path = self._path(key)
        try:
            if not self._ready:
                self.folder.mkdir(parents=True, exist_ok=True)
                ignore = self.folder.parent / ".gitignore"
                if not ignore.exists():
                    ignore.write_text("# Created by trustlint\n*\n", encoding="utf-8")
                self._ready = True
            path.parent.mkdir(exist_ok=True)
            import tempfile  # only runs that write to the cache need it

            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # atomic: a parallel worker never reads half a file
        except OSError:
            pass  # a read-only tree still gets linted, only not cached
