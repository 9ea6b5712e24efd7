from __future__ import annotations

from collections.abc import Iterator

from lxml.html import HtmlElement

from trustlint.htmlforms import NON_ENTRY_TYPES, forms, input_type, is_hidden
from trustlint.model import Report, Severity
from trustlint.registry import rule

# The autofill field names of the HTML Living Standard, 4.10.18.7.1 "Autofill detail
# tokens" (https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#autofill),
# the same list the web-platform-tests check ("X is an allowed autocomplete field name").
# fmt: off
FIELD_NAMES = frozenset({
    "name", "honorific-prefix", "given-name", "additional-name", "family-name",
    "honorific-suffix", "nickname", "username", "new-password", "current-password",
    "one-time-code", "organization-title", "organization", "street-address",
    "address-line1", "address-line2", "address-line3", "address-level4", "address-level3",
    "address-level2", "address-level1", "country", "country-name", "postal-code",
    "cc-name", "cc-given-name", "cc-additional-name", "cc-family-name", "cc-number",
    "cc-exp", "cc-exp-month", "cc-exp-year", "cc-csc", "cc-type", "transaction-currency",
    "transaction-amount", "language", "bday", "bday-day", "bday-month", "bday-year", "sex",
    "url", "photo",
})
# Contact field names: the only ones a home/work/mobile/fax/pager token may precede.
CONTACT_NAMES = frozenset({
    "tel", "tel-country-code", "tel-national", "tel-area-code", "tel-local",
    "tel-local-prefix", "tel-local-suffix", "tel-extension", "email", "impp",
})
# fmt: on
ALL_NAMES = FIELD_NAMES | CONTACT_NAMES
ADDRESS_KIND = frozenset({"shipping", "billing"})
CONTACT_KIND = frozenset({"home", "work", "mobile", "fax", "pager"})

# Values written to switch autofill off (or on) that the standard does not know:
# browsers treat them as an unknown purpose and go on guessing from the field's name.
SWITCH_OFF = frozenset(
    {
        "false",
        "no",
        "none",
        "nope",
        "disabled",
        "disable",
        "chrome-off",
        "off-autofill",
        "new-off",
        "autocomplete-off",
        "do-not-autofill",
        "noautocomplete",
        "null",
        "0",
        "random",
        "nofill",
        "no-fill",
        "donotautofill",
        "stop",
        "negative",
    }
)
SWITCH_ON = frozenset({"true", "yes", "1", "enabled", "enable"})

# Near misses: a made-up or misspelled purpose and the token the author meant.
MEANT = {
    "first-name": "given-name",
    "firstname": "given-name",
    "first_name": "given-name",
    "fname": "given-name",
    "first": "given-name",
    "given_name": "given-name",
    "forename": "given-name",
    "last-name": "family-name",
    "lastname": "family-name",
    "last_name": "family-name",
    "lname": "family-name",
    "surname": "family-name",
    "last": "family-name",
    "family_name": "family-name",
    "middle-name": "additional-name",
    "middlename": "additional-name",
    "full-name": "name",
    "fullname": "name",
    "full_name": "name",
    "e-mail": "email",
    "mail": "email",
    "email-address": "email",
    "emailaddress": "email",
    "new-email": "email",
    "phone": "tel",
    "telephone": "tel",
    "phone-number": "tel",
    "phonenumber": "tel",
    "mobile-phone": "tel",
    "cellphone": "tel",
    "zip": "postal-code",
    "zipcode": "postal-code",
    "zip-code": "postal-code",
    "postcode": "postal-code",
    "postal": "postal-code",
    "postalcode": "postal-code",
    "address": "street-address",
    "street": "address-line1",
    "address1": "address-line1",
    "address2": "address-line2",
    "address-line-1": "address-line1",
    "address-line-2": "address-line2",
    "city": "address-level2",
    "town": "address-level2",
    "state": "address-level1",
    "province": "address-level1",
    "region": "address-level1",
    "birthday": "bday",
    "birthdate": "bday",
    "dob": "bday",
    "date-of-birth": "bday",
    "company": "organization",
    "organisation": "organization",
    "company-name": "organization",
    "job-title": "organization-title",
    "password": 'current-password" or "new-password',
    "new_password": "new-password",
    "current_password": "current-password",
    "user": "username",
    "login": "username",
    "user-name": "username",
    "user_name": "username",
    "cc-num": "cc-number",
    "card-number": "cc-number",
    "cardnumber": "cc-number",
    "credit-card": "cc-number",
    "cc-cvv": "cc-csc",
    "cvv": "cc-csc",
    "cvc": "cc-csc",
    "cc-cvc": "cc-csc",
    "cc-exp-date": "cc-exp",
    "cc-expiry": "cc-exp",
    "expiry": "cc-exp",
    "gender": "sex",
    "website": "url",
    "otp": "one-time-code",
    "country-code": "country",
}


def problem(value: str) -> tuple[str, str] | None:
    """What is wrong with a control's ``autocomplete`` value, and what to write instead.

    ``None`` when the value is a valid autofill detail token list (ASCII
    case-insensitive): "on", "off", or [section-*] [shipping|billing]
    [home|work|mobile|fax|pager, before a contact field only] field-name [webauthn].
    """
    tokens = value.lower().split()
    if not tokens:
        return None  # empty: the form's or the browser's default, not an error
    if tokens in (["on"], ["off"]):
        return None
    shown = " ".join(tokens)
    if len(tokens) == 1:
        word = tokens[0]
        if word in SWITCH_OFF or word.startswith(("off-", "no-auto", "disable")):
            return (
                f'autocomplete="{shown}" is not a value browsers know: it does not turn '
                "autofill off, browsers ignore it and keep guessing what the field wants",
                'Write the field\'s purpose (autocomplete="email", "tel", ...) so autofill '
                'fills the right data, or autocomplete="off" where autofill must not help',
            )
        if word in SWITCH_ON:
            return (
                f'autocomplete="{shown}" is not a value browsers know; they ignore it',
                'Write the field\'s purpose (autocomplete="email", "given-name", ...) or '
                'autocomplete="on"',
            )
    rest = list(tokens)
    if rest[-1] == "webauthn":
        rest.pop()
        if not rest:
            return (
                'autocomplete="webauthn" needs a field name before it; browsers ignore it',
                'Write autocomplete="username webauthn" (or "current-password webauthn")',
            )
    if rest and rest[0].startswith("section-") and len(rest[0]) > len("section-"):
        rest.pop(0)
    if rest and rest[0] in ADDRESS_KIND:
        rest.pop(0)
    kind = rest.pop(0) if rest and rest[0] in CONTACT_KIND else None
    if len(rest) == 1 and rest[0] in ALL_NAMES:
        if kind is None or rest[0] in CONTACT_NAMES:
            return None
        return (
            f'autocomplete="{shown}": "{kind}" may only come before tel, email or impp; '
            "browsers ignore the whole value",
            f'Write autocomplete="{shown.replace(kind + " ", "", 1)}"',
        )
    unknown = [t for t in tokens if not _known(t)]
    if unknown:
        word = unknown[0]
        meant = MEANT.get(word) or MEANT.get(word.replace("_", "-"))
        if meant:
            return (
                f'autocomplete="{shown}": "{word}" is not an autofill field name, so '
                "browsers ignore the value and guess the field's purpose",
                f'Write the standard token: "{meant}"',
            )
        return (
            f'autocomplete="{shown}": "{word}" is not an autofill token; browsers ignore '
            "the value (a made-up word does not reliably stop autofill either)",
            "Use a token of the HTML autofill list (name, email, tel, street-address, "
            'postal-code, cc-number, ...), or "off"',
        )
    names = [t for t in tokens if t in ALL_NAMES]
    if not names:
        example = f"{shown} tel" if CONTACT_KIND & set(tokens) else "shipping postal-code"
        return (
            f'autocomplete="{shown}" has no field name; browsers ignore it',
            f'Add the field name last, e.g. autocomplete="{example}"',
        )
    if len(names) > 1 or "on" in tokens or "off" in tokens:
        return (
            f'autocomplete="{shown}" names more than one purpose; browsers ignore it',
            "Keep one field name (on and off stand alone)",
        )
    return (
        f'autocomplete="{shown}": the tokens are in the wrong order; browsers ignore it',
        "Order: section-*, shipping or billing, home/work/mobile/fax/pager, the field "
        "name, webauthn",
    )


def _known(token: str) -> bool:
    return (
        token in ALL_NAMES
        or token in ADDRESS_KIND
        or token in CONTACT_KIND
        or token in ("on", "off", "webauthn")
        or (token.startswith("section-") and len(token) > len("section-"))
    )


def _form_problem(value: str) -> tuple[str, str] | None:
    word = " ".join(value.lower().split())
    if not word or word in ("on", "off"):
        return None
    if word in SWITCH_ON:
        return (
            f'<form autocomplete="{word}"> is not a value browsers know; they ignore it',
            'Write autocomplete="on", or leave the attribute out',
        )
    return (
        f'<form autocomplete="{word}"> is not "on" or "off": browsers read it as "on", '
        "so it does not stop autofill",
        'A form takes only "on" or "off"; put purpose tokens on the fields themselves',
    )


@rule(
    code="TL208",
    name="autocomplete-invalid",
    summary="Autocomplete value that is not a valid autofill token list",
    category="forms",
    severity=Severity.WARNING,
    inputs=("html",),
)
def autocomplete_invalid(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Reports a visible `<input>`, `<select>` or `<textarea>` whose `autocomplete`
    attribute is not a valid autofill detail token list of the HTML standard: either
    `on` or `off` alone, or, in this order, an optional `section-*` token, an optional
    `shipping` or `billing`, an optional `home`, `work`, `mobile`, `fax` or `pager`
    (only before `tel*`, `email` or `impp`), exactly one autofill field name
    (`name`, `given-name`, `email`, `tel`, `street-address`, `postal-code`,
    `cc-number`, `bday`, `one-time-code`, ... 54 in all), and an optional `webauthn`.
    Tokens are compared case-insensitively; an empty value is left alone. Typical
    finds are values written to defeat autofill (`false`, `nope`, `chrome-off`,
    `new-email`) and guessed names (`phone`, `zip`, `first-name`); for those the
    suggestion names the standard token. A `<form autocomplete>` other than `on` or
    `off` is reported on the form: browsers read it as `on`. Hidden inputs, buttons
    and controls hidden from the customer are skipped. Whether a valid token fits
    the control's type (say `email` on a `<select>`) is not checked.

    ## Why is this bad?
    Browsers and password managers ignore an autocomplete value they do not
    understand and fall back to guessing from the field's name and label, so the
    author's intent is lost: a made-up value does not switch autofill off, and a
    guessed name such as `phone` does not tell the browser it is a telephone field.
    Customers then retype data or get the wrong data filled in. WCAG 2.1 success
    criterion 1.3.5 (Identify Input Purpose, AA) requires the standard tokens for
    fields about the user, and W3C ACT rule 73f2c2 tests exactly this grammar.
    Source: https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#autofill ;
    https://www.w3.org/WAI/standards-guidelines/act/rules/73f2c2/ ;
    https://www.w3.org/WAI/WCAG21/Understanding/identify-input-purpose.html

    ## Example
    ```html
    <input type="tel" name="phone" autocomplete="phone">
    <input name="email" autocomplete="nope">
    ```

    ## Use instead
    ```html
    <input type="tel" name="phone" autocomplete="tel">
    <input name="email" autocomplete="email">
    ```
    """
    root = doc.tree
    if root is None:
        return
    for form in forms(root):
        value = form.get("autocomplete")
        if value is None:
            continue
        found = _form_problem(value)
        if found:
            yield Report(form, found[0], suggestion=found[1])
    for control in root.iter("input", "select", "textarea"):
        value = control.get("autocomplete")
        if value is None or not _visible_control(control):
            continue
        found = problem(value)
        if found:
            yield Report(control, found[0], suggestion=found[1])


def _visible_control(control: HtmlElement) -> bool:
    if control.tag == "input" and input_type(control) in NON_ENTRY_TYPES:
        return False
    return not is_hidden(control)
