from __future__ import annotations

import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from trustlint import lazyre
from trustlint.htmlforms import (
    KIND_WORDS,
    SEARCH_NAME,
    controls,
    form_kind,
    input_type,
    submit_text,
    text_longer_than,
    text_of,
)
from trustlint.model import Report, Severity
from trustlint.registry import rule
from trustlint.rules.consent.prechecked_consent import EU

LANGS = ("en", "de", "es", "it", "ru", "id", "fr", "pt", "nl")

# Words of a privacy notice or of the link to one, per language (link text and text
# inside the form or its section). "Privacy" alone is enough: it is the usual link.
NOTICE: dict[str, list[str]] = {
    "en": [
        r"privacy",
        r"data protection",
        r"personal data",
        r"(?:how|why) we (?:use|process|store|handle) (?:your )?(?:data|information|details)",
        r"(?:never|not|won't) (?:\w+ (?:or |and )?){0,3}(?:share|sell|rent|pass on|give away"
        r"|disclose)\w* (?:\w+ ){0,2}(?:e-?mail|data|details|information|address)",
    ],
    "de": [r"Datenschutz\w*", r"Privatsphäre", r"personenbezogene\w* Daten"],
    "es": [r"privacidad", r"protecci[óo]n de datos", r"datos personales"],
    "it": [r"privacy", r"informativa", r"trattamento dei (?:tuoi )?dati", r"dati personali"],
    "ru": [
        r"конфиденциальност\w*",
        r"персональн\w+ данн\w*",
        r"обработк\w* (?:\w+ )?данн\w*",
    ],
    "id": [r"privasi", r"data pribadi", r"perlindungan data"],
    "fr": [
        r"confidentialit[ée]",
        r"donn[ée]es (?:personnelles|à caractère personnel)",
        r"protection des donn[ée]es",
        r"vie priv[ée]e",
        r"RGPD",
    ],
    "pt": [r"privacidade", r"prote[çc][ãa]o de dados", r"dados pessoais", r"LGPD", r"RGPD"],
    "nl": [r"privacy\w*", r"gegevensbescherming", r"persoonsgegevens", r"AVG"],
}
# The address of a privacy page, whatever the link says ("Learn more", an icon).
HREF = lazyre.compile(
    r"privacy|privacidad|privacidade|privasi|privatsph|datenschutz|data-?protection"
    r"|protezione-?dati|proteccion-?(?:de-?)?datos|protecao-?(?:de-?)?dados|gdpr|dsgvo|rgpd|lgpd"
    r"|confidentialit|konfidenc|konfidentsial|personal-?data|personalnye-?dannye|persdann"
    r"|donnees-?personnelles|gegevensbescherming|privacybeleid|privacyverklaring"
    r"|конфиденциальн|персональн|%D0%BA%D0%BE%D0%BD%D1%84%D0%B8%D0%B4",
    re.I,
)
NOTICE_RE = lazyre.compile(
    r"(?<!\w)(?:"
    + "|".join(w for lang in LANGS for w in NOTICE[lang] if not re.fullmatch(r"[A-Z]{2,5}", w))
    + r")(?!\w)",
    re.I,
)
ACRONYMS = lazyre.compile(
    r"(?<!\w)(?:"
    + "|".join(w for lang in LANGS for w in NOTICE[lang] if re.fullmatch(r"[A-Z]{2,5}", w))
    + r")(?!\w)"
)

# Personal data by autofill token, and by field name or id.
PERSONAL_AUTOFILL = {
    "name": "name",
    "honorific-prefix": "name",
    "given-name": "name",
    "additional-name": "name",
    "family-name": "name",
    "email": "email",
    "tel": "phone",
    "tel-national": "phone",
    "tel-local": "phone",
    "street-address": "address",
    "address-line1": "address",
    "address-line2": "address",
    "address-level2": "address",
    "postal-code": "address",
    "bday": "birth date",
    "bday-day": "birth date",
    "bday-month": "birth date",
    "bday-year": "birth date",
    "sex": "gender",
    "username": "username",
    "new-password": "password",
    "current-password": "password",
}
PERSONAL_TYPES = {"email": "email", "tel": "phone", "password": "password"}
QUANTITY = lazyre.compile(
    r"qty|quantit|amount|count|menge|anzahl|cantidad|количеств|jumlah|aantal|quantidade", re.I
)
PERSONAL_NAME = [
    ("email", r"e_?mail\w*|mail|correo|courriel|почта"),
    ("phone", r"tel|phone\w*|telephone|telefon\w*|telefono|telefone|telefoon|telepon|mobile|handy"),
    (
        "name",
        r"(?:full|first|last|your|sur|fore|given|family|contact|real|author|sender|customer"
        r"|billing|shipping)_?name|name|fname|lname|surname|vorname|nachname|nombre|apellidos?"
        r"|nome|cognome|nama|prenom|nom|naam|voornaam|achternaam",
    ),
    (
        "address",
        r"(?<!ip_)(?<!web_)(?<!url_)(?<!email_)(?<!mail_)address\w*|street|strasse|adresse"
        r"|direccion|indirizzo|endereco|alamat|adres|zip(?:_?code)?|plz|postcode|postal_?code",
    ),
    ("birth date", r"birth\w*|dob|bday|geburtsdatum"),
    ("password", r"password\w*|passwort|pwd|passwd"),
]
PERSONAL_NAME_RE = [
    (kind, lazyre.compile(r"(?<![a-z])(?:" + p + r")(?![a-z])")) for kind, p in PERSONAL_NAME
]
# "name" beside these is not a person's name.
NOT_PERSON = lazyre.compile(
    r"(?:domain|file|company|product|site|shop|store|business|org\w*|group|team|project|pet"
    r"|event|item|page|list|display|host|server|app|search|field|tag|category|brand|model"
    r"|city|street|place|venue|school|hotel|card|coupon|promo|gift|recipient)_?name"
)
# A form that resets a forgotten password collects nothing new.
RECOVERY = lazyre.compile(
    r"password|passwort|kennwort|contrase[ñn]a|пароль|kata ?sandi|mot[- ]de[- ]passe|senha"
    r"|wachtwoord|forgot|reset|recover|lost",
    re.I,
)
SECTIONING = frozenset({"section", "article", "aside", "footer", "header", "nav", "dialog"})
REGION_TEXT_LIMIT = 2000


def _identifier(control: HtmlElement) -> str:
    raw = " ".join(filter(None, (control.get("name"), control.get("id"))))
    raw = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", raw).lower()
    return re.sub(r"[^a-z0-9]+", "_", raw).strip("_")


def _autofill(control: HtmlElement) -> str | None:
    tokens = [
        t
        for t in (control.get("autocomplete") or "").lower().split()
        if not t.startswith("section-")
        and t not in ("shipping", "billing", "home", "work", "mobile", "webauthn")
    ]
    return tokens[-1] if tokens else None


def personal_kind(control: HtmlElement) -> str | None:
    """Which personal datum ``control`` collects, or None."""
    kind = input_type(control)
    if kind in ("checkbox", "radio", "hidden", "submit", "button", "search", "file", "range"):
        return None
    token = _autofill(control)
    if token in PERSONAL_AUTOFILL:
        return PERSONAL_AUTOFILL[token]
    if kind == "tel" and QUANTITY.search(_identifier(control)):
        return None  # type="tel" for a numeric keypad: a quantity, not a phone
    if kind in PERSONAL_TYPES:
        return PERSONAL_TYPES[kind]
    if token and token not in ("on", "off"):
        return None  # the page names another field: one-time-code, country, ...
    ident = _identifier(control)
    if not ident:
        return None
    for name, pattern in PERSONAL_NAME_RE:
        m = pattern.search(ident)
        if not m:
            continue
        if name == "name" and NOT_PERSON.search(ident):
            continue
        return name
    return None


# Look-up forms ask for data the customer already gave (order number and email).
LOOKUP = lazyre.compile(
    r"order_?(?:number|no|num|id)|ordertrack|tracking|bestellnummer|sendungsnummer"
    r"|numero_?(?:de_?)?pedido|numero_?ordine|numero_?commande",
    re.I,
)


def personal_fields(form: HtmlElement) -> list[tuple[HtmlElement, str]]:
    """The fields of ``form`` that collect personal data, with what each collects.

    A name or an address alone does not count: on real pages that is a saved filter,
    a card search or a store finder by postcode, not a customer giving their data.
    Nor does an order look-up (an order number beside the email).
    """
    fields = controls(form)
    found = [(c, k) for c in fields if (k := personal_kind(c))]
    if {k for _, k in found} <= {"name", "address"}:
        return []
    if any(LOOKUP.search(_identifier(c)) for c in fields):
        return []
    return found


def collected_data(form: HtmlElement) -> list[tuple[HtmlElement, str]]:
    """Personal data that ``form`` collects anew: not a search, a login or a
    password reset, where the customer gives nothing they had not given before."""
    found = personal_fields(form)
    if not found:
        return []
    fields = controls(form)
    kinds = [k for _, k in found]
    if _is_search(form, fields, kinds) or _is_login(form, kinds) or _is_recovery(form, kinds):
        return []
    return found


def _region(form: HtmlElement) -> HtmlElement:
    """The form's surroundings: ancestors up to the first section, short of body/main."""
    region = form
    for node in form.iterancestors():
        if not isinstance(node.tag, str) or node.tag in ("body", "main", "html"):
            break
        if text_longer_than(node, REGION_TEXT_LIMIT):
            break
        region = node
        if node.tag in SECTIONING or (node.get("role") or "").lower() == "dialog":
            break
    return region


def _privacy_link(a: HtmlElement) -> bool:
    href = a.get("href") or ""
    if href and HREF.search(href):
        return True
    text = " ".join(filter(None, (text_of(a), a.get("title"), a.get("aria-label"))))
    return bool(NOTICE_RE.search(text) or ACRONYMS.search(text))


def has_notice(region: HtmlElement, form: HtmlElement) -> bool:
    for scope in (region, form):
        if any(_privacy_link(a) for a in scope.iter("a")):
            return True
        text = text_of(scope)
        if NOTICE_RE.search(text) or ACRONYMS.search(text):
            return True
    return False


def _is_search(form: HtmlElement, fields: list[HtmlElement], kinds: list[str]) -> bool:
    """A search form, also one with a postcode or city beside the query field."""
    if form_kind(form) == "search" or (form.get("role") or "").lower() == "search":
        return True
    query = any(input_type(c) == "search" or SEARCH_NAME.match(c.get("name") or "") for c in fields)
    return query and all(k == "address" for k in kinds)


def _is_login(form: HtmlElement, kinds: list[str]) -> bool:
    """A password and one account name, nothing else; not a sign-up."""
    if "password" not in kinds:
        return False
    rest = [k for k in kinds if k != "password"]
    if kinds.count("password") > 1 or len(rest) > 1:
        return False
    if any(c.get("autocomplete", "").endswith("new-password") for c in controls(form)):
        return False
    if rest and rest[0] not in ("email", "username", "name", "phone"):
        return False
    return not KIND_WORDS["registration"].search(submit_text(form))


def _is_recovery(form: HtmlElement, kinds: list[str]) -> bool:
    if len(kinds) != 1 or kinds[0] not in ("email", "username", "name", "phone"):
        return False
    where = " ".join(
        filter(None, (form.get("action"), form.get("id"), form.get("class"), submit_text(form)))
    )
    heading = ""
    for node in form.iterancestors():
        h = next(node.iter("h1", "h2", "h3", "legend"), None)
        if h is not None:
            heading = text_of(h)
            break
        if node.tag in ("body", "main"):
            break
    return bool(
        RECOVERY.search(where) or RECOVERY.search(heading) or RECOVERY.search(text_of(form))
    )


@rule(
    code="TL206",
    name="privacy-notice-missing",
    summary="Form collects personal data with no privacy notice near it",
    category="forms",
    severity=Severity.INFO,
    inputs=("html",),
    langs=LANGS,
)
def privacy_notice_missing(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Reports a `<form>` that collects personal data (an email, phone, name, address,
    birth date or password field, known by its type, `autocomplete` token, or `name`
    and `id`) when neither the form nor its surroundings hold a privacy notice: no
    link whose address or text points to a privacy page, and no notice text. The
    surroundings are the form's ancestors up to the first `<section>`, `<article>`,
    `<aside>`, `<header>`, `<footer>`, `<nav>` or dialog, stopping before `<body>` or
    `<main>` and before an ancestor holding more than 2,000 characters of text.
    Privacy words are read in English, German, Spanish, Italian, Russian, Indonesian,
    French, Portuguese and Dutch ("privacy", "Datenschutz", "privacidad",
    "конфиденциальность", "персональных данных", "privasi", "confidentialité",
    "données personnelles", "privacidade", "privacybeleid" ...).

    Left alone: search forms, login forms (a password and one account name: the data
    was given, and the notice due, at sign-up) and password-recovery forms (one email
    or user name on a form about a forgotten password), and pages that link no privacy
    page at all: TL305 privacy-policy-missing reports those, once. So this rule speaks
    when the page does link its privacy page, only far from the form (say, in the
    footer); under the jurisdiction `eu` (or an EU member state) it is a warning.

    ## Why is this bad?
    People decide whether to type their data at the form. A notice there (what the
    data is for, a link to the policy) answers "what happens to my data?" at the
    moment it is asked; a notice three clicks away does not. The GDPR requires the
    information "at the time when personal data are obtained" (Art. 13(1)) in an
    "easily accessible form" (Art. 12(1)); Russia's 152-FZ (Art. 18.1(2)) requires an
    operator collecting data online to give access to its processing policy.
    Source: https://gdpr-info.eu/art-13-gdpr/ ; https://gdpr-info.eu/art-12-gdpr/

    ## Example
    ```html
    <form action="/newsletter">
      <label for="email">Email</label> <input type="email" id="email" name="email">
      <button>Subscribe</button>
    </form>
    ```

    ## Use instead
    ```html
    <form action="/newsletter">
      <label for="email">Email</label> <input type="email" id="email" name="email">
      <p>We use your email only to send the newsletter.
        <a href="/privacy">Privacy notice</a></p>
      <button>Subscribe</button>
    </form>
    ```
    """
    root = doc.tree
    if root is None:
        return
    eu = bool(ctx.jurisdictions & EU)
    page_link: bool | None = None
    for form in root.iter("form"):
        found = collected_data(form)
        if not found:
            continue
        kinds = [k for _, k in found]
        if has_notice(_region(form), form):
            continue
        if page_link is None:
            page_link = any(_privacy_link(a) for a in root.iter("a"))
        if not page_link:
            continue  # no privacy link on the whole page: TL305 privacy-policy-missing
        severity = Severity.WARNING if eu else None
        named = list(dict.fromkeys(kinds))
        what = ", ".join(named[:4]) + (" ..." if len(named) > 4 else "")
        yield Report(
            form,
            f"form collects personal data ({what}) with no privacy notice or link near it; "
            "the page links its privacy page only elsewhere, far from the form",
            suggestion="Add a line by the submit button that says what the data is for and "
            "links to the privacy notice, e.g. 'We use your email only to reply to you. "
            "Privacy notice'",
            severity=severity,
        )
