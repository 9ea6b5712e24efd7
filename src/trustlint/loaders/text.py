"""Plain-text loader: paragraphs and list items, URLs masked, offsets kept.

Blank lines always end a paragraph. Drafts pasted from editors often have no blank
lines at all, so a line also ends its block when it ends a sentence (or a lead-in
colon) and when it is short and unpunctuated, like a title; a line that starts with a
list marker (``-``, ``*``, ``•``, ``1.``) starts a list item. Long unpunctuated lines
are soft wraps and stay in their paragraph.
"""

from __future__ import annotations

import re

from trustlint.document import Block, Comment, Document, IgnoreRegion

PARAGRAPH = re.compile(r"(?:[^\r\n]*\S[^\r\n]*(?:\r\n|\r|\n|$))+")
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
LIST_MARKER = re.compile(r"^\s*(?:[-*•–]|\d{1,3}[.)])\s+\S")
ENDS_BLOCK = re.compile(r"[.!?:;…。]['\"”»)]*\s*$")
TITLE_WIDTH = 60  # a shorter unpunctuated line is a title, not a soft wrap
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")
COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)


def mask(text: str, pattern: re.Pattern[str]) -> str:
    """Replace every match with spaces of the same length, keeping offsets."""
    return pattern.sub(lambda m: re.sub(r"[^\r\n]", " ", m.group()), text)


class TextLoader:
    def blocks(self, doc: Document) -> list[Block]:
        masked = mask(mask(doc.source, COMMENT), URL)
        blocks = []
        for m in PARAGRAPH.finditer(masked):
            for start, end, scope in _split(masked, m.start(), m.end()):
                text = masked[start:end]
                if text.strip():
                    blocks.append(Block(scope, text, ((0, start, end),)))
        return blocks

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
        raise TypeError("plain-text documents have no elements")


def _split(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The blocks of one blank-line paragraph: (start, end, scope)."""
    out: list[tuple[int, int, str]] = []
    block_start, scope = start, None
    pos = start
    while pos < end:
        m = LINE.match(text, pos, end)
        line_end = m.end() if m and m.end() > pos else end
        line = text[pos:line_end]
        if LIST_MARKER.match(line) and pos > block_start:
            out.append((block_start, pos, scope or "paragraph"))
            block_start = pos
        if pos == block_start:
            scope = "list-item" if LIST_MARKER.match(line) else "paragraph"
        body = line.strip()
        if ENDS_BLOCK.search(body) or (body and len(body) < TITLE_WIDTH):
            out.append((block_start, line_end, scope or "paragraph"))
            block_start = line_end
        pos = line_end
    if block_start < end:
        out.append((block_start, end, scope or "paragraph"))
    return out
