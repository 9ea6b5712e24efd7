"""Markdown loader: an offset-keeping block splitter.

Markdown needs no parser to be exact: what is not prose (front matter, code,
URLs, markup, HTML comments and tags) is masked with spaces of the same length,
so a block's text is the source slice itself and every offset maps one to one.
"""

from __future__ import annotations

import re

from trustlint.document import Block, Comment, Document, IgnoreRegion
from trustlint.loaders.text import COMMENT, URL

FRONT_MATTER = re.compile(
    r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)(?:\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S
)
FM_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$", re.M)
FENCE = re.compile(
    r"^(?P<indent>[ \t]{0,3})(?P<fence>`{3,}|~{3,})[^\n]*(?:\n|\Z)"
    r"(?:.*?(?:^[ \t]{0,3}(?P=fence)[`~]*[ \t]*(?:\r?\n|\Z))|.*\Z)",
    re.M | re.S,
)
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
ATX = re.compile(r"^( {0,3})(#{1,6})(?=\s|$)")
ATX_CLOSE = re.compile(r"\s#+\s*$")
SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
THEMATIC = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
LIST_ITEM = re.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+(?:\[[ xX]\][ \t]+)?|$)")
QUOTE = re.compile(r"^( {0,3}>[ \t]?)+")
TABLE_DELIM = re.compile(
    r"^\s*\|?\s*:?-{1,}:?\s*(?:\|\s*:?-{1,}:?\s*)+\|?\s*$|^\s*\|\s*:?-+:?\s*\|\s*$"
)
REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+.*$")
HTML_TAG = re.compile(r"</?[A-Za-z][^>\n]*>")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
AUTOLINK = re.compile(r"<(?:https?|mailto|ftp):[^>\s]*>|<[^@>\s]+@[^@>\s]+>")
LINK_TAIL = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|\]\[[^\]]*\]")
LINK_OPEN = re.compile(r"!?\[(?=[^\]]*\](?:\(|\[))")
EMPHASIS = re.compile(r"\*+|~~|(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9])")
ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~])")


def _blank(m: re.Match[str]) -> str:
    return re.sub(r"[^\r\n]", " ", m.group())


def _mask_inline(line: str) -> str:
    for pattern in (INLINE_CODE, AUTOLINK, HTML_TAG, LINK_OPEN, LINK_TAIL, URL, ESCAPE, EMPHASIS):
        line = pattern.sub(_blank, line)
    return line


def _mask_at(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] not in "\r\n":
            chars[i] = " "


class MarkdownLoader:
    def front_matter(self, source: str) -> dict[str, str]:
        m = FRONT_MATTER.match(source)
        if not m:
            return {}
        return {k.lower(): v.strip("'\"") for k, v in FM_KEY.findall(m.group(1))}

    def comments(self, doc: Document) -> list[Comment]:
        return [
            Comment(m.start(), m.end(), m.group()[4:].removesuffix("-->"))
            for m in COMMENT.finditer(doc.source)
        ]

    def ignore_regions(self, doc: Document) -> list[IgnoreRegion]:
        return []

    def tree(self, doc: Document):
        return None

    def element_span(self, doc: Document, element):
        raise TypeError("Markdown documents have no elements")

    def blocks(self, doc: Document) -> list[Block]:
        source = doc.source
        chars = list(source)
        fm = FRONT_MATTER.match(source)
        if fm:
            _mask_at(chars, 0, fm.end())
        for pattern in (FENCE, COMMENT):
            for m in pattern.finditer(source):
                _mask_at(chars, m.start(), m.end())
        masked = "".join(chars)
        lang = doc.front_matter.get("lang") or doc.front_matter.get("language")
        return list(self._split(masked, lang))

    def _split(self, masked: str, lang: str | None):
        current: list[tuple[int, str]] = []  # (offset, masked line) of the open block
        scope = "paragraph"
        in_table = False
        prev_blank = True

        def flush(kind: str = ""):
            nonlocal current, scope
            if current:
                start = current[0][0]
                text = "".join(line for _, line in current).rstrip("\r\n")
                if text.strip():
                    level = 0
                    if kind.startswith("heading"):
                        level = int(kind.split(".")[1])
                    block_scope = "heading" if kind.startswith("heading") else scope
                    yield Block(
                        block_scope,
                        text,
                        ((0, start, start + len(text)),),
                        tag="md",
                        lang_attr=lang,
                        heading_level=level,
                    )
            current = []
            scope = "paragraph"

        for m in LINE.finditer(masked):
            line = m.group()
            if not line:
                break
            at = m.start()
            body = line.rstrip("\r\n")
            if not body.strip():
                yield from flush()
                in_table = False
                prev_blank = True
                continue
            if prev_blank and not current and body.startswith(("    ", "\t")):
                continue  # indented code block
            setext = current and SETEXT.match(body)
            if REF_DEF.match(body) or (THEMATIC.match(body) and not setext):
                yield from flush()
                prev_blank = False
                continue
            if current and scope == "paragraph" and SETEXT.match(body):
                level = 1 if body.strip().startswith("=") else 2
                yield from flush(f"heading.{level}")
                prev_blank = False
                continue
            atx = ATX.match(body)
            if atx:
                yield from flush()
                chars = list(line)
                _mask_at(chars, 0, atx.end())
                close = ATX_CLOSE.search(body)
                if close:
                    _mask_at(chars, close.start(), close.end())
                current = [(at, _mask_inline("".join(chars)))]
                yield from flush(f"heading.{len(atx.group(2))}")
                prev_blank = False
                continue
            if TABLE_DELIM.match(body):
                # The row above was a table header: re-split it into cells.
                if current and "|" in current[-1][1]:
                    header = current.pop()
                    yield from flush()
                    yield from self._cells(header[0], header[1], lang)
                in_table = True
                prev_blank = False
                continue
            if in_table and "|" in body:
                yield from self._cells(at, line, lang)
                continue
            chars = list(line)
            quote = QUOTE.match(body)
            if quote:
                _mask_at(chars, 0, quote.end())
                if not current:
                    scope = "quote"
            item = LIST_ITEM.match("".join(chars))
            if item and not THEMATIC.match(body):
                yield from flush()
                _mask_at(chars, item.start(2), item.end())
                scope = "list-item"
            current.append((at, _mask_inline("".join(chars))))
            prev_blank = False
        yield from flush()

    def _cells(self, at: int, line: str, lang: str | None):
        masked = _mask_inline(line)
        for m in re.finditer(r"[^|\r\n]+", masked):
            if m.group().strip():
                start = at + m.start()
                yield Block(
                    "table-cell",
                    m.group(),
                    ((0, start, start + len(m.group())),),
                    tag="md",
                    lang_attr=lang,
                )
