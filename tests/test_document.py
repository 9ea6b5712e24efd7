"""Exact positions: every finding's line and column must point at the source."""

from __future__ import annotations

import re

import pytest

from trustlint.document import LineIndex
from trustlint.loaders import document_from_text
from trustlint.model import Position


def html(source: str, lang: str | None = "en"):
    return document_from_text("t.html", source, "html", default_lang=lang)


def find(doc, pattern: str):
    """The source text and positions of the first block match of ``pattern``."""
    for block in doc.blocks:
        m = re.search(pattern, block.text)
        if m:
            span = block.to_span(*m.span())
            start, end = doc.span_position(span)
            return doc.source[span.start : span.end], start, end
    raise AssertionError(f"{pattern!r} not in any block: {[b.text for b in doc.blocks]}")


class TestLineIndex:
    @pytest.mark.parametrize(
        ("text", "offset", "expected"),
        [
            ("a\nb", 2, Position(2, 1)),
            ("a\r\nb", 3, Position(2, 1)),
            ("a\rb", 2, Position(2, 1)),  # a lone CR breaks a line too
            ("a\r\n\r\nb", 5, Position(3, 1)),
            ("\tx", 1, Position(1, 2)),  # a tab is one column
            ("😀x", 1, Position(1, 2)),  # columns count code points
            ("abc", 3, Position(1, 4)),  # the end of the text
        ],
    )
    def test_position(self, text, offset, expected):
        assert LineIndex(text).position(offset) == expected

    def test_line_text_strips_breaks(self):
        index = LineIndex("one\r\ntwo\rthree\n")
        assert [index.line_text(n) for n in (1, 2, 3)] == ["one", "two", "three"]


class TestHtmlTextPositions:
    def test_words_across_inline_tags_and_tabs(self):
        doc = html("<p>We may share it with <b>trusted</b>\tpartners.</p>")
        text, start, end = find(doc, r"trusted\s+partners")
        assert text == "trusted</b>\tpartners"
        assert (start, end) == (Position(1, 28), Position(1, 48))

    def test_entity_maps_to_its_source(self):
        doc = html("<html>\r\n<p>Read our T&amp;Cs &nbsp;today</p>")
        text, start, end = find(doc, r"T&Cs")
        assert text == "T&amp;Cs"
        assert start == Position(2, 13)
        assert end == Position(2, 21)

    def test_emoji_counts_one_column(self):
        doc = html("<p>😀😀 Only 2 left!</p>")
        text, start, _ = find(doc, r"Only 2 left")
        assert text == "Only 2 left"
        assert start == Position(1, 7)

    def test_crlf_and_lone_cr(self):
        doc = html("<div>\r\n<p>a</p>\r<p>hurry now</p></div>")
        _, start, _ = find(doc, "hurry")
        assert start == Position(3, 4)

    def test_past_65535_lines(self):
        source = "<html><body>\n" + "<p>x</p>\n" * 70_000 + "<p>Act now, offer ends</p>\n"
        doc = html(source)
        _, start, _ = find(doc, "Act now")
        assert start == Position(70_002, 4)

    def test_multiline_text(self):
        doc = html("<p>we may\n   share your\n data</p>")
        text, start, end = find(doc, r"share\s+your\s+data")
        assert text == "share your\n data"
        assert (start, end) == (Position(2, 4), Position(3, 6))


class TestElementSpans:
    def spans(self, source: str, tag: str):
        doc = html(source)
        return [doc.source[s.start : s.end] for s in map(doc.element_span, doc.tree.iter(tag))]

    def test_start_tag_exact(self):
        source = '<form action="/x">\n  <input name="a" placeholder="A">\n</form>'
        assert self.spans(source, "input") == ['<input name="a" placeholder="A">']
        assert self.spans(source, "form") == ['<form action="/x">']

    def test_many_same_tags_on_one_line(self):
        source = "<form>" + "".join(f'<input name="f{i}">' for i in range(5)) + "</form>"
        assert self.spans(source, "input") == [f'<input name="f{i}">' for i in range(5)]

    def test_multiline_tag_and_quoted_gt(self):
        source = '<p>\n<input\n  title="a > b"\n  name="x"\n>\n</p>'
        assert self.spans(source, "input") == ['<input\n  title="a > b"\n  name="x"\n>']

    def test_tags_in_comments_and_scripts_are_not_elements(self):
        source = '<!-- <input name="c"> --><script>"<input>"</script><input name="real">'
        assert self.spans(source, "input") == ['<input name="real">']

    def test_uppercase_tags(self):
        assert self.spans('<FORM><INPUT NAME="x"></FORM>', "input") == ['<INPUT NAME="x">']

    def test_element_past_line_cap(self):
        source = "<body>\n" + "<br>\n" * 70_000 + '<form id="late">\n<input name="z">\n</form>'
        doc = html(source)
        form = next(doc.tree.iter("form"))
        span = doc.element_span(form)
        assert doc.source[span.start : span.end] == '<form id="late">'
        assert doc.lines.position(span.start) == Position(70_002, 1)

    def test_implied_element_points_at_first_real_child(self):
        doc = html("<p>no html or body tags</p>")
        body = next(doc.tree.iter("body"))
        span = doc.element_span(body)
        assert doc.source[span.start : span.end] == "<p>"


class TestBlocks:
    def scopes(self, source: str):
        return [(b.scope, b.text.strip()) for b in html(source).blocks]

    def test_scopes(self):
        source = (
            "<h2>Title</h2><p>Para <a href=x>link</a> end.</p><ul><li>Item</li>"
            '<li><a href="/c">Contact</a></li></ul><form><label>Name</label>'
            '<input placeholder="Your name" title="Tip"><img alt="Logo">'
            '<button>Send</button><input type="submit" value="Go"><fieldset><legend>L</legend>'
            "<select><option>One</option></select></fieldset></form>"
        )
        assert self.scopes(source) == [
            ("heading", "Title"),
            ("paragraph", "Para link end."),
            ("list-item", "Item"),
            ("link", "Contact"),
            ("label", "Name"),
            ("attr.placeholder", "Your name"),
            ("attr.title", "Tip"),
            ("attr.alt", "Logo"),
            ("button", "Send"),
            ("button", "Go"),
            ("legend", "L"),
            ("option", "One"),
        ]

    def test_heading_level(self):
        (block,) = html("<h3>Title</h3>").blocks
        assert block.heading_level == 3

    @pytest.mark.parametrize(
        "hidden",
        [
            "<script>var a = 'We may share your data';</script>",
            "<style>p::after { content: 'share your data' }</style>",
            "<template><p>share your data</p></template>",
            "<div hidden><p>share your data</p></div>",
            '<div aria-hidden="true">share <b>your</b> data</div>',
            "<noscript>share your data</noscript>",
            "<pre>share your data</pre>",
            "<code>share your data</code>",
            '<input type="hidden" value="share your data">',
            "<!-- share your data -->",
        ],
    )
    def test_not_prose(self, hidden):
        doc = html(f"<p>Visible.</p>{hidden}<p>After.</p>")
        assert [b.text for b in doc.blocks] == ["Visible.", "After."]

    def test_nested_hidden_same_tag(self):
        doc = html("<div hidden><div>a</div><div>b</div></div><div>seen</div>")
        assert [b.text for b in doc.blocks] == ["seen"]

    def test_language_per_block(self):
        doc = html(
            '<html lang="en-GB"><p>Hello there</p><div lang="de"><p>Hallo</p></div>'
            '<p lang="pt-BR">Olá</p><p>Back</p></html>',
            lang=None,
        )
        assert [(b.text, b.lang) for b in doc.blocks] == [
            ("Hello there", "en"),
            ("Hallo", "de"),
            ("Olá", "pt"),
            ("Back", "en"),
        ]

    def test_default_lang_when_unlabelled(self):
        doc = html("<p>Hallo Welt</p>", lang="de")
        assert doc.blocks[0].lang == "de"

    def test_detector_for_unlabelled_text(self):
        doc = html(
            "<p>Wir geben Ihre Daten nur weiter, wenn Sie ausdrücklich zugestimmt haben.</p>"
            "<p>Мы никогда не передаём ваши данные третьим лицам без вашего согласия.</p>",
            lang=None,
        )
        assert [b.lang for b in doc.blocks] == ["de", "ru"]


class TestMarkdown:
    def md(self, source: str):
        return document_from_text("t.md", source, "markdown", default_lang="en")

    def test_front_matter_lang_and_masking(self):
        source = (
            "---\ntitle: Hi\nlang: de\n---\n# Überschrift\n\nText mit `code` und "
            "https://example.com/x und [Link](https://e.com).\n\n```\nshare your data\n```\n"
            "<!-- a comment -->\n- Punkt *eins*\n"
        )
        doc = self.md(source)
        texts = [(b.scope, " ".join(b.text.split()), b.lang) for b in doc.blocks]
        assert texts == [
            ("heading", "Überschrift", "de"),
            ("paragraph", "Text mit und und Link .", "de"),
            ("list-item", "Punkt eins", "de"),
        ]

    def test_offsets_are_one_to_one(self):
        source = "Intro line\n\n> We may **share** your data\n"
        doc = self.md(source)
        text, start, _end = find(doc, r"share\*?\*?\s+your")
        assert start == Position(3, 12)
        assert text.startswith("share")

    def test_table_cells(self):
        source = "| Data | Use |\n|---|---|\n| Email | Receipts |\n"
        doc = self.md(source)
        assert [(b.scope, b.text.strip()) for b in doc.blocks] == [
            ("table-cell", "Data"),
            ("table-cell", "Use"),
            ("table-cell", "Email"),
            ("table-cell", "Receipts"),
        ]
