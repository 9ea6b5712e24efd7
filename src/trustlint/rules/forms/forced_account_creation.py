from __future__ import annotations

import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from trustlint import lazyre
from trustlint.htmlforms import (
    KIND_WORDS,
    controls,
    forms,
    input_type,
    label_text,
    submit_text,
    text_of,
)
from trustlint.model import Report, Severity
from trustlint.registry import rule

# A way to buy without an account: "guest", or "without an account", per language.
# Matched against every language at once: shops mix languages in buttons (and the Dutch
# "als gast" reads the German "als Gast" too).
GUEST: dict[str, list[str]] = {
    "en": [r"guests?", r"without (?:an |creating an )?account"],
    "de": [r"Gast(?:bestellung|zugang|kauf|konto)\w*", r"ohne (?:ein )?(?:Kunden)?konto"],
    "es": [r"invitad[oa]s?", r"sin (?:crear (?:una )?)?cuenta"],
    "it": [r"ospite", r"senza registrazione"],
    "ru": [r"гост(?:ь|я|ем|ев\w*)", r"без регистрации"],
    "id": [r"tamu", r"tanpa (?:akun|daftar)"],
    "fr": [r"invit[ée]e?s?", r"sans (?:cr[ée]er de )?compte"],
    "pt": [r"convidad[oa]s?", r"sem (?:criar )?conta"],
    "nl": [r"(?:als|voor) gast(?:en)?", r"zonder (?:account|registratie)"],
}
GUEST_PATTERN = lazyre.words(w for words in GUEST.values() for w in words)
SHIPPING_TOKEN = lazyre.compile(r"(?<![a-z])shipping(?![a-z])", re.I)
# A password the customer must invent (not one they log in with), from markup alone.
NEW_PASSWORD_NAME = lazyre.compile(
    r"new|creat|regist|sign_?up|confirm|repeat|account|passw(?:or)?d_?(?:2|again)", re.I
)
# Masked fields that hold no account password: card codes, PINs, one-time codes, and the
# old password of a password change.
NOT_ACCOUNT_PASSWORD = lazyre.compile(
    r"(?<![a-z])(?:cvv2?|cvc2?|csc|cc|card\w*|\w*pin|\w*code|otp|sms|tan|old|current\w*)(?![a-z])",
    re.I,
)
# A box that makes the account optional ("Create an account?"), by its name.
ACCOUNT_OPT_IN = lazyre.compile(r"creat\w*_?account|new_?account|regist|sign_?up|account", re.I)
SECTION_TAGS = ("section", "article", "main", "body")


def _tokens(el: HtmlElement) -> str:
    return " ".join(filter(None, (el.get("autocomplete"), el.get("name"), el.get("id"))))


def _is_checkout(form: HtmlElement, fields: list[HtmlElement]) -> bool:
    """A shipping address, or an order button that is not a sign-up button.

    Card and billing fields alone are no proof: prepaid services and paid sign-ups ask
    for them with an account that is the product itself.
    """
    typed = [el for el in fields if input_type(el) not in ("checkbox", "radio")]
    if any(SHIPPING_TOKEN.search(_tokens(el)) for el in typed):
        return True
    words = submit_text(form)
    if KIND_WORDS["registration"].search(words):
        return False
    return bool(KIND_WORDS["checkout"].search(words))


def _new_password(fields: list[HtmlElement]) -> HtmlElement | None:
    passwords = [
        el
        for el in fields
        if input_type(el) == "password" and not NOT_ACCOUNT_PASSWORD.search(_tokens(el))
    ]
    if not passwords:
        return None
    if len(passwords) >= 2:
        return passwords[0]
    for el in passwords:
        auto = (el.get("autocomplete") or "").lower()
        if "new-password" in auto:
            return el
        if "current-password" not in auto and NEW_PASSWORD_NAME.search(
            " ".join(filter(None, (el.get("name"), el.get("id"))))
        ):
            return el
    return None


def _required(el: HtmlElement) -> bool:
    return el.get("required") is not None or (el.get("aria-required") or "").lower() == "true"


def _account_is_optional(fields: list[HtmlElement]) -> bool:
    return any(
        input_type(el) == "checkbox"
        and ACCOUNT_OPT_IN.search(" ".join(filter(None, (el.get("name"), el.get("id")))))
        for el in fields
    )


def _scope(form: HtmlElement) -> HtmlElement:
    """The section around the form, where a "continue as guest" button would sit."""
    for node in form.iterancestors():
        if node.tag in SECTION_TAGS:
            return node
    return form


def _guest_offered(form: HtmlElement) -> bool:
    box = _scope(form)
    if GUEST_PATTERN.search(text_of(box)):
        return True
    for el in box.iter("input", "button", "a", "option"):
        words = " ".join(el.get(a) or "" for a in ("value", "title", "aria-label", "href"))
        if GUEST_PATTERN.search(words.replace("_", " ").replace("-", " ")):
            return True
    return False


def _shown(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@rule(
    code="TL212",
    name="forced-account-creation",
    summary="Checkout makes customers create an account, with no guest option",
    category="forms",
    severity=Severity.INFO,
    inputs=("html",),
    langs=("en", "de", "es", "it", "ru", "id", "fr", "pt", "nl"),
)
def forced_account_creation(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Reports a checkout form that makes the customer choose a password when nothing
    around it offers to buy as a guest.
    A form is a checkout when a field is for a shipping address (`autocomplete`,
    `name` or `id` says `shipping`), or when its submit button reads like an order
    ("Place order", "Pay", "Jetzt kaufen", "Comprar", "Оформить заказ", "Bayar",
    "Commander", "Finalizar compra", "Bestellen"...) and not like a sign-up ("Create
    account", "Sign up"). Card and billing fields alone do not make a checkout:
    prepaid services and paid sign-ups ask for them, and there the account is the
    product. The password is a new one when its
    `autocomplete` is `new-password`, when there are two password fields (password
    and confirmation), or when its `name` or `id` says so (`new_password`,
    `create_account_password`); a login password (`current-password`) is left alone,
    and so are masked card codes, PINs and one-time codes (`cvv`, `card_pin`, `sms_code`).
    It is demanded unless a checkbox named like `create_account` makes the account
    optional (a `required` password is demanded whatever the boxes say).
    A guest option is the word "guest" or "without an account" anywhere in the form's
    section (`<section>`, `<article>`, `<main>`, else the page) in English, German
    ("Gast", "ohne Kundenkonto"), Spanish ("invitado", "sin cuenta"), Italian
    ("ospite", "senza registrazione"), Russian ("гость", "без регистрации"),
    Indonesian ("tamu", "tanpa akun"), French ("invité", "sans compte"), Portuguese
    ("convidado", "sem conta") or Dutch ("gast", "zonder account").

    ## Why is this bad?
    Customers who came to buy are told to sign up first: in the Baymard Institute's
    survey of US online shoppers, "the site wanted me to create an account" is the
    second most common reason to abandon an order (24% of those who abandoned, 2024).
    An account means one more password and one more place their data is kept, which
    asks for trust the shop has not earned yet. The European Commission's 2022
    behavioural study on unfair commercial practices in the digital environment counts
    forced registration among the most common dark patterns.
    Source: https://baymard.com/lists/cart-abandonment-rate ;
    https://op.europa.eu/en/publication-detail/-/publication/606365bc-d58b-11ec-a95f-01aa75ed71a1

    ## Example
    ```html
    <form action="/order" method="post">
      <p>To order, please create a customer account.</p>
      <input type="email" name="email" autocomplete="email">
      <input type="password" name="password" autocomplete="new-password" required>
      <input name="street" autocomplete="shipping address-line1">
      <button>Buy now</button>
    </form>
    ```

    ## Use instead
    Let customers order as guests and offer the account after the order, when all it
    takes is a password:
    ```html
    <form action="/order" method="post">
      <input type="email" name="email" autocomplete="email">
      <input name="street" autocomplete="shipping address-line1">
      <button>Buy now</button>
    </form>
    <p>Save your details for next time? Set a password after your order.</p>
    ```
    """
    root = doc.tree
    if root is None:
        return
    for form in forms(root):
        fields = controls(form)
        password = _new_password(fields)
        if password is None or not _is_checkout(form, fields):
            continue
        if not _required(password) and _account_is_optional(fields):
            continue
        if _guest_offered(form):
            continue
        label = label_text(password)
        what = f' ("{_shown(label)}")' if label else ""
        yield Report(
            form,
            f"this checkout makes customers create an account: a new password{what} is "
            "required and no guest checkout is offered",
            suggestion="Offer guest checkout and suggest an account after the order",
        )
