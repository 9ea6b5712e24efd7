"""The document model: source text, line index, prose blocks and their source map.

Offsets into the decoded source are the truth; lines and columns are derived late.
Loaders (``trustlint.loaders``) build documents; rules only read them.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from trustlint.model import Position, Span

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Scopes a block can have. Attribute text gets ``attr.<name>``.
BLOCK_SCOPES = (
    "heading",
    "paragraph",
    "list-item",
    "table-cell",
    "quote",
    "caption",
    "label",
    "button",
    "link",
    "legend",
    "option",
    "summary",
    "attr.placeholder",
    "attr.title",
    "attr.alt",
    "attr.aria-label",
)


class LineIndex:
    """Line starts after ``\\n``, ``\\r\\n`` and a lone ``\\r``; positions by bisection."""

    __slots__ = ("_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        starts = [0]
        i = 0
        find_n, find_r = text.find, text.find
        n = len(text)
        # Fast path: most files only use \n.
        if "\r" not in text:
            pos = find_n("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find_n("\n", pos + 1)
        else:
            while i < n:
                r = find_r("\r", i)
                nl = find_n("\n", i)
                if r == -1 and nl == -1:
                    break
                if r != -1 and (nl == -1 or r < nl):
                    i = r + 2 if text.startswith("\n", r + 1) else r + 1
                else:
                    i = nl + 1
                starts.append(i)
        self._starts = starts

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def position(self, offset: int) -> Position:
        offset = max(0, min(offset, len(self._text)))
        line = bisect.bisect_right(self._starts, offset) - 1
        return Position(line + 1, offset - self._starts[line] + 1)

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based ``line``."""
        return self._starts[max(0, min(line, len(self._starts)) - 1)]

    def _bounds(self, line: int) -> tuple[int, int]:
        """Start and end offsets of 1-based ``line``, its line break left out."""
        idx = max(0, min(line, len(self._starts)) - 1)
        start = self._starts[idx]
        end = self._starts[idx + 1] if idx + 1 < len(self._starts) else len(self._text)
        text = self._text
        while end > start and text[end - 1] in "\r\n":
            end -= 1
        return start, end

    def line_length(self, line: int) -> int:
        start, end = self._bounds(line)
        return end - start

    def line_text(self, line: int, lo: int = 0, hi: int | None = None) -> str:
        """The text of 1-based ``line`` without its line break (``[lo:hi]`` of it)."""
        start, end = self._bounds(line)
        return self._text[start + lo : end if hi is None else min(end, start + hi)]


@dataclass(eq=False)
class Block:
    """A unit of prose (a paragraph, a label, a button, an alt text...).

    ``text`` is what a reader sees: entities decoded, tags dropped, code masked.
    ``pieces`` map it back to the source: ``(text_index, src_start, src_end)``, sorted;
    a piece whose text and source lengths are equal maps character by character,
    any other piece (an entity, a dropped tag) maps as a whole.
    """

    scope: str
    text: str
    pieces: tuple[tuple[int, int, int], ...]
    tag: str = ""  # the element that made the block ('p', 'li', 'input'...) or ''
    lang: str | None = None  # resolved natural language
    lang_attr: str | None = None  # language declared in the markup, if any
    heading_level: int = 0
    _text_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._text_starts = [p[0] for p in self.pieces]

    @property
    def source_start(self) -> int:
        return self.pieces[0][1] if self.pieces else 0

    @property
    def source_end(self) -> int:
        return self.pieces[-1][2] if self.pieces else 0

    def _piece(self, index: int) -> tuple[int, int, int, int]:
        k = max(0, bisect.bisect_right(self._text_starts, index) - 1)
        t0, s0, s1 = self.pieces[k]
        t1 = self.pieces[k + 1][0] if k + 1 < len(self.pieces) else len(self.text)
        return t0, t1, s0, s1

    def source_offset(self, index: int) -> int:
        """Source offset of the character at text ``index``."""
        if not self.pieces:
            return 0
        t0, t1, s0, s1 = self._piece(index)
        if t1 - t0 == s1 - s0:
            return s0 + (index - t0)
        return s0

    def to_span(self, start: int, end: int) -> Span:
        """Source span of ``text[start:end]`` (end exclusive)."""
        if not self.pieces:
            return Span(0, 0)
        begin = self.source_offset(start)
        if end <= start:
            return Span(begin, begin)
        t0, t1, s0, s1 = self._piece(end - 1)
        stop = s0 + (end - t0) if t1 - t0 == s1 - s0 else s1
        return Span(begin, max(begin, stop))


@dataclass(frozen=True, slots=True)
class Comment:
    """A markup comment, kept for suppression directives."""

    start: int
    end: int
    body: str


@dataclass(frozen=True, slots=True)
class IgnoreRegion:
    """An element with ``data-trustlint-ignore``: findings inside it are suppressed."""

    start: int
    end: int
    selectors: tuple[str, ...]
    tag_start: int  # where the attribute itself sits, for reporting unknown codes
    tag_end: int


class Document:
    """One checked file. Heavy parts (tree, blocks) are built lazily by the loader."""

    def __init__(
        self,
        path: str,
        kind: str,
        source: str,
        *,
        encoding: str = "utf-8",
        default_lang: str | None = None,
    ) -> None:
        self.path = path
        self.kind = kind  # html | markdown | text
        self.source = source
        self.encoding = encoding
        self.default_lang = default_lang  # from --lang or config
        self.front_matter: dict[str, Any] = {}
        self._loader: Any = None  # set by the loader; builds blocks/tree on demand

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.source)

    @cached_property
    def blocks(self) -> list[Block]:
        blocks = self._loader.blocks(self) if self._loader else []
        from trustlint.language import assign_languages

        assign_languages(blocks, self.default_lang)
        return blocks

    @cached_property
    def comments(self) -> list[Comment]:
        return self._loader.comments(self) if self._loader else []

    @cached_property
    def ignore_regions(self) -> list[IgnoreRegion]:
        return self._loader.ignore_regions(self) if self._loader else []

    @cached_property
    def tree(self) -> HtmlElement | None:
        """The lxml tree of an HTML document (browser-like repair), else None."""
        return self._loader.tree(self) if self._loader else None

    def element_span(self, element: HtmlElement) -> Span:
        """The start tag of ``element``: from ``<`` to the closing ``>``."""
        return self._loader.element_span(self, element)

    def languages(self) -> set[str]:
        return {b.lang for b in self.blocks if b.lang}

    def texts_by_lang(self, scopes: frozenset[str] | None) -> dict[str | None, str]:
        """The text of the blocks in ``scopes``, joined per language (memoised): lets a
        word-list rule rule out a whole page with one search per language."""
        memo = self.__dict__.setdefault("_texts_by_lang", {})
        if scopes not in memo:
            parts: dict[str | None, list[str]] = {}
            for block in self.iter_blocks(scopes):
                parts.setdefault(block.lang, []).append(block.text)
            memo[scopes] = {lang: "\n\n".join(texts) for lang, texts in parts.items()}
        return memo[scopes]

    def iter_blocks(
        self, scopes: frozenset[str] | None = None, langs: frozenset[str] | None = None
    ) -> Iterator[Block]:
        for block in self.blocks:
            if scopes is not None and not _scope_matches(block.scope, scopes):
                continue
            if langs is not None and block.lang not in langs:
                continue
            yield block

    def span_position(self, span: Span) -> tuple[Position, Position]:
        return self.lines.position(span.start), self.lines.position(span.end)


def _scope_matches(scope: str, wanted: frozenset[str]) -> bool:
    if scope in wanted:
        return True
    head = scope.split(".", 1)[0]
    return head in wanted
