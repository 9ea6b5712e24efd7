"""Forms as a customer sees them: which controls are visible, and what each one says.

Shared by the form and consent rules so that they agree on what a field is, whether it
can be seen, and what its label reads.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement

from trustlint import lazyre

# Controls a customer never types into or ticks.
NON_ENTRY_TYPES = frozenset({"hidden", "submit", "button", "reset", "image"})
# Text-like input types: a "field" in Baymard's count.
TEXT_TYPES = frozenset(
    {
        "",
        "text",
        "email",
        "tel",
        "number",
        "password",
        "date",
        "datetime-local",
        "month",
        "week",
        "time",
        "search",
        "url",
    }
)
CHOICE_TYPES = frozenset({"checkbox", "radio"})
HIDDEN_STYLE = lazyre.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def text_of(element: HtmlElement) -> str:
    """The visible text of ``element``, whitespace collapsed, without script or style.

    One walk with start and end events keeps the reading order: a child's text comes
    before its parent's next words, and a skipped element's tail is still read.
    """
    return _collapsed(text_parts(element))


def _collapsed(parts) -> str:
    # str.split and re's \s agree on what is a space; splitting is 3x faster than sub.
    return " ".join(" ".join(parts).split())


def text_longer_than(element: HtmlElement, limit: int) -> bool:
    """``len(text_of(element)) > limit``, without reading a whole page to find out."""
    parts: list[str] = []
    raw = checked = 0
    for part in text_parts(element):
        parts.append(part)
        raw += len(part) + 1
        # Collapsing spaces only shortens, and more text never makes it shorter.
        if raw > checked + limit:
            checked = raw
            if len(_collapsed(parts)) > limit:
                return True
    return len(_collapsed(parts)) > limit


def text_parts(element: HtmlElement) -> Iterator[str]:
    """The texts and tails a reader sees, in reading order; iterative, as pages nest deep."""
    if not isinstance(element.tag, str):
        return  # a comment or processing instruction shows no text
    skip = 0
    for event, node in etree.iterwalk(element, events=("start", "end", "comment", "pi")):
        if event == "start":
            if node.tag in SKIPPED_TAGS:
                skip += 1
            elif not skip:
                yield node.text or ""
            continue
        if event == "end" and node.tag in SKIPPED_TAGS:
            skip -= 1
        if node is not element and not skip:
            yield node.tail or ""


SKIPPED_TAGS = frozenset({"script", "style", "template"})


def input_type(element: HtmlElement) -> str:
    if element.tag != "input":
        return element.tag
    return (element.get("type") or "").strip().lower()


def is_hidden(element: HtmlElement) -> bool:
    """Hidden from the customer: by attribute, inline style, template or aria-hidden."""
    root = element.getroottree().getroot()
    if element is root:
        return _hides(root)
    # Rules ask this of every control and label, up to hundreds of thousands of times
    # over a site: the answer for a whole tree is read once, from one XPath query.
    memo = _tree_memo(root)
    hidden = memo.get("hidden")
    if hidden is None:
        hidden = memo["hidden"] = _hidden_elements(root)
    return element in hidden


_HIDERS = etree.XPath("//*[@hidden or @aria-hidden or @style] | //template")


def _hides(node) -> bool:
    if node.tag == "template" or node.get("hidden") is not None:
        return True
    if (node.get("aria-hidden") or "").strip().lower() == "true":
        return True
    style = node.get("style")
    return bool(style and HIDDEN_STYLE.search(style))


def _hidden_elements(root) -> set:
    if _hides(root):
        return set(root.iterdescendants())
    hidden: set = set()
    for node in _HIDERS(root):
        if node not in hidden and _hides(node):
            hidden.update(node.iter())
    return hidden


def is_entry_control(element: HtmlElement) -> bool:
    """A control the customer fills in or ticks (visible, enabled, not a button)."""
    tag = element.tag
    if tag not in ("input", "select", "textarea"):
        return False
    if tag == "input" and input_type(element) in NON_ENTRY_TYPES:
        return False
    if element.get("disabled") is not None:
        return False
    return not is_hidden(element)


def forms(root: HtmlElement) -> Iterator[HtmlElement]:
    for form in root.iter("form"):
        if not is_hidden(form):
            yield form


def per_tree(element: HtmlElement, name: str, compute):
    """``compute(element)``, once per element and tree: several rules ask the same
    question of the same form."""
    root = element.getroottree().getroot()
    if element is root:
        return compute(element)
    memo = _tree_memo(root)
    key = (name, element)
    if key not in memo:
        memo[key] = compute(element)
    return memo[key]


def _tree_memo(root: HtmlElement) -> dict:
    """What has been worked out about the tree of ``root``. It holds elements (so their
    proxies, and the answers, stay the same) but never the root, so it dies with the
    tree."""
    memo = _MEMO.get(root)
    if memo is None:
        memo = _MEMO[root] = {}
    return memo


_MEMO: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def controls(form: HtmlElement) -> list[HtmlElement]:
    """The form's visible entry controls, in document order (``form=`` owners included)."""
    return list(per_tree(form, "controls", _controls))


def _controls(form: HtmlElement) -> list[HtmlElement]:
    found = [el for el in form.iter("input", "select", "textarea") if is_entry_control(el)]
    form_id = form.get("id")
    if form_id:
        root = form.getroottree().getroot()
        for el in root.iter("input", "select", "textarea"):
            if el.get("form") == form_id and is_entry_control(el) and el not in found:
                found.append(el)
    return found


@dataclass(frozen=True)
class FieldCount:
    fields: int  # text-like inputs and textareas
    elements: int  # fields + selects + each radio or checkbox group


def count_fields(form: HtmlElement) -> FieldCount:
    """Baymard's two counts: a group of radios or checkboxes with one name counts once."""
    fields = elements = 0
    groups: set[tuple[str, str]] = set()
    for el in controls(form):
        kind = input_type(el)
        if kind in CHOICE_TYPES:
            name = el.get("name") or f"#{id(el)}"
            if (kind, name) in groups:
                continue
            groups.add((kind, name))
            elements += 1
        elif el.tag == "textarea" or kind in TEXT_TYPES:
            fields += 1
            elements += 1
        else:  # select, file, range, color ...
            elements += 1
    return FieldCount(fields, elements)


def _by_id(root: HtmlElement, ident: str) -> HtmlElement | None:
    for el in root.iter():
        if isinstance(el.tag, str) and el.get("id") == ident:
            return el
    return None


def labels_of(control: HtmlElement) -> list[HtmlElement]:
    """``<label>`` elements that name ``control``: ``for=id`` and wrapping labels."""
    found = []
    ident = control.get("id")
    if ident:
        root = control.getroottree().getroot()
        found.extend(lb for lb in root.iter("label") if lb.get("for") == ident)
    for parent in control.iterancestors("label"):
        if parent.get("for") in (None, ident):
            found.append(parent)
        break
    return found


def accessible_name(control: HtmlElement) -> str:
    """The control's name as assistive technology computes it (simplified, no CSS)."""
    root = control.getroottree().getroot()
    labelledby = (control.get("aria-labelledby") or "").split()
    if labelledby:
        texts = [text_of(el) for i in labelledby if (el := _by_id(root, i)) is not None]
        if any(texts):
            return " ".join(t for t in texts if t)
    label = (control.get("aria-label") or "").strip()
    if label:
        return label
    texts = [text_of(lb) for lb in labels_of(control)]
    if any(texts):
        return " ".join(t for t in texts if t)
    return (control.get("title") or "").strip()


def nearby_text(control: HtmlElement, limit: int = 300) -> str:
    """Text beside an unlabelled control: the words right after it, else before it.

    Custom checkboxes are often written as ``<input> <span>I agree ...</span>`` with no
    label at all; the customer still reads that text as the box's label.
    """
    after = (control.tail or "").strip()
    sibling = control.getnext()
    while not after and sibling is not None:
        if sibling.tag in ("input", "select", "textarea", "br"):
            break
        after = (text_of(sibling) + " " + (sibling.tail or "")).strip()
        sibling = sibling.getnext()
    if after:
        return after[:limit]
    parent = control.getparent()
    if parent is not None and parent.tag not in ("form", "body"):
        own = [c for c in parent.iter("input", "select", "textarea") if is_entry_control(c)]
        if len(own) == 1:
            return text_of(parent)[:limit]
    return ""


def label_text(control: HtmlElement) -> str:
    """What a customer reads as the control's label: its name, else the text beside it."""
    return accessible_name(control) or nearby_text(control)


# Submit-button words per form kind, in the nine languages; the fields decide first.
KIND_WORDS = {
    "checkout": lazyre.compile(
        r"\b(?:place (?:my )?order|checkout|check out|pay|buy|purchase|complete order|"
        r"bestellen|zahlungspflichtig|kaufen|bezahlen|zur kasse|comprar|pagar|realizar pedido|"
        r"acquista|paga|ordina|concludi l'ordine|оформить заказ|оплатить|купить|bayar|beli|"
        r"pesan sekarang|commander|payer|acheter|finalizar compra|finalizar pedido|"
        r"afrekenen|betalen|bestelling plaatsen|kopen)\b",
        re.I,
    ),
    "registration": lazyre.compile(
        r"\b(?:sign up|register|create (?:an |my )?account|join|registrieren|konto erstellen|"
        r"anmelden und registrieren|registrarse|regístrate|crear cuenta|registrati|crea account|"
        r"зарегистрироваться|регистрация|создать аккаунт|daftar|buat akun|s'inscrire|"
        r"inscription|créer un compte|cadastrar|criar conta|registreren|account aanmaken)\b",
        re.I,
    ),
    "newsletter": lazyre.compile(
        r"\b(?:subscribe|sign me up|newsletter|abonnieren|anmelden|suscribir(?:se|me)?|"
        r"iscriviti|подписаться|berlangganan|s'abonner|je m'abonne|inscrever|assinar|"
        r"aanmelden|inschrijven)\b",
        re.I,
    ),
    "contact": lazyre.compile(
        r"\b(?:send(?: message)?|contact|nachricht senden|absenden|senden|enviar|invia|"
        r"отправить|kirim|envoyer|verstuur|versturen)\b",
        re.I,
    ),
}
CARD = lazyre.compile(
    r"card|cc[-_]?(?:num|exp|csc|name)|cvv|cvc|expir|kreditkarte|tarjeta|carta", re.I
)
SEARCH_NAME = lazyre.compile(
    r"^(?:q|s|query|search|keywords?|suche|buscar|cerca|поиск|cari)$", re.I
)


def submit_text(form: HtmlElement) -> str:
    texts = []
    for el in form.iter("button", "input"):
        if el.tag == "button" and (el.get("type") or "submit").lower() == "submit":
            texts.append(text_of(el) or el.get("value") or "")
        elif el.tag == "input" and input_type(el) in ("submit", "image"):
            texts.append(el.get("value") or el.get("alt") or "")
    return " ".join(t for t in texts if t)


def form_kind(form: HtmlElement) -> str:
    """checkout, registration, login, newsletter, contact, search, or other.

    Fields decide first (a card number means checkout whatever the button says), then
    the submit button's words.
    """
    return per_tree(form, "kind", _form_kind)


def _form_kind(form: HtmlElement) -> str:
    fields = controls(form)
    tokens = [
        " ".join(filter(None, (el.get("autocomplete"), el.get("name"), el.get("id"))))
        for el in fields
    ]
    kinds = [input_type(el) for el in fields]
    if any(CARD.search(t) or re.search(r"\b(?:shipping|billing)\b", t) for t in tokens):
        return "checkout"
    passwords = kinds.count("password")
    if "new-password" in " ".join(tokens) or passwords >= 2:
        return "registration"
    text_like = [el for el in fields if el.tag == "textarea" or input_type(el) in TEXT_TYPES]
    if len(text_like) == 1 and (
        kinds[fields.index(text_like[0])] == "search"
        or form.get("role") == "search"
        or SEARCH_NAME.match(text_like[0].get("name") or "")
    ):
        return "search"
    if passwords == 1 and len(text_like) <= 2:
        return "login"
    words = submit_text(form)
    for kind, pattern in KIND_WORDS.items():
        if pattern.search(words):
            if kind == "newsletter" and len(text_like) > 3:
                continue  # "Anmelden" on a long form is a registration, not a newsletter
            return kind
    if any(el.tag == "textarea" for el in fields) and len(text_like) <= 6:
        return "contact"
    return "other"


def group_question(radio: HtmlElement, group: list[HtmlElement], limit: int = 400) -> str:
    """The words that ask a radio group's question: the legend, or the row around the
    whole group (empty when that row is longer than ``limit``: a page, not a question)."""
    for node in radio.iterancestors():
        if node.tag in ("form", "body"):
            break
        if node.tag == "fieldset":
            legend = node.find("legend")
            if legend is not None:
                return text_of(legend)
        if all(node in r.iterancestors() for r in group):
            text = text_of(node)
            return text if len(text) <= limit else ""
    return ""
