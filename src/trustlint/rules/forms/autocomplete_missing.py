from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml.html import HtmlElement

from trustlint import lazyre
from trustlint.htmlforms import (
    TEXT_TYPES,
    controls,
    form_kind,
    forms,
    input_type,
    is_entry_control,
)
from trustlint.model import Report, Severity
from trustlint.registry import rule


# Field names (the last [key] of name, else id; camelCase split, lower case, words
# joined by "_") and the autofill token they ask for. First match wins, so the
# specific patterns (card, birth date, email) come before the general ones (name,
# address). "strong" fields show on their own that a form collects data about the
# customer; the others (a lone "name", "city", "country", "company") count only in a
# form that also has a strong field or a street address, so that a product search by
# city or a "name your list" box stays quiet.
@dataclass(frozen=True)
class Purpose:
    pattern: lazyre.LazyPattern
    token: str
    what: str
    strong: bool


def _p(words: str, token: str, what: str, strong: bool = True) -> Purpose:
    return Purpose(lazyre.compile(rf"(?<![a-z0-9])(?:{words})(?![a-z0-9])"), token, what, strong)


PURPOSES = (
    # cards
    _p(
        r"cc_?(?:num|number|no)|card_?(?:num|number|no)|credit_?card(?:_?(?:num|number|no))?|"
        r"creditcard(?:_?number)?|ccnumber|cardnumber",
        "cc-number",
        "card number",
    ),
    _p(
        r"cc_?csc|cvv2?|cvc2?|csc|card_?(?:code|cvv|cvc)|card_?security_?code",
        "cc-csc",
        "card security code",
    ),
    _p(
        r"(?:cc_?)?exp(?:iry|iration)?_?(?:date_?)?(?:month|mon|mm)|cc_?month|card_?month",
        "cc-exp-month",
        "card expiry month",
    ),
    _p(
        r"(?:cc_?)?exp(?:iry|iration)?_?(?:date_?)?(?:year|yr|yy|yyyy)|cc_?year|card_?year",
        "cc-exp-year",
        "card expiry year",
    ),
    _p(
        r"cc_?exp(?:iry|iration)?(?:_?date)?|card_?exp(?:iry|iration)?(?:_?date)?|"
        r"expiry_?date|expiration_?date",
        "cc-exp",
        "card expiry date",
    ),
    _p(
        r"cc_?name|card_?(?:holder|name)(?:_?name)?|cardholder(?:_?name)?|name_?on_?card|"
        r"holder_?name",
        "cc-name",
        "name on the card",
    ),
    # birth date
    _p(
        r"(?:bday|birthday|birth_?date|date_?of_?birth|dob)_?(?:day|dd)|birth_?day_?day",
        "bday-day",
        "day of birth",
    ),
    _p(
        r"(?:bday|birthday|birth_?date|date_?of_?birth|dob)_?(?:month|mm)|birth_?month",
        "bday-month",
        "month of birth",
    ),
    _p(
        r"(?:bday|birthday|birth_?date|date_?of_?birth|dob)_?(?:year|yyyy|yy)|birth_?year",
        "bday-year",
        "year of birth",
    ),
    _p(
        r"bday|birthday|birth_?date|date_?of_?birth|dob|geburtsdatum|fecha_?(?:de_?)?nacimiento|"
        r"data_?(?:di_?)?nascita|date_?(?:de_?)?naissance|geboortedatum",
        "bday",
        "birth date",
    ),
    # email and phone
    _p(r"e_?mail(?:_?address|_?addr)?|mail|emailaddress|correo|courriel", "email", "email address"),
    _p(
        r"phone(?:_?(?:number|num|no))?|telephone(?:_?(?:number|num|no))?|tel|"
        r"mobile(?:_?(?:phone|number|num|no))?|cell(?:_?phone)?|cellphone|mobilephone|"
        r"phonenumber|telefon|telefono|telefone|telefoon|handy|celular",
        "tel",
        "phone number",
    ),
    # names
    _p(
        r"first_?name|fname|given_?name|forename|firstname|vorname|prenom|voornaam",
        "given-name",
        "first name",
    ),
    _p(
        r"last_?name|lname|surname|family_?name|lastname|nachname|familienname|apellidos?|"
        r"cognome|sobrenome|achternaam",
        "family-name",
        "last name",
    ),
    _p(r"middle_?name|mname|middlename", "additional-name", "middle name"),
    # addresses: a street line is strong, the rest is not
    _p(
        r"(?:street_?)?address_?(?:line_?)?2|addr_?2|address_?two",
        "address-line2",
        "address line 2",
    ),
    _p(
        r"(?:street_?)?address_?(?:line_?)?1|addr_?1|street(?:_?address)?|streetaddress|"
        r"address|addr|strasse|stra(?:ss|ß)e|direccion|indirizzo|endereco|adresse|straat",
        "address-line1",
        "street address",
    ),
    _p(
        r"zip(?:_?code)?|post_?code|postal(?:_?code)?|plz|cep|codigo_?postal|code_?postal",
        "postal-code",
        "postcode",
        strong=False,
    ),
    _p(
        r"city|town|ort|stadt|ciudad|citta|cidade|ville|plaats|woonplaats",
        "address-level2",
        "city",
        strong=False,
    ),
    _p(
        r"state|province|region|county|bundesland|provincia|estado",
        "address-level1",
        "state or region",
        strong=False,
    ),
    _p(r"country(?:_?code)?|land|pais|paese|pays", "country", "country", strong=False),
    _p(
        r"company(?:_?name)?|organi[sz]ation(?:_?name)?|firma|empresa|azienda|societe|bedrijf",
        "organization",
        "company",
        strong=False,
    ),
    _p(r"job_?title|jobtitle", "organization-title", "job title", strong=False),
    _p(
        r"name|full_?name|your_?name|real_?name|contact_?name|customer_?name|author|nombre|nome",
        "name",
        "name",
        strong=False,
    ),
)
# The key must *be* the name, not merely contain it: "product_name" is no one's name.
WHOLE_KEY = frozenset({"name"})
USERNAME = lazyre.compile(
    r"^(?:user_?name|username|login(?:_?name|_?id)?|user_?login|user_?id|"
    r"userid|user|log|benutzername|usuario)$"
)

# Fields about someone else, or not about anyone: leave them alone.
NOT_THE_CUSTOMER = lazyre.compile(
    r"(?<![a-z0-9])(?:friends?|referr?al|refer(?:rer|ee)?|invit(?:e|ee|ation)|colleague|"
    r"recipients?|receiver|beneficiary|emergency|spouse|child|kids?|guardian|parents?|gift|"
    r"search|query|q|keywords?|captcha|coupon|promo(?:_?code)?|voucher|discount|"
    r"honeypot|hp|trap|otp|verification|confirm_?code|subject|message|comments?|"
    r"domain|site|website|web|url|ip|product|item|file|list|group|tag|team|project|event|pet)(?![a-z0-9])"
)
SECTION = lazyre.compile(r"(?<![a-z0-9])(shipping|ship|billing|bill|delivery|invoice)(?![a-z0-9])")
SEARCH_ROLE = lazyre.compile(r"search", re.I)


def _words(raw: str) -> str:
    raw = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", raw)
    return re.sub(r"[^a-z0-9]+", "_", raw.lower()).strip("_")


def _key(raw: str) -> str:
    """The innermost key of ``data[user][first_name]``, as words."""
    parts = [p for p in re.split(r"[\[\]]+", raw) if p.strip()]
    return _words(parts[-1]) if parts else ""


def _purpose(control: HtmlElement) -> tuple[Purpose | None, str]:
    """The purpose its name or id reveals, and all its identifier words (for sections)."""
    whole = _words(" ".join(filter(None, (control.get("name"), control.get("id")))))
    for attr in ("name", "id"):
        key = _key(control.get(attr) or "")
        if not key:
            continue
        for purpose in PURPOSES:
            if purpose.token == "name":
                if key in WHOLE_KEY or re.fullmatch(purpose.pattern.pattern, key):
                    return purpose, whole
                continue
            if purpose.pattern.search(key):
                return purpose, whole
    return None, whole


def _password_token(control: HtmlElement, form: HtmlElement | None) -> str:
    ident = _words(" ".join(filter(None, (control.get("name"), control.get("id")))))
    if re.search(
        r"(?<![a-z])(?:new|confirm|repeat|retype|again|verify|register|signup|"
        r"password_?2|pass_?2|pwd_?2)(?![a-z])",
        ident,
    ):
        return "new-password"
    if form is not None and form_kind(form) == "registration":
        return "new-password"
    return "current-password"


def _groups(root: HtmlElement) -> Iterator[tuple[HtmlElement | None, list[HtmlElement]]]:
    """Each form with its controls, then the controls that belong to no form."""
    owned: set[HtmlElement] = set()  # elements, not id(): a dead proxy's id is reused
    for form in forms(root):
        found = controls(form)
        owned.update(found)
        yield form, found
    loose = [
        el
        for el in root.iter("input", "select", "textarea")
        if el not in owned
        and next(el.iterancestors("form"), None) is None
        and not el.get("form")
        and is_entry_control(el)
    ]
    if loose:
        yield None, loose


def _searchy(form: HtmlElement | None) -> bool:
    if form is None:
        return False
    return bool(SEARCH_ROLE.search(form.get("role") or "") or form_kind(form) == "search")


@rule(
    code="TL207",
    name="autocomplete-missing",
    summary="Field asks for the customer's own data but has no autocomplete token",
    category="forms",
    severity=Severity.INFO,
    inputs=("html",),
)
def autocomplete_missing(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Reports a visible text field, `<select>` or `<textarea>` that asks for the
    customer's own data and has no `autocomplete` attribute. The purpose is read
    from the field's type (`email`, `tel`, `password`) and from its `name` or `id`
    (the last `[key]` of `customer[first_name]`): names, email, phone, street address,
    postcode, city, region, country, company, birth date, card number, expiry and
    security code, and the username of a sign-in form. Field names in German,
    Spanish, French, Italian, Portuguese and Dutch (`vorname`, `telefono`, `plz`...) are
    read too; labels are not. The suggestion names the token, with `shipping` or
    `billing` when the name says so (`billing_city` → `billing address-level2`).
    Passwords get `current-password`, or `new-password` in a sign-up form or a field
    named new/confirm/repeat: Chrome asks for the same in its console. A lone
    `name`, `city`, `country` or `company` counts only when the same form has a
    stronger sign that it is about the customer (email, phone, first or last name,
    card, birth date or street), so a product search by city stays quiet. Skipped:
    search forms, read-only fields, fields about someone else (friend, recipient,
    referral, gift, emergency contact) and fields that are no personal data (captcha,
    coupon and promo codes, one-time codes). A password in a form with
    `autocomplete="off"` is left to TL210.

    ## Why is this bad?
    Without the token, browsers and password managers have to guess what a field
    wants; they often guess wrong or not at all, and customers type their address
    and card number by hand on a phone. Autofill makes a long form feel short
    (Baymard), and the token is what WCAG 2.1 success criterion 1.3.5 (Identify Input
    Purpose, AA) asks for on every field about the user, so that assistive tools can
    fill it or show an icon for it.
    Source: https://www.w3.org/WAI/WCAG21/Understanding/identify-input-purpose.html ;
    https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#autofill ;
    https://web.dev/learn/forms/autofill

    ## Example
    ```html
    <label for="email">Email</label>
    <input type="email" id="email" name="email">
    ```

    ## Use instead
    ```html
    <label for="email">Email</label>
    <input type="email" id="email" name="email" autocomplete="email">
    ```
    """
    root = doc.tree
    if root is None:
        return
    for form, fields in _groups(root):
        if _searchy(form):
            continue
        form_off = form is not None and (form.get("autocomplete") or "").strip().lower() == "off"
        found: list[tuple[HtmlElement, str, str, bool]] = []
        has_password = any(input_type(el) == "password" for el in fields)
        login = form is not None and form_kind(form) == "login"
        for control in fields:
            kind = input_type(control)
            if control.tag == "input" and kind not in TEXT_TYPES:
                continue
            if control.get("autocomplete") is not None or control.get("readonly") is not None:
                continue
            if kind == "search":
                continue
            purpose, ident = _purpose(control)
            if NOT_THE_CUSTOMER.search(ident):
                continue
            if kind == "password":
                if form_off:
                    continue  # TL210 reports autocomplete=off on a password
                token = _password_token(control, form)
                found.append((control, token, "password", True))
                continue
            key = _key(control.get("name") or control.get("id") or "")
            if has_password and USERNAME.match(key) and kind != "email":
                found.append((control, "username", "username", True))
                continue
            if purpose is None:
                if kind == "email":
                    purpose = PURPOSES_BY_TOKEN["email"]
                elif kind == "tel" and not NOT_A_PHONE.search(ident):
                    purpose = PURPOSES_BY_TOKEN["tel"]
                else:
                    continue
            if control.tag == "textarea" and purpose.token != "address-line1":
                continue
            if control.tag == "select" and (
                purpose.token not in SELECT_TOKENS or control.get("multiple") is not None
            ):
                continue
            token = purpose.token
            if control.tag == "textarea":
                token = "street-address"
            if token == "email" and login:
                token = "username"
            section = SECTION.search(ident)
            if section and token in ADDRESS_TOKENS:
                billing = section.group(1) in ("billing", "bill", "invoice")
                prefix = "billing" if billing else "shipping"
                token = f"{prefix} {token}"
            what = purpose.what
            found.append((control, token, what, purpose.strong))
        if not any(strong for *_, strong in found):
            continue
        for control, token, what, _strong in found:
            who = (
                "browsers and password managers"
                if token.endswith(("password", "username"))
                else "browsers"
            )
            message = (
                f"{what} field has no autocomplete attribute; {who} must guess what it "
                "wants, so autofill skips it or fills the wrong data"
            )
            if form_off:
                message += ' (its form says autocomplete="off")'
            hint = (
                ' (a sign-in field; "email" also works)'
                if what.startswith("email") and token == "username"
                else ""
            )
            yield Report(control, message, suggestion=f'Add autocomplete="{token}"{hint}')


PURPOSES_BY_TOKEN = {p.token: p for p in PURPOSES}
# type=tel is also the numeric keyboard trick for codes, amounts and card numbers.
NOT_A_PHONE = lazyre.compile(
    r"(?<![a-z0-9])(?:qty|quantity|amount|count|pin|code|zip|postal|age|year|month|day|"
    r"price|size|account|iban|bic|number_of|num_of)(?![a-z0-9])"
)
SELECT_TOKENS = frozenset(
    {
        "country",
        "address-level1",
        "address-level2",
        "cc-exp-month",
        "cc-exp-year",
        "cc-exp",
        "bday-day",
        "bday-month",
        "bday-year",
        "honorific-prefix",
    }
)
ADDRESS_TOKENS = frozenset(
    {
        "name",
        "given-name",
        "family-name",
        "additional-name",
        "organization",
        "address-line1",
        "address-line2",
        "street-address",
        "postal-code",
        "address-level1",
        "address-level2",
        "country",
        "tel",
        "email",
    }
)
