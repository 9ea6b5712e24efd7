"""Plain-text loader: paragraphs split on blank lines, URLs masked, offsets kept."""

from __future__ import annotations

import re

from trustlint.document import Block, Comment, Document, IgnoreRegion

PARAGRAPH = re.compile(r"(?:[^\r\n]*\S[^\r\n]*(?:\r\n|\r|\n|$))+")
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
            text = m.group()
            if text.strip():
                blocks.append(Block("paragraph", text, ((0, m.start(), m.end()),)))
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
