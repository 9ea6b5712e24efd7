from __future__ import annotations

import json
import os
from collections.abc import Iterator

from trustlint import lazyre
from trustlint.errors import InputError
from trustlint.loaders.decode import decode
from trustlint.model import LANGUAGES, Report, Severity
from trustlint.registry import rule
from trustlint.rules.transparency._common import home_page, site_memo, site_root_of, under_eu
from trustlint.site import ROLE_TEXT, anchor_element, is_full_page, visible_text

# A street with its house number, per language (catalog section 4.4).
STREET = {
    "en": r"\b\d{1,5}[a-z]?\s+(?:[A-Z][\w.'-]*\s+){1,4}(?:Street|St\.|Road|Rd\.?|Avenue|Ave\.?|"
    r"Lane|Drive|Boulevard|Blvd\.?|Way|Court|Place|Square|Terrace|Parkway)(?!\w)",
    "de": r"\b[A-ZÄÖÜ][\wäöüß.-]*\s?(?:[sS]tra(?:ße|sse)|[sS]tr\.|[wW]eg|[pP]latz|[aA]llee|"
    r"[gG]asse|[rR]ing|[dD]amm|[uU]fer)\s+\d{1,4}\s?[a-z]?\b",
    "es": r"\b(?:[Cc]alle|C/|[Aa]vda\.?|[Aa]venida|[Pp]laza|[Pp]aseo|[Cc]arrer)\s+[^,\n\d]{2,40}"
    r",?\s*(?:n[º°o]\.?\s*)?\d{1,4}\b",
    "it": r"\b(?:[Vv]ia|[Vv]iale|[Pp]iazza|[Cc]orso|[Ll]argo|[Vv]icolo|[Pp]\.zza)\s+[^,:\n\d]{2,40}"
    r",?\s*(?:n\.?\s*)?\d{1,4}\b",
    "ru": r"(?:ул\.|улица|проспект|пр-т|пер\.|переулок|шоссе|наб\.|набережная|бульвар)\s*"
    r"[^,\n]{2,40},\s*(?:д\.|дом)\s*\d{1,4}",
    "id": r"\b(?:Jl\.|Jalan|Gg\.|Gang)\s+[^,\n]{2,40}?\s(?:[Nn]o\.?\s*)?\d{1,4}\b",
    "fr": r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|place|all[ée]e|chemin|"
    r"quai|impasse|route|cours)\s",
    "pt": r"\b(?:Rua|R\.|Avenida|Av\.|Travessa|Pra[çc]a|Largo|Alameda|Estrada)\s+[^,\n\d]{2,40}"
    r",?\s*(?:n[º°o.]\s*)?\d{1,5}\b",
    "nl": r"\b[A-Z][\w-]*(?:straat|laan|weg|plein|gracht|kade|singel|dijk)\s+\d{1,4}\s?[a-z]?\b",
}
STREETS = lazyre.compile("|".join(f"(?:{p})" for p in STREET.values()))
# A postcode beside a town, per country.
POSTCODE = lazyre.compile(
    r"(?:\b(?:[A-Z]{1,2}-)?\d{4,5}\s+(?=[A-ZÀ-ÖØ-ÞА-ЯЁ])\w[\w.-]+"  # DE AT CH ES IT FR BE
    r"|\b[A-Z][a-z]+\s\d{5}\b"  # ID: Jakarta 10220
    r"|\b\d{4}\s?[A-Z]{2}\b"  # NL
    r"|\b\d{4,5}-\d{3}\b"  # PT, BR
    r"|(?<!\d)\d{6}(?!\d)(?=,?\s*(?:г\.|город|[А-Я]))"  # RU: 123456, г. Москва
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b"  # UK
    r"|\b[A-Z]{2}\s\d{5}(?:-\d{4})?\b)"  # US
)
WINDOW = 100  # characters between the street and the postcode
MAX_READ = 40  # pages read from disk to look for an address


def has_street_address(text: str) -> bool:
    """A street with a house number and a postcode with a town close to each other."""
    codes = [m.start() for m in POSTCODE.finditer(text)]
    if not codes:
        return False
    for street in STREETS.finditer(text):
        if any(street.start() - WINDOW <= c <= street.end() + WINDOW for c in codes):
            return True
    return False


def _jsonld_address(data) -> bool:
    if isinstance(data, list):
        return any(_jsonld_address(d) for d in data)
    if isinstance(data, dict):
        if data.get("@type") == "PostalAddress" or "address" in data or "streetAddress" in data:
            return True
        return any(_jsonld_address(v) for v in data.values() if isinstance(v, (dict, list)))
    return False


def shows_address(root) -> bool:
    """``<address>``, schema.org PostalAddress (JSON-LD or microdata), or street text."""
    if any((el.text_content() or "").strip() for el in root.iter("address")):
        return True
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "script" and (el.get("type") or "").lower() == "application/ld+json":
            try:
                if _jsonld_address(json.loads(el.text or "")):
                    return True
            except ValueError:
                continue
        prop = (el.get("itemprop") or "").lower()
        if prop in ("address", "streetaddress") or "PostalAddress" in (el.get("itemtype") or ""):
            return True
    return has_street_address(visible_text(root))


def _candidates(site) -> list[str]:
    """Pages where an address usually is: contact, imprint, about, and the home page."""
    wanted: list[str] = []
    home = home_page(site)
    if home is not None:
        wanted.append(home)
    says: dict = {}  # a link that every page repeats is judged once
    for summary in site.pages.values():
        if summary.roles & {"contact", "imprint", "about"} or "jsonld" in summary.channels:
            wanted.append(summary.path)
        for link in summary.links:
            found = says.get(link, False)
            if found is False:
                found = says[link] = _trust_page(site, link)
            if found is not None:
                wanted.append(found)
    return list(dict.fromkeys(wanted))[:MAX_READ]


def _trust_page(site, link) -> str | None:
    """The page of the site a Contact, Impressum or About link lands on."""
    if link.text and any(ROLE_TEXT[r].match(link.text) for r in ("contact", "imprint", "about")):
        return site.find(link.target)
    return None


def _site_shows_address(site, folder: str | None) -> bool:
    if any("address" in s.channels for s in site.pages.values()):
        return True
    if folder is None:
        return True  # cannot read the pages: say nothing rather than guess
    from lxml import html

    for page in _candidates(site):
        try:
            with open(os.path.join(folder, *page.split("/")), "rb") as fh:
                text, _ = decode(fh.read(), is_html=True)
            root = html.document_fromstring(text)
        except (OSError, ValueError, UnicodeError, InputError, html.etree.ParserError):
            continue
        if shows_address(root):
            return True
    return False


@rule(
    code="TL303",
    name="address-missing",
    summary="No page of the site shows a postal address",
    category="contact",
    severity=Severity.INFO,
    inputs=("html",),
    langs=LANGUAGES,
)
def address_missing(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    In site mode (a folder, or `site-root`), reports the site once, on its home page
    (`index.html` at the root; a folder without one is not judged), when no page shows a postal
    address: no `<address>` element, no schema.org `PostalAddress` (JSON-LD or
    microdata), and no street with a house number near a postcode and town (Straße,
    calle, via, улица, Jalan, rue, rua, straat ...; postcodes of DE, AT, CH, ES, IT, FR,
    ID, NL, PT, BR, RU, UK and US). The finding sits on the footer, else the navigation,
    else the body. Under an EU jurisdiction profile it is a warning, else info.
    A single page checked on its own is never reported: one page cannot tell whether
    the address is on another page of the site.

    ## Why is this bad?
    A real address shows that a real, reachable business stands behind the site.
    Stanford's Web Credibility guideline 2 ("Show that there's a real organization
    behind your site ... listing a physical address") found this among the strongest
    trust signals, and the EU e-Commerce Directive requires "the geographic address at
    which the service provider is established" (Art. 5(1)(b)); § 5 DDG, LSSI art. 10
    and LCEN art. 6-III say the same in Germany, Spain and France.
    Source: https://credibility.stanford.edu/guidelines/index.html ;
    https://eur-lex.europa.eu/eli/dir/2000/31/oj

    ## Example
    ```html
    <footer><a href="mailto:hello@example.com">hello@example.com</a></footer>
    ```

    ## Use instead
    ```html
    <footer><address>Example GmbH, Werkhofstraße 14, 10997 Berlin</address>
    <a href="mailto:hello@example.com">hello@example.com</a></footer>
    ```
    """
    root = doc.tree
    site = ctx.site
    if root is None or site is None or ctx.page not in site.pages:
        return
    if ctx.page != home_page(site) or not is_full_page(doc.source):
        return
    if shows_address(root):
        return
    folder = site_root_of(doc.path, ctx.page)
    if site_memo(site, ("address", folder), lambda s: _site_shows_address(s, folder)):
        return
    yield Report(
        anchor_element(root),
        "no page of the site shows a postal address; customers cannot see where you are",
        suggestion="Put the street address in an <address> element in the footer or on "
        "the contact page",
        severity=Severity.WARNING if under_eu(ctx.jurisdictions) else None,
    )
