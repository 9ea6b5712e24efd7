from __future__ import annotations

import os
import posixpath
from collections.abc import Iterator

from trustlint.model import LANGUAGES, Report, Severity
from trustlint.registry import rule
from trustlint.rules.transparency._common import site_memo, site_root_of, strict_roles
from trustlint.site import ROLE_TEXT, is_full_page, link_label, resolve

ROLES = ("contact", "imprint", "privacy", "terms", "about")
PAGE_SUFFIXES = ("", ".html", ".htm", ".xhtml", ".php", ".asp", ".aspx", ".jsp")


def _root_links_work(site) -> bool:
    """Whether root-relative links ("/about") land in this folder anywhere in the site.

    A folder published below the domain's root (a ``docs/`` folder served at /docs/)
    has root-relative links that point outside it: those cannot be judged.
    """
    for link in site.distinct_links:
        href = link.href.strip()
        rooted = href.startswith("/") and not href.startswith("//") and href.strip("/#")
        if rooted and site.exists(link.target):
            return True
    return False


def _role(label: str, target: str) -> str | None:
    for role in ROLES:
        if label and ROLE_TEXT[role].match(label):
            return role
    roles = strict_roles(target)
    for role in ROLES:
        if role in roles:
            return role
    return None


def _root_links_table(site, ctx) -> bool:
    return site_memo(site, "root-links", _root_links_work)


@rule(
    code="TL307",
    name="broken-trust-link",
    summary="Contact, imprint, privacy, terms or about link leads to no page of the site",
    category="transparency",
    severity=Severity.WARNING,
    inputs=("html",),
    langs=LANGUAGES,
    site_tables=(_root_links_table,),
)
def broken_trust_link(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    In site mode (a folder, or `site-root`), reports a link to the site's own contact,
    imprint, privacy, terms or about page (by its text: Contact, Impressum,
    Datenschutz, Aviso legal, Privacy policy, AGB, Über uns ...; or by the target's
    name: `/kontakt`, `/privacy-policy`, `/chi-siamo` ...) whose target is not in the
    site: no such page, no `.html` page of that name and no `index.html` in such a
    folder. Links to other files (a PDF privacy notice) count when the file exists.
    A single page checked on its own is never reported: it cannot see the other pages.

    ## Why is this bad?
    A customer who looks for the imprint or the privacy notice and lands on an error
    page concludes that the site hides something or is abandoned, and the law treats a
    dead link like a missing page: the details must be "easily, directly and
    permanently accessible" (EU e-Commerce Directive, Art. 5(1)). Broken links are also
    among the credibility problems Stanford's guidelines list ("Avoid errors of all
    types, no matter how small they seem", guideline 10).
    Source: https://eur-lex.europa.eu/eli/dir/2000/31/oj ;
    https://credibility.stanford.edu/guidelines/index.html

    ## Example
    ```html
    <footer><a href="/impressum.html">Impressum</a></footer>  <!-- no impressum.html -->
    ```

    ## Use instead
    ```html
    <footer><a href="/de/impressum.html">Impressum</a></footer>
    ```
    """
    root = doc.tree
    site = ctx.site
    if root is None or site is None or ctx.page not in site.pages:
        return
    if not is_full_page(doc.source):
        return
    base_el = root.find(".//base[@href]")
    base = base_el.get("href") if base_el is not None else None
    folder = None
    for a in root.iter("a", "area"):
        href = a.get("href")
        if href is None or not href.strip() or href.strip().startswith("#"):
            continue
        target, scheme = resolve(href, ctx.page, base)
        if target is None or scheme:
            continue
        role = _role(link_label(a), target)
        if role is None or site.exists(target):
            continue
        if href.strip().startswith("/") and not _root_links_table(site, ctx):
            continue
        ext = posixpath.splitext(target)[1].lower()
        if ext not in PAGE_SUFFIXES:  # a PDF or text file: look on disk
            folder = folder or site_root_of(doc.path, ctx.page)
            if folder is None or os.path.exists(os.path.join(folder, *target.split("/"))):
                continue
        label = link_label(a) or href
        yield Report(
            a,
            f'the {role} link "{label}" leads to {target}, which is not in the site',
            suggestion="Point the link at the page's real address, or publish the page there",
        )
