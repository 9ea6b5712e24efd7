from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from trustlint import lazyre
from trustlint.htmlforms import CARD, TEXT_TYPES, controls, forms, input_type, is_hidden
from trustlint.model import Report, Severity
from trustlint.registry import rule

HTTP = lazyre.compile(r"^\s*http://", re.I)
# Hosts of a developer's own machine or of a test setup: no stranger can listen in, and
# they cannot get a public certificate. Private (RFC 1918) and link-local addresses are
# routers and intranet devices.
DEV_SUFFIXES = (".localhost", ".test", ".local", ".internal", ".lan")
DEV_NAMES = frozenset({"localhost", "0.0.0.0"})
# Field names that ask for personal data, whatever the page's language.
PERSONAL = lazyre.compile(
    r"mail|phone|tel|name|addr|street|zip|post|city|birth|bday|user|login|message|comment",
    re.I,
)


def _host(url: str) -> str:
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:  # a malformed port or bracket
        return ""
    return host.rstrip(".").lower()


def _is_dev_host(host: str, allowed: frozenset[str]) -> bool:
    if not host:
        return True  # "http:///x" or "http://" with nothing: no server to send to
    if host in DEV_NAMES or host in allowed or host.endswith(DEV_SUFFIXES):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


def _insecure(url: str | None, allowed: frozenset[str]) -> str | None:
    """The host an ``http://`` address sends to, unless it is a developer's host."""
    if not url or not HTTP.match(url):
        return None
    host = _host(url)
    return None if _is_dev_host(host, allowed) else host


def _sensitive_field(form: HtmlElement) -> str | None:
    """'password' or 'card number' when the form asks for one, else None."""
    for el in controls(form):
        if input_type(el) == "password":
            return "password"
    for el in controls(form):
        tokens = " ".join(filter(None, (el.get("autocomplete"), el.get("name"), el.get("id"))))
        if CARD.search(tokens):
            return "card details"
    return None


def _typed(form: HtmlElement) -> list[HtmlElement]:
    """The fields the customer types into (text-like inputs and text areas)."""
    return [
        el
        for el in controls(form)
        if el.tag == "textarea" or (el.tag == "input" and input_type(el) in TEXT_TYPES)
    ]


def _severity(form: HtmlElement, field: str | None) -> Severity | None:
    """Error (the default) for personal data; a warning for a search or a quantity."""
    if field is not None:
        return None
    for el in _typed(form):
        tokens = " ".join(filter(None, (el.get("autocomplete"), el.get("name"), el.get("id"))))
        if el.tag == "textarea" or input_type(el) in ("email", "tel") or PERSONAL.search(tokens):
            return None
    return Severity.WARNING


def _page_address(root: HtmlElement) -> tuple[str, str] | None:
    """The page's own ``http://`` address from ``<base href>``: (element, url)."""
    for base in root.iter("base"):
        href = base.get("href")
        if href:
            return ("<base href>", href) if HTTP.match(href) else None
    return None


def _submitters(form: HtmlElement) -> Iterator[HtmlElement]:
    for el in form.iter("button", "input"):
        if el.tag == "button" and (el.get("type") or "submit").strip().lower() != "submit":
            continue
        if el.tag == "input" and input_type(el) not in ("submit", "image"):
            continue
        if el.get("formaction") is not None and not is_hidden(el):
            yield el


@rule(
    code="TL213",
    name="insecure-form-action",
    summary="Form sends its data over plain http",
    category="security",
    severity=Severity.ERROR,
    inputs=("html",),
    options={"allowed_hosts": []},
)
def insecure_form_action(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Reports a `<form>` whose `action` is an absolute `http://` address, and a submit
    button whose `formaction` is one. It also reports a form that asks for a password
    or card details and posts to a relative address (or to none) on a page whose
    `<base href>` is `http://`: the browser resolves the address against that base, so
    the password travels over plain http too.
    Left alone: relative and `https://` actions, protocol-relative `//host/` actions on
    a page without an http base (they follow the page's own scheme), `mailto:` actions,
    and the hosts of a developer's machine or network, which cannot get a public
    certificate: `localhost`, `*.localhost`, `*.test`, `*.local`, `*.internal`, `*.lan`,
    loopback, private and link-local IP addresses. Add more with the option
    `allowed-hosts` (exact host names).
    Forms the customer types nothing into (buttons, menus, hidden fields only) are
    left alone. A form whose fields ask for no personal data (a search box, a
    quantity: no password, card, email, phone, name, address, message or the like) is
    reported as a warning rather than an error: what leaks is a query, not a person.

    ## Why is this bad?
    Whatever the customer types is sent as clear text: anyone on the same Wi-Fi, the
    network operator or a proxy can read it and change the reply. Browsers warn about
    it: Chrome marks http pages with password or card fields "Not Secure" since
    version 56 (January 2017), and warns before a form on an https page is sent over
    http and turns off autofill there since version 86. The W3C Mixed Content
    specification treats such a form submission as mixed content.
    Source: https://blog.chromium.org/2016/09/moving-towards-more-secure-web.html ;
    https://blog.chromium.org/2020/08/protecting-google-chrome-users-from.html ;
    https://www.w3.org/TR/mixed-content/

    ## Example
    ```html
    <form action="http://shop.example/login" method="post">
      <input type="email" name="email"> <input type="password" name="password">
    </form>
    ```

    ## Use instead
    ```html
    <form action="https://shop.example/login" method="post">
      <input type="email" name="email"> <input type="password" name="password">
    </form>
    ```
    Serve the site over https and use relative actions (`action="/login"`).
    """
    root = doc.tree
    if root is None:
        return
    allowed = frozenset(str(h).strip().lower() for h in ctx.options.get("allowed_hosts") or [])
    page = _page_address(root)
    for form in forms(root):
        if not _typed(form):
            continue  # buttons, menus and hidden fields: the customer gives nothing away
        action = form.get("action")
        host = _insecure(action, allowed)
        if host is not None:
            field = _sensitive_field(form)
            what = f", including the {field}," if field else ""
            yield Report(
                form,
                f"this form sends what the customer types{what} to {host} over plain http, "
                "where anyone on the way can read and change it",
                suggestion=f"Post to https://{host}/… (or a relative address on an https site)",
                severity=_severity(form, field),
            )
            continue
        for button in _submitters(form):
            host = _insecure(button.get("formaction"), allowed)
            if host is not None:
                yield Report(
                    button,
                    f"this button sends the form to {host} over plain http, where anyone on "
                    "the way can read and change it",
                    suggestion=f'Use formaction="https://{host}/…"',
                    severity=_severity(form, _sensitive_field(form)),
                )
        if page is None or (action or "").strip().lower().startswith(
            ("https:", "mailto:", "javascript:")
        ):
            continue
        if (action or "").strip().lower().startswith("http:"):
            continue  # an http action to a developer's host
        field = _sensitive_field(form)
        if field is None:
            continue
        where, url = page
        if _insecure(url, allowed) is None:
            continue
        yield Report(
            form,
            f"this form asks for {'a ' if field == 'password' else ''}{field} and posts to an "
            f"address resolved against the page's {where} {url.strip()}, so it travels over "
            "plain http",
            suggestion="Serve the page over https and make the base address https://",
        )
