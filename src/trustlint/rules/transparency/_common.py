"""Helpers shared by the contact and transparency rules (TL302 to TL311); no rules here.

Site-wide facts (which pages are legal pages, how far each page is from one) are
computed once per ``SiteGraph`` and kept beside it, so that every page's rule asks the
same question at the cost of one look-up.
"""

from __future__ import annotations

import ipaddress
import os
import re
import weakref
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from trustlint import lazyre
from trustlint.site import ROLE_SLUG, ROLE_TEXT, SPACE, link_label, page_roles, resolve

# EU member states' codes among the jurisdictions trustlint knows, plus "eu" itself.
# fmt: off
EU = frozenset({
    "eu", "at", "be", "bg", "cy", "cz", "de", "dk", "ee", "es", "fi", "fr", "gr", "hr",
    "hu", "ie", "it", "lt", "lu", "lv", "mt", "nl", "pl", "pt", "ro", "se", "si", "sk",
})
# fmt: on


def under_eu(jurisdictions: Iterable[str]) -> bool:
    return bool(EU & set(jurisdictions))


# Link texts that name a privacy notice, searched inside a link's label (not the whole
# label, as site.ROLE_TEXT does): "Read our privacy policy" counts. Catalog section 4.5.
PRIVACY_WORDS = {
    "en": [r"privacy(?: policy| notice| statement)?", r"data protection", r"cookie policy", "gdpr"],
    "de": [r"datenschutz\w*", r"privatsph[äa]re", "dsgvo"],
    "es": [r"privacidad", r"protecci[óo]n de datos"],
    "it": [r"informativa(?: sulla)? privacy", r"protezione dei dati", r"trattamento dei dati"],
    "ru": [r"конфиденциальност\w*", r"персональн\w* данн\w*"],
    "id": [r"privasi", r"perlindungan data(?: pribadi)?"],
    "fr": [r"confidentialit[ée]", r"donn[ée]es personnelles", r"vie priv[ée]e", "rgpd"],
    "pt": [r"privacidade", r"prote[çc][ãa]o de dados", r"dados pessoais"],
    "nl": [r"privacy(?:verklaring|beleid|statement)", r"gegevensbescherming"],
}
PRIVACY_LINK = lazyre.words(w for ws in PRIVACY_WORDS.values() for w in ws)
# Link texts of an imprint, searched inside the label ("Kontakt & Impressum" counts).
IMPRINT_LINK = lazyre.words(
    [
        r"impressum",
        r"imprint",
        r"anbieterkennzeichnung",
        r"legal notice",
        r"avisos? legal(?:es)?",
        r"informaci[óo]n legal",
        r"nota legal",
        r"note legali",
        r"mentions l[ée]gales",
        r"informations l[ée]gales",
        r"colofon",
        r"выходные данные",
        r"реквизиты",
    ]
)
MAX_LABEL = 60  # a longer "link text" is a sentence or a teaser, not a menu item


def link_role(label: str, href: str | None, page: str = "") -> str | None:
    """privacy, contact or imprint when a link's whole label or its target's slug says so.

    Strict on purpose: "Contact lenses" or "Ten privacy tips" are not trust links.
    """
    if label:
        for role in ("privacy", "contact", "imprint"):
            if ROLE_TEXT[role].match(label):
                return role
    if href:
        path = slug_path(href, page)
        if path:
            for role in ("privacy", "imprint", "contact"):
                if role in strict_roles(path):
                    return role
    return None


def strict_roles(path: str) -> set[str]:
    """Roles whose slug is the whole last name of ``path``: "kontakt.html", "privacy/".

    site.page_roles also finds "contact-lenses-guide"; a link to that is no contact link.
    """
    parts = [p for p in path.split("/") if p]
    if not parts:
        return set()
    last = parts[-1]
    if last.lower().startswith("index.") and len(parts) > 1:
        last = parts[-2]
    stem = last.rsplit(".", 1)[0] if "." in last else last
    whole = "/" + stem + "/"
    found = set()
    for role, slug in ROLE_SLUG.items():
        m = slug.search(whole)
        if m is not None and m.start() == 0 and m.end() == len(whole):
            found.add(role)
    return found


def slug_path(href: str, page: str = "") -> str | None:
    """The path part of a link, resolved on the site when it is a relative link."""
    target, scheme = resolve(href, page or "index.html")
    if target is not None:
        return target
    return _url_path(href) if scheme in ("http", "https") else None


def _url_path(href: str) -> str | None:
    try:
        return urlsplit(href.strip()).path.lstrip("/") or None
    except ValueError:
        return None


def page_text_heading(root) -> list[str]:
    """The page's h1 texts and the segments of its title: what the page says it is."""
    found = []
    for h1 in root.iter("h1"):
        text = SPACE.sub(" ", h1.text_content()).strip()
        if text:
            found.append(text)
    title = root.find(".//title")
    if title is not None:
        for part in re.split(r"\s[|–—:·•»-]\s|[|–—·•»]", title.text_content() or ""):
            part = SPACE.sub(" ", part).strip()
            if part:
                found.append(part)
    return found


def says_it_is(root, path: str, role: str, extra: lazyre.LazyPattern | None = None) -> bool:
    """The page is a ``role`` page by its slug, its h1 or its title."""
    if role in page_roles(path):
        return True
    for text in page_text_heading(root):
        if ROLE_TEXT[role].match(text) or (extra is not None and extra.fullmatch(text)):
            return True
    return False


# --- hosts --------------------------------------------------------------------------

DEV_SUFFIXES = (".localhost", ".test", ".local", ".internal", ".lan", ".example", ".invalid")
DEV_NAMES = frozenset({"localhost", "0.0.0.0"})


def host_of(url: str | None) -> str:
    if not url:
        return ""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".").lower()


def same_host(a: str, b: str) -> bool:
    return bool(a) and bool(b) and a.removeprefix("www.") == b.removeprefix("www.")


def is_dev_host(host: str) -> bool:
    if not host or host in DEV_NAMES or host.endswith(DEV_SUFFIXES):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


def page_urls(root) -> list[str]:
    """The page's own absolute addresses: canonical link, og:url and base href."""
    urls = []
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            urls.append(link.get("href").strip())
    for meta in root.iter("meta"):
        kind = (meta.get("property") or meta.get("name") or "").lower()
        if kind == "og:url" and meta.get("content"):
            urls.append(meta.get("content").strip())
    for base in root.iter("base"):
        if base.get("href"):
            urls.append(base.get("href").strip())
    return [u for u in urls if re.match(r"https?://", u, re.I)]


# --- site-wide facts, computed once per site ------------------------------------------

_MEMO: weakref.WeakKeyDictionary[Any, dict[Any, Any]] = weakref.WeakKeyDictionary()


def site_memo(site, key: Any, compute: Callable[[Any], Any]) -> Any:
    memo = _MEMO.setdefault(site, {})
    if key not in memo:
        memo[key] = compute(site)
    return memo[key]


def home_page(site) -> str | None:
    """index.html at the root; None for a folder with none (drafts, not a site)."""
    for name in ("index.html", "index.htm", "index.xhtml"):
        if name in site.pages:
            return name
    return None


def _reverse(site) -> dict[str, list[str]]:
    reverse: dict[str, list[str]] = {p: [] for p in site.pages}
    for summary in site.pages.values():
        for target in {site.find(link.target) for link in summary.links}:
            if target is not None and target != summary.path:
                reverse[target].append(summary.path)
    return reverse


def distances(site, start: dict[str, int]) -> dict[str, int]:
    """Fewest clicks from each page to one of ``start`` (a page -> its own distance)."""
    reverse = site_memo(site, "reverse", _reverse)
    distance = dict(start)
    queue = deque(sorted(start, key=start.__getitem__))
    while queue:
        page = queue.popleft()
        for source in reverse.get(page, ()):
            if source not in distance or distance[source] > distance[page] + 1:
                distance[source] = distance[page] + 1
                queue.append(source)
    return distance


def linked_pages(site, words: lazyre.LazyPattern, role: str | None = None) -> tuple[set, set]:
    """(pages a ``words`` link lands on, pages with such a link to elsewhere).

    A page also counts as landed on when its own slug has ``role``. Links whose target
    is outside the folder (an absolute address, often the site's own) cannot be
    followed: the pages that hold them are returned apart.
    """
    landed: set[str] = set()
    outward: set[str] = set()
    says: dict = {}  # a link that every page repeats (a menu, a footer) is judged once
    for summary in site.pages.values():
        if role is not None and role in summary.roles:
            landed.add(summary.path)
        for link in summary.links:
            verdict = says.get(link)
            if verdict is None:
                verdict = says[link] = link_says(link, words, role)
            if not verdict:
                continue
            found = site.find(link.target)
            if found is not None:
                landed.add(found)
            elif link.target is None:
                outward.add(summary.path)
    return landed, outward


def link_says(link, words: lazyre.LazyPattern, role: str | None) -> bool:
    """Whether a link's label says ``words`` or its target's slug has ``role``."""
    if link.scheme not in ("", "http", "https"):
        return False
    if link.text and len(link.text) <= MAX_LABEL and words.search(link.text):
        return True
    return role is not None and role in page_roles(link.target or slug_path(link.href) or "")


def site_root_of(doc_path: str, page: str | None) -> str | None:
    """The folder of the site on disk, from a checked file's path and its site path."""
    if not page:
        return None
    full = os.path.abspath(doc_path)
    parts = PurePosixPath(page).parts
    folder = full
    for _ in parts:
        folder = os.path.dirname(folder)
    if os.path.normpath(os.path.join(folder, *parts)) != os.path.normpath(full):
        return None
    return folder


def label(a) -> str:
    return link_label(a)


__all__ = [
    "EU",
    "PRIVACY_LINK",
    "distances",
    "home_page",
    "host_of",
    "is_dev_host",
    "label",
    "link_role",
    "link_says",
    "linked_pages",
    "page_urls",
    "same_host",
    "says_it_is",
    "site_memo",
    "site_root_of",
    "strict_roles",
    "under_eu",
]
