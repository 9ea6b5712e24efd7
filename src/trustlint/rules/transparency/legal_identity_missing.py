from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from trustlint import lazyre
from trustlint.model import Report, Severity, Span
from trustlint.registry import rule
from trustlint.rules.transparency._common import (
    MAX_LABEL,
    distances,
    home_page,
    linked_pages,
    site_memo,
    slug_path,
)
from trustlint.site import (
    ROLE_TEXT,
    SPACE,
    anchor_element,
    is_full_page,
    is_utility_page,
    link_label,
    page_roles,
    visible_text,
)


def _words(*entries: str) -> lazyre.LazyPattern:
    return lazyre.words(entries)


@dataclass(frozen=True)
class Profile:
    code: str
    what: str  # what is missing, in the customer's words
    law: str
    links: lazyre.LazyPattern  # link texts and headings of the page that holds the details
    roles: tuple[str, ...]  # page slugs that count as that page
    shows: lazyre.LazyPattern | None = None  # the details themselves, seen on the page
    lenient: tuple[str, ...] = ()  # link roles that may hold them (page level only)


PROFILES = {
    "de": Profile(
        "de",
        "an Impressum",
        "§ 5 DDG",
        _words("impressum", "anbieterkennzeichnung", "imprint", "legal notice"),
        ("imprint",),
        # BGH I ZR 228/03: customers know that "Kontakt" may lead to the provider's details.
        lenient=("contact",),
    ),
    "es": Profile(
        "es",
        "an Aviso legal",
        "LSSI art. 10",
        _words(
            r"avisos? legal(?:es)?",
            r"informaci[óo]n legal",
            "nota legal",
            "legal notice",
            "imprint",
        ),
        ("imprint",),
        shows=lazyre.compile(
            r"\b(?:NIF|CIF|N\.I\.F\.|C\.I\.F\.)\s*:?\s*"
            r"(?:[A-HJ-NP-SUVW]-?\d{7}[0-9A-J]|\d{8}-?[A-Z]|[XYZ]-?\d{7}-?[A-Z])\b"
        ),
    ),
    "fr": Profile(
        "fr",
        "Mentions légales",
        "LCEN art. 6-III",
        _words(r"mentions l[ée]gales", r"informations l[ée]gales", "legal notice", "imprint"),
        ("imprint",),
        shows=lazyre.compile(
            r"\b(?:SIREN|SIRET|RCS)\b\s*:?\s*(?:[A-Z][\w-]+\s+)?(?:[AB]\s+)?\d{3}\s?\d{3}\s?\d{3}"
        ),
    ),
    "ru": Profile(
        "ru",
        "the seller's details (ИНН, ОГРН)",
        "Закон РФ «О защите прав потребителей», ст. 9 и 26.1",
        _words("реквизиты", "выходные данные", r"информация о продавце", "о компании"),
        ("imprint", "about", "contact"),
        shows=lazyre.compile(
            r"(?<!\w)(?:ИНН|ОГРН(?:ИП)?)\s*:?\s*(?:\d{10}|\d{12}|\d{13}|\d{15})(?!\d)"
        ),
        lenient=("contact",),
    ),
    "id": Profile(
        "id",
        "the seller's identity (PT/CV name and address)",
        "PP 80/2019 pasal 13",
        _words("tentang kami", "hubungi kami", r"kontak(?: kami)?", "profil perusahaan"),
        ("about", "contact"),
        shows=lazyre.compile(r"\b(?:PT|CV)\.?\s+[A-Z][\w&.-]+.{0,200}?\b(?:Jl\.|Jalan)\s", re.S),
    ),
}
# Italy: the Partita IVA on the home page (DPR 633/1972 art. 35).
PIVA = lazyre.compile(
    r"(?:\bP(?:artita)?\.?\s?I\.?V\.?A\.?|\bVAT(?:\s+(?:ID|number|no\.?))?|\bC\.?F\.?\s*/\s*P\.?\s?IVA)"
    r"\s*[:.]?\s*(?:n\.?\s*)?(?:IT\s?)?(\d{11})(?!\d)"
    r"|\bIT\s?(\d{11})(?!\d)",
    re.I,
)
HOME_NAMES = frozenset({"index.html", "index.htm", "index.php", "default.htm", "default.html"})


def piva_ok(number: str) -> bool:
    """The Partita IVA check digit (a Luhn sum over 11 digits)."""
    if len(number) != 11 or not number.isdigit() or number == "0" * 11:
        return False
    total = 0
    for i, ch in enumerate(number[:10]):
        d = int(ch)
        if i % 2:
            d *= 2
            d -= 9 if d > 9 else 0
        total += d
    return (10 - total % 10) % 10 == int(number[10])


def _headings(root) -> list[str]:
    out = []
    for tag in ("h1", "h2", "h3", "title"):
        for el in root.iter(tag):
            text = SPACE.sub(" ", el.text_content()).strip()
            if text:
                out.append(text)
    return out


def _shows_here(root, path: str, profile: Profile) -> bool:
    """The page is that page, holds that section, or shows the details themselves."""
    if any(role in page_roles(path) for role in profile.roles[:1]):
        return True
    if any(profile.links.search(h) for h in _headings(root) if len(h) <= MAX_LABEL * 2):
        return True
    return profile.shows is not None and bool(profile.shows.search(visible_text(root)))


def _links_here(root, path: str, profile: Profile) -> bool:
    for a in root.iter("a", "area"):
        href = a.get("href")
        if href is None or href.strip().lower().startswith(("mailto:", "tel:", "javascript:")):
            continue
        label = link_label(a)
        if label and len(label) <= MAX_LABEL and profile.links.search(label):
            return True
        if any(ROLE_TEXT[role].match(label) for role in profile.lenient if label):
            return True
        target = slug_path(href, path)
        if target and set(profile.roles[:1]) & page_roles(target):
            return True
    return False


# The jurisdictions with a profile, in the order their findings are reported.
_REPORT_ORDER = ("de", "es", "fr", "it", "ru", "id")


def _site_distances(site, code: str) -> dict[str, int]:
    profile = PROFILES[code]
    start: dict[str, int] = {}
    for role in profile.roles:
        words = profile.links if role == profile.roles[0] else ROLE_TEXT[role]
        landed, outward = linked_pages(site, words, role)
        for page in landed:
            start[page] = 0
        for page in outward:
            start.setdefault(page, 1)
    return distances(site, start)


def _legal_distances(site, code: str) -> dict[str, int]:
    return site_memo(site, ("legal", code), lambda s: _site_distances(s, code))


def _legal_tables(site, ctx) -> None:
    for code in _REPORT_ORDER:
        if code in ctx.jurisdictions and code != "it":  # Italy's is the home page's number
            _legal_distances(site, code)


@rule(
    code="TL304",
    name="legal-identity-missing",
    summary="The provider's legal details required by the jurisdiction are missing",
    category="transparency",
    severity=Severity.ERROR,
    inputs=("html",),
    options={"max_clicks": 2},
    site_tables=(_legal_tables,),
)
def legal_identity_missing(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Runs only when a jurisdiction profile asks for it (`jurisdictions = ["de"]` in
    `trustlint.toml`); with no profile it says nothing. Per profile:

    - `de`: an Impressum (link text Impressum, Anbieterkennzeichnung, Imprint or Legal
      notice, or a page named `impressum`) must be reachable within `max-clicks` clicks
      (default 2). A single page passes when it links one, holds an Impressum section,
      or links "Kontakt", which customers understand as the way to the provider's
      details.
    - `es`: an Aviso legal (Información legal, Nota legal), or the NIF/CIF on the page.
    - `fr`: Mentions légales (Informations légales), or SIREN/SIRET on the page.
    - `it`: the home page shows the Partita IVA: 11 digits after `P.IVA`, `Partita IVA`,
      `VAT` or `IT`, with a valid check digit. A number with a wrong check digit is
      reported on the number. Checked on the site's home page; a page checked on its
      own is judged only when it is named `index.html` (or `.htm`, `.php`).
    - `ru`: the seller's ИНН or ОГРН/ОГРНИП on the page, or a link to Реквизиты,
      Выходные данные, О компании or Контакты.
    - `id`: a PT/CV company name with a street address (Jl./Jalan) on the page, or a
      link to Tentang Kami, Hubungi Kami or Kontak.

    In site mode the links are followed (the nearest such page, in clicks); links to
    absolute addresses cannot be followed and count as one click. Error pages,
    `noindex` pages and fragments are skipped. The words are those of each
    jurisdiction, whatever the page's language.

    ## Why is this bad?
    The law of these countries requires the provider's identity to be easy to find;
    missing it is a fineable offence and a reason for customers to distrust the site.
    Germany: § 5 DDG ("leicht erkennbar, unmittelbar erreichbar und ständig
    verfügbar"); two links are fine (BGH, 20 July 2006, I ZR 228/03). Spain: LSSI
    (Ley 34/2002) art. 10. France: LCEN (loi 2004-575) art. 6-III. Italy: DPR 633/1972
    art. 35 (the VAT number "nella home-page dell'eventuale sito web"). Russia: Law
    No. 2300-1 on consumer protection, art. 9 and 26.1. Indonesia: PP 80/2019 art. 13.
    Source: https://www.gesetze-im-internet.de/ddg/__5.html ;
    https://www.boe.es/buscar/act.php?id=BOE-A-2002-13758 ;
    https://www.legifrance.gouv.fr/loda/id/JORFTEXT000000801164 ;
    https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.del.presidente.della.repubblica:1972-10-26;633

    ## Example
    ```html
    <!-- trustlint.toml: jurisdictions = ["de"] -->
    <footer><a href="/agb">AGB</a> <a href="/datenschutz">Datenschutz</a></footer>
    ```

    ## Use instead
    ```html
    <footer><a href="/impressum">Impressum</a> <a href="/agb">AGB</a>
    <a href="/datenschutz">Datenschutz</a></footer>
    ```
    """
    wanted = [code for code in _REPORT_ORDER if code in ctx.jurisdictions]
    root = doc.tree
    if not wanted or root is None or not is_full_page(doc.source) or is_utility_page(root):
        return
    if not visible_text(root).strip():
        return
    site = ctx.site if ctx.site is not None and ctx.page in ctx.site.pages else None
    path = ctx.page if site is not None else doc.path
    max_clicks = ctx.options["max_clicks"]
    for code in wanted:
        if code == "it":
            yield from _check_it(doc, root, site, path)
            continue
        profile = PROFILES[code]
        if _shows_here(root, path, profile):
            continue
        if site is None:
            if _links_here(root, path, profile):
                continue
            yield Report(
                anchor_element(root),
                f"no link to {profile.what} on this page ({profile.law})",
                suggestion=f"Link {profile.what} from the footer of every page",
            )
            continue
        distance = _legal_distances(site, code)
        clicks = distance.get(path)
        if clicks is not None and clicks <= max_clicks:
            continue
        where = "no page of the site leads to" if clicks is None else f"{clicks} clicks to"
        yield Report(
            anchor_element(root),
            f"{where} {profile.what} ({profile.law}; at most {max_clicks} clicks)",
            suggestion=f"Link {profile.what} from the footer of every page",
        )


def _check_it(doc, root, site, path: str) -> Iterator[Report]:
    if site is not None:
        if path != home_page(site):
            return
    elif PurePosixPath(path).name.lower() not in HOME_NAMES:
        return
    text = visible_text(root)
    numbers = [m.group(1) or m.group(2) for m in PIVA.finditer(text)]
    if any(piva_ok(n) for n in numbers):
        return
    if numbers:
        start = doc.source.find(numbers[0])
        target = Span(start, start + 11) if start >= 0 else anchor_element(root)
        yield Report(
            target,
            f"the Partita IVA {numbers[0]} has a wrong check digit (DPR 633/1972 art. 35)",
            suggestion="Copy the VAT number from the Agenzia delle Entrate certificate",
        )
        return
    yield Report(
        anchor_element(root),
        "the home page shows no Partita IVA (DPR 633/1972 art. 35)",
        suggestion="Show 'P.IVA' and the 11-digit VAT number in the footer of the home page",
    )
