from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from trustlint import lazyre
from trustlint.htmlforms import is_hidden, text_of
from trustlint.model import LANGUAGES, Report, Severity
from trustlint.registry import rule
from trustlint.rules.transparency._common import under_eu


def _compile(entries: dict[str, list[str]]) -> lazyre.LazyPattern:
    words = [w for ws in entries.values() for w in ws]
    return lazyre.words(words)


# A banner: its id or class names cookies or consent, or a dialog mentions cookies.
BANNER_NAME = lazyre.compile(
    r"cookie|consent|gdpr|(?:^|[\s_-])cmp(?:$|[\s_-])|onetrust|cybotcookiebot|usercentrics|"
    r"didomi|iubenda|cookieyes|klaro|tarteaucitron|borlabs|cc-window|cc-banner",
    re.I,
)
COOKIE_WORDS = lazyre.compile(r"cookie|куки|kuki", re.I)
# Buttons that accept (catalog section 4.2) and that refuse, per language. A refusal is
# matched first: "Accept only necessary" refuses.
ACCEPT = _compile(
    {
        "en": [
            r"accept(?: all)?(?: cookies)?",
            r"allow(?: all)?(?: cookies)?",
            r"i agree",
            r"agree(?: and close)?",
            r"i accept",
        ],
        "de": [
            r"(?:alle )?akzeptieren",
            r"zustimmen",
            r"alle zulassen",
            r"einverstanden",
            r"(?:alle )?annehmen",
            r"alle erlauben",
        ],
        "es": [r"aceptar(?: todo| todas| cookies)?", r"acepto", r"permitir todas"],
        "it": [r"accett(?:a|o|are)(?: tutt[io])?", r"consenti(?: tutt[io])?", r"acconsento"],
        "ru": [r"принять(?: все)?", r"принимаю", r"согласен", r"согласна", r"разрешить все"],
        "id": [r"terima(?: semua)?", r"setuju", r"izinkan(?: semua)?"],
        "fr": [r"(?:tout )?accepter(?: tout)?", r"j'accepte", r"autoriser(?: tout)?"],
        "pt": [r"aceitar(?: todos| tudo)?", r"aceito", r"concordo", r"permitir todos"],
        "nl": [r"(?:alles )?accepteren", r"akkoord", r"(?:alles )?toestaan"],
    }
)
REJECT = _compile(
    {
        "en": [
            r"reject(?: all)?",
            r"decline(?: all)?",
            r"deny",
            r"refuse",
            r"(?:only|strictly) necessary",
            r"necessary (?:cookies )?only",
            r"only essential",
            r"essential (?:cookies )?only",
            r"continue without accepting",
            r"no,? thanks",
        ],
        "de": [
            r"(?:alle )?ablehnen",
            r"nur (?:notwendige|essenzielle|erforderliche)",
            r"verweigern",
            r"nicht einverstanden",
        ],
        "es": [
            r"rechazar(?: todo| todas)?",
            r"denegar",
            r"s[óo]lo (?:las )?necesarias",
            r"no acepto",
        ],
        "it": [
            r"rifiut(?:a|o|are)(?: tutt[io])?",
            r"solo (?:i )?necessari",
            r"continua senza accettare",
            r"non accetto",
        ],
        "ru": [r"отклонить(?: все)?", r"отказаться", r"только необходимые", r"не согласен"],
        "id": [r"tolak(?: semua)?", r"hanya (?:yang )?(?:diperlukan|penting)", r"tidak setuju"],
        "fr": [r"(?:tout )?refuser(?: tout)?", r"continuer sans accepter"],
        "pt": [
            r"rejeitar(?: todos| tudo)?",
            r"recusar",
            r"apenas (?:os )?necess[áa]rios",
            r"n[ãa]o aceito",
        ],
        "nl": [
            r"(?:alles )?weigeren",
            r"afwijzen",
            r"alleen (?:noodzakelijke|functionele)",
            r"niet akkoord",
        ],
    }
)
CONTROL_TAGS = ("button", "a", "input", "div", "span")


_NAMES = etree.XPath("//@id | //@class", smart_strings=False)
_ROLES = etree.XPath("//@role", smart_strings=False)


def _may_hold_banner(root) -> bool:
    """One search over every id and class of the page, and a look at its roles: most
    pages have no banner, and one search costs less than one per element."""
    if BANNER_NAME.search(" ".join(_NAMES(root))):
        return True
    return any(r.strip().lower() in ("dialog", "alertdialog") for r in _ROLES(root))


def _banners(root) -> list:
    """The outermost elements that look like a cookie banner."""
    if not _may_hold_banner(root):
        return []
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "script", "style"):
            continue
        names = (el.get("id") or "") + " " + (el.get("class") or "")
        role = (el.get("role") or "").lower()
        banner = bool(BANNER_NAME.search(names)) or (
            role in ("dialog", "alertdialog") and bool(COOKIE_WORDS.search(text_of(el)))
        )
        if not banner or el.tag in ("a", "button", "input", "label", "p", "span"):
            continue
        if any(anc in found for anc in el.iterancestors()):
            continue
        found.append(el)
    return found


def _controls(banner) -> list[tuple[object, str, str]]:
    """(element, kind, text) of the first layer's buttons and links."""
    out = []
    for el in banner.iter(*CONTROL_TAGS):
        if is_hidden(el) and not is_hidden(banner):
            continue
        tag = el.tag
        if tag == "input":
            if (el.get("type") or "").lower() not in ("button", "submit"):
                continue
            text = el.get("value") or ""
        elif tag in ("div", "span"):
            if (el.get("role") or "").lower() != "button":
                continue
            text = text_of(el)
        else:
            text = text_of(el) or el.get("aria-label") or ""
        text = " ".join(text.split())
        if not text or len(text) > 60:
            continue
        out.append((el, _kind(el), text))
    return out


def _kind(el) -> str:
    """'button' for anything that looks like one, 'link' for a plain text link."""
    if el.tag in ("button", "input") or (el.get("role") or "").lower() == "button":
        return "button"
    if re.search(r"btn|button", el.get("class") or "", re.I):
        return "button"
    return "link"


@rule(
    code="TL311",
    name="cookie-banner-no-reject",
    summary="Cookie banner offers Accept but no equal way to reject",
    category="transparency",
    severity=Severity.WARNING,
    inputs=("html",),
    langs=LANGUAGES,
)
def cookie_banner_no_reject(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Finds cookie banners: elements whose `id` or `class` names cookies, consent, GDPR,
    a CMP or a known consent manager (OneTrust, Cookiebot, Usercentrics, Didomi ...),
    and dialogs (`role="dialog"`) that mention cookies. Reports a banner whose first
    layer (what is not hidden) has an accept button (Accept, Alle akzeptieren, Aceptar,
    Accetta, Принять, Terima, Accepter, Aceitar, Accepteren ...) but no reject control
    (Reject, Decline, Only necessary, Ablehnen, Rechazar, Rifiuta, Отклонить, Tolak,
    Refuser, Rejeitar, Weigeren ...), or only a plain text link to reject beside an
    accept button. "Settings" is not a way to reject. Under an EU jurisdiction profile
    the finding is an error.

    ## Why is this bad?
    Saying no should be as easy as saying yes. The EDPB's Cookie Banner Taskforce found
    that most authorities see a banner without a reject option on the layer that holds
    the accept button as an infringement (type A), and a reject link next to an accept
    button as deceptive design (type C). Nouwens et al. (CHI 2020) measured that moving
    "reject" off the first page raises consent by 22 to 23 percentage points: people
    click what is easiest, not what they want.
    Source: https://arxiv.org/abs/2001.02479 ;
    https://www.edpb.europa.eu/system/files/2023-01/edpb_20230118_report_cookie_banner_taskforce_en.pdf

    ## Example
    ```html
    <div id="cookie-banner">We use cookies.
      <button>Accept all</button> <a href="/cookie-settings">Settings</a></div>
    ```

    ## Use instead
    ```html
    <div id="cookie-banner">We use cookies for statistics if you agree.
      <button>Accept all</button> <button>Reject all</button>
      <a href="/cookie-settings">Settings</a></div>
    ```
    """
    root = doc.tree
    if root is None:
        return
    severity = Severity.ERROR if under_eu(ctx.jurisdictions) else None
    for banner in _banners(root):
        accept = []
        reject = []
        for _el, kind, text in _controls(banner):
            if REJECT.search(text):
                reject.append(kind)
            elif ACCEPT.search(text):
                accept.append(kind)
        if not accept:
            continue
        if not reject:
            yield Report(
                banner,
                "this cookie banner offers Accept but no way to reject on the same layer",
                suggestion="Add a 'Reject all' button next to 'Accept all', with the same look",
                severity=severity,
            )
        elif "button" in accept and "button" not in reject:
            yield Report(
                banner,
                "this cookie banner shows Accept as a button but Reject only as a text link",
                suggestion="Make 'Reject all' a button like 'Accept all'",
                severity=severity,
            )
