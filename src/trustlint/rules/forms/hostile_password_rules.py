from __future__ import annotations

import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from trustlint import lazyre
from trustlint.htmlforms import input_type, is_entry_control
from trustlint.model import Report, Severity
from trustlint.registry import rule

# An inline paste handler that cancels the paste.
BLOCKS_PASTE = lazyre.compile(r"return\s+false|preventdefault|returnvalue\s*=\s*false", re.I)
# Masked fields that are not passwords a customer chooses or a manager fills: card
# security codes, PINs and one-time codes are short by design.
NOT_A_PASSWORD = lazyre.compile(
    r"(?<![a-z])(?:cvv2?|cvc2?|csc|cid|pin|otp|tan|mtan|one_?time|security_?code|"
    r"verification_?code|sms_?code|auth_?code|code|vcode|card|credit_?card)(?![a-z])"
)
SHORT_BY_DESIGN = frozenset({"one-time-code", "cc-csc"})


def _identifier(control: HtmlElement) -> str:
    raw = " ".join(filter(None, (control.get("name"), control.get("id"))))
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", raw).lower()


def _form_owner(control: HtmlElement) -> HtmlElement | None:
    owner = control.get("form")
    if owner:
        root = control.getroottree().getroot()
        for form in root.iter("form"):
            if form.get("id") == owner:
                return form
    return next(control.iterancestors("form"), None)


def _maxlength(control: HtmlElement) -> int | None:
    raw = (control.get("maxlength") or "").strip()
    return int(raw) if raw.isdigit() else None


@rule(
    code="TL210",
    name="hostile-password-rules",
    summary="Password field blocks paste, caps the length or turns off password managers",
    category="forms",
    severity=Severity.WARNING,
    inputs=("html",),
    options={"maxlength_info_below": 64, "maxlength_warning_below": 20},
)
def hostile_password_rules(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Reports three habits on a visible `<input type="password">`, each as its own
    finding on the field:

    * paste is blocked: an `onpaste` handler that returns false or calls
      `preventDefault()` (warning);
    * a `maxlength` below 64, the length NIST asks sites to accept: info, and a
      warning below 20 (options `maxlength-info-below` and `maxlength-warning-below`);
    * `autocomplete="off"` on the field, or on its form when the field has no
      `autocomplete` of its own (warning).

    Masked fields that are not chosen passwords are skipped: card security codes,
    PINs and one-time codes (`cvv`, `pin`, `otp`, `code` in the name or id,
    `autocomplete="one-time-code"` or `"cc-csc"`, `inputmode="numeric"`). `oncopy`
    and `oncut` are left alone: browsers never copy out of a password field anyway.
    Invalid autocomplete values (`"nope"`, `"false"`) are TL208's job.

    ## Why is this bad?
    Password managers and paste are how people use long, unique passwords. Blocking
    paste, truncating long passwords and asking managers to stay away push customers
    to short passwords they reuse elsewhere, and make logging in a chore. NIST SP
    800-63B §5.1.1.2: verifiers "SHOULD permit subscriber-chosen memorized secrets at
    least 64 characters in length" and "SHOULD permit claimants to use 'paste'
    functionality ... This facilitates the use of password managers". The UK NCSC
    calls paste blocking a practice that makes security worse ("Let them paste
    passwords"), and WCAG 2.2 SC 3.3.8 (Accessible Authentication) counts password
    managers and copy and paste among the ways a login must stay usable.
    Source: https://pages.nist.gov/800-63-3/sp800-63b.html#memsecretver ;
    https://www.ncsc.gov.uk/blog-post/let-them-paste-passwords ;
    https://www.w3.org/WAI/WCAG22/Understanding/accessible-authentication-minimum.html

    ## Example
    ```html
    <input type="password" name="password" maxlength="12" autocomplete="off"
           onpaste="return false">
    ```

    ## Use instead
    ```html
    <input type="password" name="password" autocomplete="current-password">
    ```
    Use `autocomplete="new-password"` on sign-up and change-password forms, and check
    length limits on the server (at least 64 characters).
    """
    root = doc.tree
    if root is None:
        return
    info_below = ctx.options["maxlength_info_below"]
    warning_below = ctx.options["maxlength_warning_below"]
    for control in root.iter("input"):
        if input_type(control) != "password" or not is_entry_control(control):
            continue
        own = control.get("autocomplete")
        own_tokens = (own or "").lower().split()
        short_by_design = (
            bool(NOT_A_PASSWORD.search(_identifier(control)))
            or bool(SHORT_BY_DESIGN & set(own_tokens))
            or (control.get("inputmode") or "").strip().lower() == "numeric"
        )
        if short_by_design:
            continue
        handler = control.get("onpaste")
        if handler and BLOCKS_PASTE.search(handler):
            yield Report(
                control,
                "password field blocks paste: customers cannot paste from a password "
                "manager, so they pick short passwords they can type",
                suggestion="Remove the onpaste handler and let customers paste",
                severity=Severity.WARNING,
            )
        limit = _maxlength(control)
        if limit is not None and limit < max(info_below, warning_below):
            severity = Severity.WARNING if limit < warning_below else Severity.INFO
            yield Report(
                control,
                f'maxlength="{limit}" caps the password at {limit} characters; NIST asks '
                f"sites to accept at least 64, and a longer saved password gets cut off",
                suggestion="Drop the maxlength (or allow at least 64 characters) and check "
                "the length on the server",
                severity=severity,
            )
        form = _form_owner(control)
        form_off = (
            own is None
            and form is not None
            and (form.get("autocomplete") or "").strip().lower() == "off"
        )
        if own_tokens == ["off"] or form_off:
            where = 'autocomplete="off"' if own is not None else 'the form\'s autocomplete="off"'
            yield Report(
                control,
                f"{where} asks browsers and password managers not to save or fill this "
                "password (most browsers now ignore it, some managers obey); it pushes "
                "customers to short, reused passwords",
                suggestion='Write autocomplete="current-password" on sign-in forms and '
                '"new-password" on sign-up and change-password forms',
                severity=Severity.WARNING,
            )
