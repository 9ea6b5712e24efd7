"""HTML loader: an lxml tree for structure, a token scan for exact text positions.

lxml builds the tree the way a browser repairs it, at C speed, but keeps only the
line where a start tag ends (capped at 65535) and no positions for text. So prose
blocks come from one regular-expression scan of the source that keeps every
offset, and an element's exact start tag is found by aligning lxml's elements with
the scanned start tags of the same name and line.
"""

from __future__ import annotations

import bisect
import html
import re
from collections import defaultdict
from collections.abc import Iterator

import lxml.etree
import lxml.html

from trustlint.document import Block, Comment, Document, IgnoreRegion
from trustlint.model import Span

# Elements whose content is raw text to the parser: no tags, and not prose.
RAW_TEXT = ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes")

# One token per match, all starting with "<": a comment (group 1), an end tag (group 2
# is "/") or a start tag (3 name, 4 attributes, a quoted ">" allowed), or a doctype or
# processing instruction. Factoring out the "<" and leaving raw-text elements to
# ``tokens`` makes the scan 2.5x faster; every repetition is "unrolled"
# (normal* (special normal*)*) so that it stays linear on broken markup.
TOKEN = re.compile(
    r"<(?:(!--.*?(?:-->|\Z))"
    r"|(/?)([a-zA-Z][^\s/>\"']*)([^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*)>"
    r"|[!?][^>]*>)",
    re.S,
)
RAW_END = {name: re.compile(rf"</{name}\s*>", re.I) for name in RAW_TEXT}


def tokens(source: str) -> Iterator[re.Match[str]]:
    """The markup tokens of ``source``, jumping over the content of raw-text elements."""
    pos = 0
    finditer = TOKEN.finditer
    while True:
        for m in finditer(source, pos):
            yield m
            name = m.group(3)
            if name is not None and not m.group(2) and name.lower() in RAW_END:
                end = RAW_END[name.lower()].search(source, m.end())
                pos = end.start() if end else len(source)
                break
        else:
            return


# Only tags that may carry one of these attributes need their attributes parsed.
# Plain substring tests run in C and beat one regex search by far on long class lists.


def _interesting(attr_text: str) -> bool:
    a = attr_text.lower()
    return (
        "lang" in a
        or "hidden" in a
        or "title" in a
        or "alt" in a
        or "placeholder" in a
        or "aria-label" in a
        or "trustlint" in a
    )


ATTR = re.compile(
    r"([^\s\"'>/=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?",
)
ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")

VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Tags that end one block and may start another.
BLOCK_SCOPE = {
    "p": "paragraph",
    "div": "paragraph",
    "section": "paragraph",
    "article": "paragraph",
    "main": "paragraph",
    "header": "paragraph",
    "footer": "paragraph",
    "nav": "paragraph",
    "aside": "paragraph",
    "body": "paragraph",
    "html": "paragraph",
    "form": "paragraph",
    "fieldset": "paragraph",
    "address": "paragraph",
    "figure": "paragraph",
    "details": "paragraph",
    "dialog": "paragraph",
    "center": "paragraph",
    "ul": "paragraph",
    "ol": "paragraph",
    "dl": "paragraph",
    "table": "paragraph",
    "tbody": "paragraph",
    "thead": "paragraph",
    "tfoot": "paragraph",
    "tr": "paragraph",
    "select": "paragraph",
    "datalist": "paragraph",
    "hr": "paragraph",
    "li": "list-item",
    "dt": "list-item",
    "dd": "list-item",
    "td": "table-cell",
    "th": "table-cell",
    "blockquote": "quote",
    "caption": "caption",
    "figcaption": "caption",
    "label": "label",
    "button": "button",
    "legend": "legend",
    "option": "option",
    "optgroup": "option",
    "summary": "summary",
    "h1": "heading",
    "h2": "heading",
    "h3": "heading",
    "h4": "heading",
    "h5": "heading",
    "h6": "heading",
}
# Content that is not prose: skipped with everything inside it.
SKIPPED = frozenset(
    "template noscript svg math code pre kbd samp var object canvas audio video".split()
) | frozenset(RAW_TEXT)
TEXT_ATTRS = ("placeholder", "title", "alt", "aria-label")
BREAKS = frozenset({"br", "wbr", "img", "input"})
_NO_ATTRS: dict = {}
BUTTON_INPUTS = frozenset({"submit", "button", "reset"})


def parse_attrs(text: str, base: int) -> tuple[dict[str, str], dict[str, tuple[int, int]]]:
    """Attributes of a start tag, and the source span of each value."""
    attrs: dict[str, str] = {}
    spans: dict[str, tuple[int, int]] = {}
    for m in ATTR.finditer(text):
        name = m.group(1).lower()
        if name in attrs:
            continue  # the first one wins, as in browsers
        for g in (2, 3, 4):
            if m.group(g) is not None:
                attrs[name] = html.unescape(m.group(g))
                spans[name] = (base + m.start(g), base + m.end(g))
                break
        else:
            attrs[name] = ""
            spans[name] = (base + m.start(1), base + m.end(1))
    return attrs, spans


class _Scan:
    """The result of one token scan: blocks, comments, start tags, ignore regions."""

    def __init__(self, source: str) -> None:
        self.blocks: list[Block] = []
        self.comments: list[Comment] = []
        self.ignore_regions: list[IgnoreRegion] = []
        self.start_tags: list[tuple[str, int, int]] = []  # (lowercase name, start, end)
        self._source = source
        self._run(source)

    # -- block building ------------------------------------------------------
    def _open_block(self) -> None:
        self._text: list[str] = []
        self._pieces: list[tuple[int, int, int]] = []
        self._length = 0
        self._links: list[tuple[int, int]] = []

    def _add_plain(self, chunk: str, at: int) -> None:
        self._pieces.append((self._length, at, at + len(chunk)))
        self._text.append(chunk)
        self._length += len(chunk)

    def _add_text(self, chunk: str, at: int) -> None:
        if "&" not in chunk:
            self._add_plain(chunk, at)
            return
        pos = 0
        for m in ENTITY.finditer(chunk):
            if m.start() > pos:
                self._add_plain(chunk[pos : m.start()], at + pos)
            decoded = html.unescape(m.group())
            self._pieces.append((self._length, at + m.start(), at + m.end()))
            self._text.append(decoded)
            self._length += len(decoded)
            pos = m.end()
        if pos < len(chunk):
            self._add_plain(chunk[pos:], at + pos)

    def _add_break(self, at: int, end: int) -> None:
        """An inline tag such as <br> reads as a space between words."""
        if self._length:
            self._pieces.append((self._length, at, end))
            self._text.append(" ")
            self._length += 1

    def _close_block(self, scope: str, tag: str, lang: str | None, level: int = 0) -> None:
        if not self._pieces:
            return
        text = "".join(self._text)
        if text.strip():
            stripped = text.strip()
            lead = len(text) - len(text.lstrip())
            if self._links:
                # A block whose whole text is one link reads as a link.
                first, last = self._links[0][0], self._links[-1][1]
                if len(self._links) == 1 and first <= lead and last >= lead + len(stripped):
                    scope = "link"
            self.blocks.append(
                Block(
                    scope, text, tuple(self._pieces), tag=tag, lang_attr=lang, heading_level=level
                )
            )
        self._open_block()

    # -- the scan ------------------------------------------------------------
    # This loop runs once per tag of every page, so it avoids attribute parsing and
    # bookkeeping for the many tags that change nothing about the prose.
    def _run(self, source: str) -> None:
        self._open_block()
        scope_stack: list[tuple[str, str]] = [("paragraph", "")]  # (scope, tag)
        # Open elements that matter, as [name, nesting of that name, payload].
        lang_stack: list[list] = []
        ignore_stack: list[list] = []
        skip: list | None = None  # [name, nesting] while inside content that is not prose
        link_start = -1
        pos = 0
        lang = None  # the innermost declared language
        comments = self.comments
        start_tags = self.start_tags

        for m in tokens(source):
            at = m.start()
            if at > pos and skip is None:
                chunk = source[pos:at]
                if self._length or not chunk.isspace():
                    self._add_text(chunk, pos)
            pos = m.end()
            comment, slash, name, attr_text = m.groups()
            if name is None:
                if comment is not None:
                    comments.append(Comment(at, pos, comment[3:].removesuffix("-->")))
                continue
            name = name.lower()
            if slash:
                if ignore_stack and ignore_stack[-1][0] == name:
                    self._end_ignored(ignore_stack, pos)
                if skip is not None:
                    if name == skip[0]:
                        skip[1] -= 1
                        if not skip[1]:
                            skip = None
                    continue
                if name in BLOCK_SCOPE:
                    # Close the innermost open block of this tag (browsers close the rest).
                    for i in range(len(scope_stack) - 1, 0, -1):
                        if scope_stack[i][1] == name:
                            scope, tag = scope_stack[i]
                            level = int(tag[1]) if scope == "heading" else 0
                            self._close_block(scope, tag, lang, level)
                            del scope_stack[i:]
                            break
                    else:
                        self._close_block(*scope_stack[-1], lang)
                elif name == "a" and link_start >= 0:
                    self._links.append((link_start, self._length))
                    link_start = -1
                if lang_stack and lang_stack[-1][0] == name:
                    lang_stack[-1][1] -= 1
                    if not lang_stack[-1][1]:
                        lang_stack.pop()
                        lang = lang_stack[-1][2] if lang_stack else None
                continue
            # A start tag.
            start_tags.append((name, at, pos))
            void = name in VOID or attr_text.endswith("/")
            if not void:
                if skip is not None and name == skip[0]:
                    skip[1] += 1
                if ignore_stack and ignore_stack[-1][0] == name:
                    ignore_stack[-1][1] += 1
                if lang_stack and lang_stack[-1][0] == name:
                    lang_stack[-1][1] += 1
            if name == "input" or (attr_text and _interesting(attr_text)):
                attrs, spans = parse_attrs(attr_text, m.start(4))
            else:
                attrs = spans = _NO_ATTRS
            if attrs and "data-trustlint-ignore" in attrs:
                codes = tuple(attrs["data-trustlint-ignore"].replace(",", " ").split())
                if void:
                    self.ignore_regions.append(IgnoreRegion(at, pos, codes, at, pos))
                else:
                    ignore_stack.append([name, 1, (at, pos, codes)])
            if skip is not None:
                continue
            hidden = attrs and (
                "hidden" in attrs
                or attrs.get("aria-hidden", "").strip().lower() == "true"
                or (name == "input" and attrs.get("type", "").lower() == "hidden")
            )
            if name in SKIPPED or hidden:
                if not void:
                    skip = [name, 1]
                continue
            if name in BLOCK_SCOPE:
                # The text so far belongs to the enclosing block, in its language.
                self._close_block(*scope_stack[-1], lang)
                if not void:
                    scope_stack.append((BLOCK_SCOPE[name], name))
            if attrs:
                if "lang" in attrs and not void:
                    lang = attrs["lang"].strip()
                    lang_stack.append([name, 1, lang])
                self._attribute_blocks(name, attrs, spans, lang)
            if name == "a":
                link_start = self._length
            elif name in BREAKS:
                self._add_break(at, pos)
        if pos < len(source) and skip is None:
            self._add_text(source[pos:], pos)
        self._close_block(*scope_stack[-1], lang)
        for _, _, (at, end, codes) in ignore_stack:  # never closed: runs to the end
            self.ignore_regions.append(IgnoreRegion(at, len(source), codes, at, end))

    def _end_ignored(self, ignore_stack: list[list], end: int) -> None:
        top = ignore_stack[-1]
        top[1] -= 1
        if not top[1]:
            ignore_stack.pop()
            at, tag_end, codes = top[2]
            self.ignore_regions.append(IgnoreRegion(at, end, codes, at, tag_end))

    def _attribute_blocks(self, name, attrs, spans, lang) -> None:
        """Text a reader sees in attributes: placeholders, titles, alt texts, button values."""
        for attr in TEXT_ATTRS:
            value = attrs.get(attr, "")
            if value.strip():
                self._attr_block(f"attr.{attr}", name, value, spans[attr], lang)
        if name == "input" and attrs.get("type", "").lower() in BUTTON_INPUTS:
            value = attrs.get("value", "")
            if value.strip():
                self._attr_block("button", name, value, spans["value"], lang)

    def _attr_block(self, scope, name, value, span, lang) -> None:
        raw = self._source[span[0] : span[1]]
        saved = (self._text, self._pieces, self._length, self._links)
        self._open_block()
        self._add_text(raw, span[0])
        text = "".join(self._text)
        self.blocks.append(Block(scope, text, tuple(self._pieces), tag=name, lang_attr=lang))
        self._text, self._pieces, self._length, self._links = saved


class HtmlLoader:
    """Builds the lazy parts of an HTML ``Document``."""

    def _scan(self, doc: Document) -> _Scan:
        scan = doc.__dict__.get("_scan")
        if scan is None:
            scan = doc.__dict__["_scan"] = _Scan(doc.source)
        return scan

    def blocks(self, doc: Document) -> list[Block]:
        return self._scan(doc).blocks

    def comments(self, doc: Document) -> list[Comment]:
        return self._scan(doc).comments

    def ignore_regions(self, doc: Document) -> list[IgnoreRegion]:
        return self._scan(doc).ignore_regions

    def tree(self, doc: Document):
        parser = _parser()
        data = doc.source.encode("utf-8", "surrogatepass")
        try:
            root = lxml.html.document_fromstring(data, parser=parser)
        except (lxml.etree.ParserError, ValueError):
            root = lxml.html.document_fromstring(b"<html></html>", parser=parser)
        return root

    def element_span(self, doc: Document, element) -> Span:
        index = doc.__dict__.get("_tag_index")
        if index is None:
            index = doc.__dict__["_tag_index"] = _TagIndex(doc, self._scan(doc).start_tags)
        return index.span(element)


def _parser() -> lxml.html.HTMLParser:
    """lxml's HTML parser with one element class for every tag, chosen in C.

    lxml.html's default lookup calls back into Python for every element proxy it
    makes (1.6 million calls on 300 pages) to pick per-tag classes (InputElement,
    FormElement ...) whose extras trustlint does not use.
    """
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=False)
    parser.set_element_class_lookup(
        lxml.etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
    return parser


# libxml2 counts lines by "\n" only and caps them at this value.
LXML_LINE_CAP = 65535


class _TagIndex:
    """Aligns lxml elements with scanned start tags by (name, line of the '>').

    Built lazily per tag name: a page with findings on three inputs aligns its inputs,
    not its thousands of divs.
    """

    def __init__(self, doc: Document, start_tags: list[tuple[str, int, int]]) -> None:
        self._doc = doc
        self._start_tags = start_tags
        self._newlines: list[int] | None = None
        self._buckets: dict[str, dict[int, list[tuple[int, int]]]] = {}
        self._ordinals: dict[str, dict[int, int]] = {}
        # lxml reuses an element's Python proxy only while one is alive, so the
        # proxies are kept here for ``id()`` to stay a stable key.
        self._alive: list = []

    def _bucket(self, name: str) -> dict[int, list[tuple[int, int]]]:
        bucket = self._buckets.get(name)
        if bucket is None:
            if self._newlines is None:
                self._newlines = [m.start() for m in re.finditer("\n", self._doc.source)]
            bucket = self._buckets[name] = defaultdict(list)
            # One pass over the page's start tags per name that has a finding.
            for tag, start, end in self._start_tags:
                if tag != name:
                    continue
                line = bisect.bisect_left(self._newlines, end - 1) + 1
                bucket[min(line, LXML_LINE_CAP)].append((start, end))
        return bucket

    def _ordinal(self, element) -> int:
        """How many elements of the same name end their start tag earlier on its line."""
        tag = element.tag
        ordinal = self._ordinals.get(tag)
        if ordinal is None:
            seen: dict[int, int] = defaultdict(int)
            ordinal = self._ordinals[tag] = {}
            for el in element.getroottree().getroot().iter(tag):
                self._alive.append(el)
                line = el.sourceline or 0
                ordinal[id(el)] = seen[line]
                seen[line] += 1
        return ordinal.get(id(element), 0)

    def span(self, element) -> Span:
        if isinstance(element.tag, str):
            bucket = self._bucket(element.tag.lower()).get(element.sourceline or 0)
            if bucket:
                start, end = bucket[min(self._ordinal(element), len(bucket) - 1)]
                return Span(start, end)
        # An element the parser implied (no tag in the source): point at its first
        # child that has one, else at the start of its line.
        for child in element.iterchildren():
            if isinstance(child.tag, str):
                return self.span(child)
        line = min(element.sourceline or 1, self._doc.lines.line_count)
        start = self._doc.lines.line_start(line)
        return Span(start, start)
