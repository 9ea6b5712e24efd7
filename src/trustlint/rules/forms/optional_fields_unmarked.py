from __future__ import annotations

import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from trustlint import lazyre
from trustlint.htmlforms import (
    TEXT_TYPES,
    accessible_name,
    controls,
    form_kind,
    forms,
    input_type,
    labels_of,
    text_of,
)
from trustlint.model import Report, Severity
from trustlint.registry import rule

# "(optional)" per language, as written in a label or placeholder. Labels are short,
# so every language is tried on every label.
OPTIONAL: dict[str, list[str]] = {
    "en": [r"optional"],
    "de": [r"optional", r"freiwillig"],
    "es": [r"opcional"],
    "it": [r"facoltativ[oa]", r"opzionale"],
    "ru": [r"необязательно", r"необязательное"],
    "id": [r"opsional", r"tidak wajib"],
    "fr": [r"facultati(?:f|ve)", r"optionnel(?:le)?"],
    "pt": [r"opcional", r"facultativ[oa]"],
    "nl": [r"optioneel", r"niet verplicht"],
}
# "required" per language: a label that says so marks its field as required. Read
# only after OPTIONAL, so "niet verplicht" and "tidak wajib" stay optional.
REQUIRED: dict[str, list[str]] = {
    "en": [r"required"],
    "de": [r"Pflichtfeld", r"erforderlich"],
    "es": [r"obligatorio"],
    "it": [r"obbligatorio"],
    "ru": [r"обязательно", r"обязательное"],
    "id": [r"wajib"],
    "fr": [r"obligatoire"],
    "pt": [r"obrigat[oó]rio"],
    "nl": [r"verplicht"],
}


def _compile(entries: dict[str, list[str]]) -> lazyre.LazyPattern:
    words = [w for per_lang in entries.values() for w in per_lang]
    return lazyre.words(words)


OPTIONAL_WORDS = _compile(OPTIONAL)
REQUIRED_WORDS = _compile(REQUIRED)
ASTERISK = lazyre.compile(r"[*＊✱]")
# Class names that draw a required marker with CSS (label.required::after {content: "*"}).
REQUIRED_CLASS = lazyre.compile(
    r"(?<![a-z])(?:required|is-required|field-required|mandatory|obligatorio|obrigatorio|"
    r"pflichtfeld|req|mand)(?![a-z])",
    re.I,
)
# Fields no customer is meant to answer as a question: CAPTCHAs and spam traps.
NOT_A_QUESTION = lazyre.compile(
    r"captcha|honey|hpot|(?<![a-z])(?:hp|bot|trap|spam|antispam|magic_?word|quiz|challenge|"
    r"security_?(?:code|question)|verif\w*|human|math|qty|quantity|coupon|promo\w*|voucher|"
    r"discount)(?![a-z])",
    re.I,
)
# The same in a label: a spam trap or a sum to solve, not a question about the customer.
NOT_A_QUESTION_LABEL = lazyre.compile(
    r"captcha|spam|robot|leave (?:this|it) (?:field )?(?:blank|empty)|do(?:n'?t| not) fill|"
    r"nicht ausf[üu]llen|\d\s*[-+x×*]\s*\d*\s*=",
    re.I,
)
# Hidden with a class or pushed off screen: spam traps and fields shown later by script.
HIDING_CLASS = lazyre.compile(
    r"(?<![\w-])(?:hidden|hide|d-none|honeypot|sr-only|visually-hidden|screen-reader-text|"
    r"invisible)(?![\w-])",
    re.I,
)
OFFSCREEN = lazyre.compile(
    r"(?:left|top|text-indent)\s*:\s*-\d{3,}|opacity\s*:\s*0(?![.\d])|"
    r"(?<![-\w])(?:height|width)\s*:\s*0(?:px)?\s*(?:;|$)",
    re.I,
)
STYLES = ("auto", "govuk", "asterisk")


def _questions(form: HtmlElement) -> list[HtmlElement]:
    """Fields the customer types into or picks from: text fields, text areas, selects."""
    found = []
    for el in controls(form):
        if el.get("readonly") is not None or not el.get("name"):
            continue  # read-only, or never sent: not a question
        if el.tag == "input" and input_type(el) not in TEXT_TYPES - {"search"}:
            continue
        ident = " ".join(filter(None, (el.get("name"), el.get("id"), el.get("class"))))
        if NOT_A_QUESTION.search(ident) or _tucked_away(el, form):
            continue
        if NOT_A_QUESTION_LABEL.search(_label(el)):
            continue
        found.append(el)
    return found


def _tucked_away(control: HtmlElement, form: HtmlElement) -> bool:
    for node in (control, *control.iterancestors()):
        if node is form:
            return False
        if HIDING_CLASS.search(node.get("class") or "") or OFFSCREEN.search(
            node.get("style") or ""
        ):
            return True
    return False


def _label(control: HtmlElement) -> str:
    """The words a customer reads for the field: its label, else the text before it.

    Text after a text field is mostly a hint or a counter, so it is not read.
    """
    text = _real(control, accessible_name(control))
    if text:
        return text
    before = control.getprevious()
    if before is not None and isinstance(before.tag, str):
        words = _real(control, text_of(before))
        if len(words) <= 80:
            return words
    parent = control.getparent()
    if parent is not None and parent.tag in ("td", "dd"):
        cell = parent.getprevious()
        if cell is not None and cell.tag in ("td", "th", "dt"):
            words = _real(control, text_of(cell))
            if len(words) <= 80:
                return words
    return ""


def _real(control: HtmlElement, text: str) -> str:
    """``text`` unless it is no label: punctuation only, or the field's own name or id
    written the same way."""
    if not re.search(r"\w", text):
        return ""
    own = {control.get("name"), control.get("id")}  # a title="areaCode", not a label
    if text.strip() in own:
        return ""
    return text


def _css_marked(control: HtmlElement, form: HtmlElement, alone: set[HtmlElement]) -> bool:
    """A label or a wrapper of this field alone carries a "required" class."""
    for label in labels_of(control):
        if REQUIRED_CLASS.search(label.get("class") or ""):
            return True
        if any(
            REQUIRED_CLASS.search(el.get("class") or "")
            for el in label.iterdescendants()
            if isinstance(el.tag, str)
        ):
            return True
    for depth, node in enumerate(control.iterancestors()):
        if node is form or depth >= 3 or node not in alone:
            break
        if REQUIRED_CLASS.search(node.get("class") or ""):
            return True
    return False


def _wrappers_of_one(questions: list[HtmlElement], form: HtmlElement) -> set[HtmlElement]:
    """Ancestors (below the form) that hold exactly one of the questions."""
    counts: dict[HtmlElement, int] = {}  # elements, not id(): a dead proxy's id is reused
    for el in questions:
        for node in el.iterancestors():
            if node is form:
                break
            counts[node] = counts.get(node, 0) + 1
    return {key for key, n in counts.items() if n == 1}


def _shown(control: HtmlElement, label: str) -> str:
    text = " ".join(label.split()) or control.get("placeholder") or control.get("name") or "?"
    text = text.strip(" :*")
    return text if len(text) <= 40 else text[:39].rstrip() + "…"


@rule(
    code="TL209",
    name="optional-fields-unmarked",
    summary="Form mixes required and optional fields without marking which is which",
    category="forms",
    severity=Severity.INFO,
    inputs=("html",),
    langs=("en", "de", "es", "it", "ru", "id", "fr", "pt", "nl"),
    options={"style": "auto"},
)
def optional_fields_unmarked(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Looks at each form with at least two text fields, text areas or selects, some
    required and some not. A field is required when it has `required` or
    `aria-required="true"`, a `required` class (on the field, its label or a wrapper
    of that field alone), or a label with an asterisk or the word "required"
    (Pflichtfeld, obligatorio, обязательно, wajib, obligatoire, obrigatório,
    verplicht ...). With `style = "auto"` (the default) it follows the form's own
    convention: a form that marks its required fields (asterisks) is held to marking
    all of them, as with `"asterisk"`; a form that marks nothing is held to GOV.UK's
    rule. With `style = "govuk"` the rule names the optional
    text fields and text areas whose label or placeholder does not say "optional":
    optional, freiwillig, opcional, facoltativo, opzionale, необязательно, opsional,
    tidak wajib, facultatif, optionnel, facultativo, optioneel, niet verplicht.
    Selects always send a value, so they are not asked to say "optional". With
    `style = "asterisk"` it names instead the required fields whose label shows no
    asterisk, no "required" word and no `required` class. It reports once per form,
    on the `<form>` tag, listing the fields: the fix is one decision per form, and
    one finding per field would repeat it. Forms with one field, forms whose fields
    are all required (or none is known to be), sign-in and search forms are left
    alone.

    ## Why is this bad?
    If nothing tells them which fields they may skip, customers fill in everything,
    including data the shop does not need, or give up on a form that looks longer
    than it is. The GOV.UK Design System asks to "mark the labels of optional fields
    with '(optional)'" and not to mark mandatory fields with asterisks; Nielsen Norman
    Group recommends an asterisk on required fields instead. The two guides disagree,
    so the convention is an option; both agree that the difference must be visible.
    Source: https://design-system.service.gov.uk/patterns/question-pages/ ;
    https://www.nngroup.com/articles/required-fields/

    ## Example
    ```html
    <form action="/contact">
      <label for="n">Name</label> <input id="n" name="name" required>
      <label for="c">Company</label> <input id="c" name="company">
      <label for="m">Message</label> <textarea id="m" name="msg" required></textarea>
    </form>
    ```

    ## Use instead
    ```html
    <label for="c">Company (optional)</label> <input id="c" name="company">
    ```
    Or, with `style = "asterisk"` under `[tool.trustlint.rules.optional-fields-unmarked]`,
    an asterisk on each required label and a note "* required" above the form.
    """
    root = doc.tree
    if root is None:
        return
    style = str(ctx.options["style"]).strip().lower()
    if style not in STYLES:
        raise ValueError(f"option style must be one of {', '.join(STYLES)}, not {style!r}")
    for form in forms(root):
        questions = _questions(form)
        if len(questions) < 2 or form_kind(form) in ("login", "search"):
            continue
        alone = _wrappers_of_one(questions, form)
        required, optional = [], []
        for el in questions:
            label = _label(el)
            hint = f"{label} {el.get('placeholder') or ''}"
            says_optional = bool(OPTIONAL_WORDS.search(hint))
            marked = not says_optional and bool(
                ASTERISK.search(label)
                or REQUIRED_WORDS.search(hint)
                or _css_marked(el, form, alone)
            )
            attr = (
                el.get("required") is not None
                or (el.get("aria-required") or "").strip().lower() == "true"
                or bool(REQUIRED_CLASS.search(el.get("class") or ""))
            )
            if attr or marked:
                required.append((el, label, marked))
            else:
                optional.append((el, label, says_optional))
        # Selects alone are a weak sign (a "required" class on one menu of a widget);
        # and a field whose label cannot be found may well be marked where we cannot see.
        if not any(el.tag != "select" for el, _, _ in required):
            continue
        optional = [(el, label, says) for el, label, says in optional if label.strip()]
        if not optional:
            continue
        mode = style
        if style == "auto":  # follow the form's own convention
            mode = "asterisk" if any(marked for _, _, marked in required) else "govuk"
        if mode == "govuk":
            unmarked = [
                _shown(el, label) for el, label, says in optional if not says and el.tag != "select"
            ]
            if not unmarked:
                continue
            if all(marked for _, _, marked in required):
                message = (
                    "required fields are marked but the optional ones do not say "
                    f'"optional": {_list(unmarked)}'
                )
            else:
                message = (
                    "form mixes required and optional fields but does not say which are "
                    f"optional: {_list(unmarked)}"
                )
            yield Report(
                form,
                message,
                suggestion='Add "(optional)", in the page\'s language, to the labels of '
                "optional fields (or ask only for what you need)",
            )
        else:
            unmarked = [_shown(el, label) for el, label, marked in required if not marked]
            if not unmarked:
                continue
            yield Report(
                form,
                f"form mixes required and optional fields but does not mark the required "
                f"ones: {_list(unmarked)}",
                suggestion="Put an asterisk (*) on the labels of required fields and explain "
                'it above the form ("* required")',
            )


def _list(names: list[str], limit: int = 5) -> str:
    quoted = [f'"{n}"' for n in names[:limit]]
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(quoted) + more
