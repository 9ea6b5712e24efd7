"""The findings of a long run, kept in a temporary file until the report reads them.

A run over 10,000 pages collects about 120,000 findings, near 1 KB each in memory (the
source line kept for display is half of it): most of what the parent process grew by
during the run (113 -> 255 MB while its workers linted 10,000 pages; 162 MB with the
spool). Once a run has more than ``SPOOL_AFTER`` findings, each file's findings are
pickled to one temporary file as they arrive, and read back a file at a time, in
report order, whenever the report walks them (reporters walk them two or three
times: counts, then the findings).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from operator import attrgetter

from trustlint.model import Finding

SPOOL_AFTER = 20_000  # findings held in memory before the rest go to disk

_path = attrgetter("path")


class Collector:
    """Findings as files finish; ``findings()`` gives them sorted as the report wants."""

    def __init__(self, spool_after: int | None = None) -> None:
        self._spool_after = SPOOL_AFTER if spool_after is None else spool_after
        self._held: list[Finding] = []
        self._spooled: _Spooled | None = None

    def add(self, findings: Iterable[Finding]) -> None:
        if self._spooled is not None:
            self._spooled.write(findings)
            return
        self._held.extend(findings)
        if len(self._held) > self._spool_after:
            self._spooled = _Spooled()
            self._spooled.write(self._held)
            self._held = []

    def findings(self) -> Sequence[Finding]:
        if self._spooled is None:
            self._held.sort(key=Finding.sort_key)
            return self._held
        return self._spooled.finished()


class _Spooled(Sequence):
    """Pickled lists of one path's findings in a temporary file, with an index."""

    def __init__(self) -> None:
        import tempfile  # a run that spools nothing does not import it

        # Lives as long as the findings do; the system removes it when it is closed.
        self._file = tempfile.TemporaryFile()  # noqa: SIM115
        self._chunks: list[tuple[str, int, int, int]] = []  # path, order, offset, size
        self._count = 0

    def write(self, findings: Iterable[Finding]) -> None:
        for path, group in groupby(sorted(findings, key=Finding.sort_key), key=_path):
            kept = list(group)
            data = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
            offset = self._file.seek(0, 2)
            self._file.write(data)
            self._chunks.append((path, len(self._chunks), offset, len(data)))
            self._count += len(kept)

    def finished(self) -> _Spooled:
        self._chunks.sort()  # by path, then in the order written
        self._file.flush()
        return self

    def __iter__(self) -> Iterator[Finding]:
        # Findings sort by path first, so each path's chunks, merged, come in turn.
        for _, chunks in groupby(self._chunks, key=lambda chunk: chunk[0]):
            found: list[Finding] = []
            for _, _, offset, size in chunks:
                self._file.seek(offset)
                found.extend(pickle.loads(self._file.read(size)))
            found.sort(key=Finding.sort_key)  # stable: chunks were read in written order
            yield from found

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        return list(self)[index]  # reads every finding: for tests, not for reporters
