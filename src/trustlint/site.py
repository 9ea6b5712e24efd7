"""Site mode: what each page offers and links to, and how far every page is from help.

A ``PageSummary`` is small and depends only on the page's own bytes, so it is cached
and recomputed only for changed pages. The ``SiteGraph`` joins the summaries: links
resolve to pages (relative, root-relative, ``<base>``, ``dir/`` and clean URLs), and a
breadth-first search over the reversed link graph gives, for each page, the number of
clicks to the nearest page with a given trait (a contact channel, an imprint...).
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
import weakref
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from sys import intern
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from trustlint import lazyre
from trustlint.htmlforms import text_parts
from trustlint.packs.literals import fold, necessary

# Page roles, recognised from the link text that points at a page and from its slug.
# Nine languages; each word is proven by tests/test_site.py or a rule fixture.
ROLE_WORDS = {
    "contact": (
        r"contact(?:s| us|ez[- ]nous)?|get in touch|kontakt(?:e|y|formular)?|contacto|"
        r"cont[aá]ctenos|cont[aá]ctanos|contatti|contattaci|contato|fale conosco|"
        r"nous contacter|контакты|связаться с нами|обратная связь|hubungi kami|kontak(?: kami)?"
    ),
    "imprint": (
        r"impressum|imprint|anbieterkennzeichnung|legal notice|aviso legal|"
        r"informaci[oó]n legal|note legali|mentions l[ée]gales|colofon|"
        r"выходные данные|реквизиты"
    ),
    "privacy": (
        r"privacy(?: policy| notice| statement)?|datenschutz(?:erkl[äa]rung|hinweise)?|"
        r"pol[ií]tica de privacidad|privacidad|informativa(?: sulla)? privacy|"
        r"politica (?:sulla|della|di) privacy|политика конфиденциальности|"
        r"конфиденциальность|обработк[аи] персональных данных|kebijakan privasi|privasi|"
        r"politique de confidentialit[ée]|confidentialit[ée]|donn[ée]es personnelles|"
        r"pol[ií]tica de privacidade|privacidade|privacyverklaring|privacybeleid"
    ),
    "about": (
        r"about(?: us)?|who we are|über uns|wir über uns|sobre nosotros|qui[ée]nes somos|"
        r"chi siamo|о нас|о компании|tentang kami|[àa] propos|qui sommes[- ]nous|"
        r"sobre n[óo]s|quem somos|over ons"
    ),
    "terms": (
        r"terms(?: of (?:service|use))?|terms and conditions|agb|nutzungsbedingungen|"
        r"t[ée]rminos(?: y condiciones)?|condizioni(?: generali)?|termini|"
        r"пользовательское соглашение|условия|syarat(?: dan ketentuan)?|"
        r"conditions g[ée]n[ée]rales|cgv|cgu|termos(?: de uso)?|algemene voorwaarden"
    ),
}
# A label may name several trust pages at once: "Kontakt/Impressum", "Impressum & AGB".
_ANY_ROLE = "|".join(ROLE_WORDS.values())
_JOIN = r"\s*(?:[/|&+·•,]|\b(?:und|and|y|e|et|en|и|dan)\b)\s*"
ROLE_PATTERNS = {
    role: lazyre.compile(
        rf"^\W*(?:(?:{_ANY_ROLE}){_JOIN})*(?:{words})(?:{_JOIN}(?:{_ANY_ROLE}))*\W*$", re.I
    )
    for role, words in ROLE_WORDS.items()
}
# Most labels are one trust-page word ("Contact", "Impressum"): one pattern of every
# role's words, a fifth of the size of the five above, names its role. No word of one
# role reads as words of others (tests/test_site.py), so the answer is the same.
_ONE_ROLE = lazyre.compile(
    r"^\W*(?:" + "|".join(f"(?P<{role}>{words})" for role, words in ROLE_WORDS.items()) + r")\W*$",
    re.I,
)


class RoleText:
    """``ROLE_TEXT[role].match(label)``: the label is made of trust-page words joined by
    "/", "&", "and"..., one of them ``role``'s ("Kontakt/Impressum" is both)."""

    __slots__ = ("role",)

    def __init__(self, role: str) -> None:
        self.role = role

    def match(self, label: str) -> bool:
        return self.role in label_roles(label)

    search = match  # the patterns are anchored at both ends


ROLE_TEXT = {role: RoleText(role) for role in ROLE_WORDS}
# Soft hyphens and zero-width characters split words invisibly ("Im\xadpres\xadsum").
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_HAS_INVISIBLE = lazyre.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
ROLE_SLUG = {
    "contact": lazyre.compile(
        r"(?:^|[/_-])(?:contact(?:s|-us|o|ez-nous)?|kontakt[ye]?|contatti|contato|"
        r"hubungi-kami|kontak|nous-contacter)(?:$|[/._-])",
        re.I,
    ),
    "imprint": lazyre.compile(
        r"(?:^|[/_-])(?:impressum|imprint|legal-notice|aviso-legal|note-legali|"
        r"mentions-legales|colofon)(?:$|[/._-])",
        re.I,
    ),
    "privacy": lazyre.compile(
        r"(?:^|[/_-])(?:privacy(?:-policy)?|datenschutz(?:erklaerung)?|privacidad|"
        r"informativa-privacy|politika-konfidencialnosti|kebijakan-privasi|"
        r"confidentialite|politique-de-confidentialite|privacidade|privacyverklaring)"
        r"(?:$|[/._-])",
        re.I,
    ),
    "about": lazyre.compile(
        r"(?:^|[/_-])(?:about(?:-us)?|ueber-uns|uber-uns|sobre-nosotros|quienes-somos|"
        r"chi-siamo|o-nas|tentang-kami|a-propos|qui-sommes-nous|sobre|quem-somos|over-ons)"
        r"(?:$|[/._-])",
        re.I,
    ),
    "terms": lazyre.compile(
        r"(?:^|[/_-])(?:terms|agb|terminos|condizioni|termini|usloviya|syarat|cgv|cgu|"
        r"termos|voorwaarden)(?:$|[/._-])",
        re.I,
    ),
}
# The look-behind and look-ahead only skip hopeless starting points (3x faster on
# long pages): a match can always start at the beginning of its word.
EMAIL = lazyre.compile(
    r"(?<![\w.+-])[\w.+-]+\s*(?:@|\[at\]|\(at\)|\s(?:at|ät)\s)\s*[\w-]+(?:\.[\w-]+)*"
    r"\s*(?:\.|\[dot\]|\(dot\))\s*[a-z]{2,}",
    re.I,
)
PHONE_LABEL = lazyre.compile(
    r"(?=[tpcfhwт])(?:\b(?:tel|phone|telephone|call us|telefon|fon|tel[eé]fono|telefono|telefone|"
    r"t[ée]l[ée]phone|telp|hp|wa|whatsapp)\b|телефон|тел)\.?\s*:?\s*"
    r"(?P<number>\+?\(?\d[\d\s()./-]{5,}\d)",
    re.I,
)
INTL_PHONE = lazyre.compile(r"(?<![\w+])\+\d{1,3}[\s./-]?\(?\d{1,5}\)?(?:[\s./-]?\d{2,}){2,}")
SPACE = lazyre.compile(r"\s+")


class Link(NamedTuple):
    """A site of 10,000 pages holds over a million: a tuple hashes and compares in C,
    so the site graph can keep one copy of a link that every page repeats."""

    target: str | None  # site-relative page path, or None for other sites and schemes
    href: str
    text: str
    scheme: str  # "", "http", "https", "mailto", "tel", ...

    def __reduce__(self):
        # Unpickled through _shared_link, so that a link many pages repeat is one
        # object as soon as it is read (see sharing_links).
        return (_shared_link, tuple(self))


# While a site's summaries are read (see sharing_links): every different link, once.
_SHARED: dict[Link, Link] | None = None


def _shared_link(*fields: str | None) -> Link:
    link = Link(*fields)
    return link if _SHARED is None else _SHARED.setdefault(link, link)


@contextmanager
def sharing_links() -> Iterator[None]:
    """Within the block, links unpickled (summaries from worker processes or from the
    cache) or passed through ``share_links`` are shared: one object per different link.

    Sharing them only after a batch of summaries was read freed the copies then, and
    those freed copies left holes all over the memory of the process; the lint workers
    forked from it filled the holes with their own objects, so copying each memory page
    they wrote to. On a site of 10,000 pages the parent held 12.6 MB of such free
    blocks when it forked, 0.5 MB now (with the runner's small batches).
    """
    global _SHARED
    outer = _SHARED
    _SHARED = {} if outer is None else outer
    try:
        yield
    finally:
        _SHARED = outer


@dataclass
class PageSummary:
    """What one page offers and links to; picklable and small."""

    path: str  # site-relative POSIX path
    links: list[Link] = field(default_factory=list)
    channels: set[str] = field(default_factory=set)  # mailto, tel, email, phone, form, jsonld
    roles: set[str] = field(default_factory=set)  # roles of this page from its slug
    linked_roles: dict[str, list[str]] = field(default_factory=dict)  # role -> hrefs
    base: str | None = None

    def digest(self) -> str:
        """A stable hash of the summary (sets sorted). Kept once computed: a summary
        is not changed after ``summarize``, and the cache stores it with the digest,
        so a pre-commit run on a large site does not hash every page again."""
        found = self.__dict__.get("_digest")
        if found is None:
            import hashlib

            canon = (
                self.path,
                sorted(self.channels),
                sorted(self.roles),
                sorted((k, sorted(v)) for k, v in self.linked_roles.items()),
                [tuple(link) for link in self.links],
                self.base,
            )
            found = self.__dict__["_digest"] = hashlib.sha256(
                json.dumps(canon).encode()
            ).hexdigest()
        return found


def _text(element) -> str:
    """Text of ``element`` without script or style, invisible characters removed."""
    text = "".join(text_parts(element))
    return text.translate(INVISIBLE) if _HAS_INVISIBLE.search(text) else text


def link_label(a) -> str:
    """The words a link shows or announces: its text, else aria-label, title or img alt."""
    if len(a):
        text = " ".join(_text(a).split())  # str.split and \s agree on what is a space
    else:  # most links hold only text: no walk needed
        text = " ".join((a.text or "").split())
        if _HAS_INVISIBLE.search(text):
            text = text.translate(INVISIBLE)
    if not text:
        text = (a.get("aria-label") or a.get("title") or "").strip()
    if not text:
        for img in a.iter("img"):
            text = (img.get("alt") or "").strip()
            if text:
                break
    return text


@functools.lru_cache(maxsize=4096)  # the summary and several rules resolve each link
def resolve(href: str, page: str, base: str | None = None) -> tuple[str | None, str]:
    """(site-relative target path or None, scheme) of ``href`` found on ``page``."""
    href = href.strip()
    parts = urlsplit(href)
    scheme = parts.scheme.lower()
    if scheme or href.startswith("//"):
        return None, scheme or "http"
    path = unquote(parts.path)
    if not path:
        return (page if not parts.query else None), ""  # a fragment: this page
    if path.startswith("/"):
        joined = path.lstrip("/")
    else:
        start = posixpath.dirname(page)
        if base is not None:
            base_parts = urlsplit(base)
            if base_parts.scheme or base.startswith("//"):
                return None, base_parts.scheme or "http"
            bpath = unquote(base_parts.path)
            start = (
                posixpath.dirname(bpath.lstrip("/"))
                if not bpath.endswith("/")
                else (bpath.strip("/"))
            )
        joined = posixpath.join(start, path)
    normal = posixpath.normpath(joined) if joined else "."
    if normal.startswith(".."):
        return None, ""
    if path.endswith("/") or normal == ".":
        normal = posixpath.join("" if normal == "." else normal, "index.html")
    return normal, ""


def page_roles(path: str) -> set[str]:
    return set(_slug_roles(path))


# What most paths and labels name. One object for all their cache entries: Python makes
# a new empty frozenset each time, and 16,000 of them in the caches of a process about
# to fork were 3.5 MB that every worker copied as it read them.
NO_ROLES: frozenset[str] = frozenset()


@functools.lru_cache(maxsize=8192)  # a site's pages link the same few paths again and again
def _slug_roles(path: str) -> frozenset[str]:
    name = path.rsplit(".", 1)[0] if path.endswith((".html", ".htm", ".xhtml")) else path
    roles = frozenset(role for role, slug in ROLE_SLUG.items() if slug.search("/" + name))
    return roles or NO_ROLES


_ANY_ROLE_WORD = lazyre.compile(_ANY_ROLE, re.I)
# The same search without re.I, on a lowered ASCII label: re.I makes sre try the
# hundred-odd words at every character, six times slower. For ASCII text the two
# agree exactly (the words are written in lower case; tests/test_site.py).
_ANY_ROLE_LOWER = lazyre.compile(_ANY_ROLE)


@functools.lru_cache(maxsize=8192)
def label_roles(label: str) -> frozenset[str]:
    """The trust pages a link label names, by ``ROLE_PATTERNS``."""
    if label.isascii():
        named = _ANY_ROLE_LOWER.search(label.lower())
    else:
        named = _ANY_ROLE_WORD.search(label)
    if not named:  # most labels name no trust page at all
        return NO_ROLES
    one = _ONE_ROLE.match(label)
    if one is not None:
        return frozenset((one.lastgroup,))
    folded = fold(label)  # a role's pattern compiles only if one of its words is there
    roles = frozenset(
        role
        for role, words in ROLE_PATTERNS.items()
        if _role_screen(role) is None or any(s in folded for s in _role_screen(role))
        if words.match(label)
    )
    return roles or NO_ROLES


@functools.cache
def _role_screen(role: str) -> frozenset[str] | None:
    return necessary(ROLE_WORDS[role])


def _jsonld_contact(root) -> bool:
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        if _has_contact(data):
            return True
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        prop = (el.get("itemprop") or "").lower()
        if prop in ("email", "telephone", "contactpoint", "address"):
            return True
    return False


def _has_contact(data) -> bool:
    if isinstance(data, list):
        return any(_has_contact(d) for d in data)
    if isinstance(data, dict):
        if any(k in data for k in ("email", "telephone", "contactPoint", "address")):
            return True
        return any(_has_contact(v) for v in data.values() if isinstance(v, (dict, list)))
    return False


# Several rules read the same page's text and summary: each is built once per tree.
_VISIBLE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_SUMMARIES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def visible_text(root) -> str:
    text = _VISIBLE.get(root)
    if text is None:
        body = root.find("body")
        text = _VISIBLE[root] = SPACE.sub(" ", _text(body if body is not None else root))
    return text


def summarize(root, path: str) -> PageSummary:
    """Read one page's tree into a summary (``path`` is site-relative), once per tree."""
    memo = _SUMMARIES.setdefault(root, {})
    if path not in memo:
        memo[path] = _summarize(root, path)
    return memo[path]


def _summarize(root, path: str) -> PageSummary:
    summary = PageSummary(path=path, roles=page_roles(path))
    base_el = root.find(".//base[@href]")
    summary.base = base_el.get("href") if base_el is not None else None
    for a in root.iter("a", "area"):
        href = a.get("href")
        if href is None:
            continue
        target, scheme = resolve(href, path, summary.base)
        label = link_label(a)
        # Interned: the same menu and footer links come back on every page of a site.
        summary.links.append(
            Link(
                intern(target) if target else target,
                intern(href),
                intern(label),
                scheme,
            )
        )
        if scheme == "mailto":
            summary.channels.add("mailto")
        elif scheme == "tel":
            summary.channels.add("tel")
        elif scheme in ("", "http", "https"):
            roles = label_roles(label) if label else NO_ROLES
            if target:
                roles = roles | _slug_roles(target)
            for role in ROLE_TEXT:  # in a fixed order, as the summary is hashed
                if role in roles:
                    summary.linked_roles.setdefault(role, []).append(href)
        if "wa.me" in href or "api.whatsapp.com" in href:
            summary.channels.add("phone")
    text = visible_text(root)
    if EMAIL.search(text):
        summary.channels.add("email")
    if PHONE_LABEL.search(text) or INTL_PHONE.search(text):
        summary.channels.add("phone")
    if root.find(".//address") is not None:
        summary.channels.add("address")
    for form in root.iter("form"):
        if form.find(".//textarea") is not None:
            summary.channels.add("form")
    if _jsonld_contact(root):
        summary.channels.add("jsonld")
    return summary


def share_links(summaries: Iterable[PageSummary]) -> Iterator[PageSummary]:
    """The summaries, each link replaced by an equal one met before: a menu or footer
    link that every page of a site repeats is kept once. Within ``sharing_links``, the
    links met are those of the whole block."""
    seen: dict[Link, Link] = {} if _SHARED is None else _SHARED
    for summary in summaries:
        links = summary.links
        for n, link in enumerate(links):  # in place: a new list would free the old one
            shared = seen.setdefault(link, link)
            if shared is not link:
                links[n] = shared
        yield summary


class SiteGraph:
    """All pages of a site and their links."""

    def __init__(self, summaries: Iterable[PageSummary]) -> None:
        self.pages = {s.path: s for s in summaries}
        self._found: dict[str, str | None] = {}  # find() answers: links repeat a lot
        self._edges: dict[str, set[str]] | None = None  # built when clicks are counted

    @property
    def edges(self) -> dict[str, set[str]]:
        if self._edges is None:
            self._edges = {
                s.path: {t for link in s.links if (t := self.find(link.target)) is not None}
                for s in self.pages.values()
            }
        return self._edges

    @functools.cached_property
    def distinct_links(self) -> list[Link]:
        """Every different link of the site once, in the order first met: what a
        whole-site question reads when it does not matter which page holds a link."""
        return list(dict.fromkeys(link for s in self.pages.values() for link in s.links))

    def digest(self) -> str:
        """A stable hash of the whole site's summaries, from each page's own digest."""
        import hashlib

        joined = "\n".join(f"{path} {self.pages[path].digest()}" for path in sorted(self.pages))
        return hashlib.sha256(joined.encode()).hexdigest()

    def find(self, target: str | None) -> str | None:
        """The page a resolved link lands on: exact, ``.html`` added, or ``/index.html``."""
        if target is None:
            return None
        found = self._found.get(target, False)
        if found is False:
            found = None
            for candidate in (target, target + ".html", posixpath.join(target, "index.html")):
                if candidate in self.pages:
                    found = candidate
                    break
            self._found[target] = found
        return found

    def exists(self, target: str | None) -> bool:
        return self.find(target) is not None

    def clicks_to(self, wanted: Callable[[PageSummary], bool]) -> dict[str, int]:
        """For each page, the fewest clicks to a page for which ``wanted`` holds.

        Computed once per predicate for the whole site: every page's rule asks the same.
        A lambda or nested function is refused: made anew on each call, it would miss
        the memo and search the whole site again for every page.
        """
        if "<" in wanted.__qualname__:
            raise ValueError(f"clicks_to needs a module-level function, not {wanted.__qualname__}")
        memo = self.__dict__.setdefault("_memo", {})
        if wanted not in memo:
            memo[wanted] = self._bfs(wanted)
        return memo[wanted]

    def _bfs(self, wanted: Callable[[PageSummary], bool]) -> dict[str, int]:
        reverse: dict[str, list[str]] = {p: [] for p in self.pages}
        for source, targets in self.edges.items():
            for target in targets:
                reverse[target].append(source)
        distance = {p: 0 for p, s in self.pages.items() if wanted(s)}
        queue = deque(distance)
        while queue:
            page = queue.popleft()
            for source in reverse[page]:
                if source not in distance:
                    distance[source] = distance[page] + 1
                    queue.append(source)
        return distance


# A way to reach a person without hunting: a contact form counts only on a contact page.
DIRECT = frozenset({"mailto", "tel", "email", "phone", "address", "jsonld"})


def offers_contact(summary: PageSummary) -> bool:
    return bool(summary.channels & DIRECT) or bool(summary.roles & {"contact", "imprint"})


FULL_PAGE = lazyre.compile(r"<(?:html|body)[\s>]", re.I)


def is_full_page(source: str) -> bool:
    """A whole page, not a fragment or template partial (which have no html or body)."""
    return FULL_PAGE.search(source) is not None


def is_utility_page(root) -> bool:
    """Pages nobody navigates to: noindex pages and error pages."""
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() == "robots" and "noindex" in (
            meta.get("content") or ""
        ).lower():
            return True
    title = root.find(".//title")
    return title is not None and bool(
        re.search(r"\b(?:404|not found|nicht gefunden|no encontrad|non trovat)", _text(title), re.I)
    )


def anchor_element(root):
    """Where a missing path belongs: the footer, else the nav, else the body."""
    for tag in ("footer", "nav", "body"):
        found = root.find(f".//{tag}")
        if found is not None:
            return found
    return root
