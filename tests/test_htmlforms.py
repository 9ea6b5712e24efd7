"""How forms are read: visible controls, Baymard's counts, labels and form kinds."""

from __future__ import annotations

import lxml.html
import pytest

from trustlint.htmlforms import (
    count_fields,
    form_kind,
    forms,
    is_hidden,
    label_text,
    text_longer_than,
    text_of,
)


def form(html: str):
    return next(forms(lxml.html.document_fromstring(f"<html><body>{html}</body></html>")))


@pytest.mark.parametrize(
    ("html", "kind"),
    [
        ('<form><input name="cc-number"><button>Weiter</button></form>', "checkout"),
        ('<form><input autocomplete="shipping street-address"></form>', "checkout"),
        (
            '<form><input name="email"><input name="address"><button>Оформить заказ</button>'
            "</form>",
            "checkout",
        ),
        ('<form><input type="password"><input type="password"></form>', "registration"),
        (
            '<form><input name="u"><input name="e"><input name="x"><input name="y">'
            "<button>Daftar</button></form>",
            "registration",
        ),
        ('<form><input name="user"><input type="password"><button>Log in</button></form>', "login"),
        ('<form><input type="search" name="x"></form>', "search"),
        ('<form role="search"><input name="x"></form>', "search"),
        ('<form><input name="q"></form>', "search"),
        ('<form><input type="email" name="m"><button>Abonnieren</button></form>', "newsletter"),
        (
            '<form><input type="email" name="m"><input type="submit" value="S\'abonner"></form>',
            "newsletter",
        ),
        (
            '<form><input name="n"><input name="a"><input name="b"><input name="c">'
            "<button>Anmelden</button></form>",
            "other",
        ),
        (
            '<form><input name="n"><textarea name="m"></textarea><button>Invia</button></form>',
            "contact",
        ),
        ('<form><input name="n"><textarea name="m"></textarea></form>', "contact"),
        ('<form><input name="n"><input name="m"></form>', "other"),
    ],
)
def test_form_kind(html, kind):
    assert form_kind(form(html)) == kind


def test_counts_follow_baymard():
    f = form(
        '<form><input name="a"><input type="email" name="b"><textarea name="c"></textarea>'
        '<select name="d"></select><input type="radio" name="r"><input type="radio" name="r">'
        '<input type="checkbox" name="x"><input type="checkbox" name="y">'
        '<input type="hidden" name="h"><input name="z" disabled><input type="submit">'
        '<div style="display:none"><input name="w"></div></form>'
    )
    count = count_fields(f)
    assert (count.fields, count.elements) == (3, 7)


@pytest.mark.parametrize(
    ("html", "label"),
    [
        ('<label for="i">Email</label><input id="i">', "Email"),
        ("<label>Name <input></label>", "Name"),
        ('<span id="l">Phone</span><input aria-labelledby="l">', "Phone"),
        ('<input aria-label="Search">', "Search"),
        ('<input title="Order number">', "Order number"),
        ('<input type="checkbox"> <span>Send me offers</span>', "Send me offers"),
        ('<div><input type="checkbox"> I agree</div>', "I agree"),
    ],
)
def test_label_text(html, label):
    control = form(f"<form>{html}</form>").find(".//input")
    assert label_text(control) == label


@pytest.mark.parametrize(
    "html,text",
    [
        # A child's words come before the words that follow it.
        ("<p>Read the <a><b>FAQ</b></a> before you post</p>", "Read the FAQ before you post"),
        # Script and template content is skipped; the words after them are kept.
        ("<p>Hello <script>var x;</script>world <!-- note --> again</p>", "Hello world again"),
        ("<p>A<template><i>hidden</i> text</template> B</p>", "A B"),
    ],
)
def test_text_of_reads_in_order(html, text):
    p = lxml.html.fragment_fromstring(html)
    assert text_of(p) == text


def test_text_of_a_comment_is_empty():
    comment = lxml.html.fragment_fromstring("<p>a<!-- note -->b</p>")[0]
    assert text_of(comment) == "" and not text_longer_than(comment, 0)


def test_is_hidden_by_ancestor_attribute_style_or_template():
    root = lxml.html.document_fromstring(
        '<div hidden><input name="a"></div><div style="display: none"><input name="b"></div>'
        '<div aria-hidden="true"><input name="c"></div><template><input name="d"></template>'
        '<div><input name="e"></div>'
    )
    hidden = {el.get("name") for el in root.iter("input") if is_hidden(el)}
    assert hidden == {"a", "b", "c", "d"}
    assert not is_hidden(root.find(".//input[@name='e']"))


@pytest.mark.parametrize("limit", [0, 5, 10, 11, 12, 30, 1000])
def test_text_longer_than_agrees_with_text_of(limit):
    div = lxml.html.fragment_fromstring(
        "<div>  Hello   <b>big</b>\n\n world <script>x</script> and   more  </div>"
    )
    assert text_longer_than(div, limit) == (len(text_of(div)) > limit)
