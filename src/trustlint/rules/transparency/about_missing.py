from __future__ import annotations

import re
from collections.abc import Iterator

from trustlint import lazyre
from trustlint.model import LANGUAGES, Report, Severity
from trustlint.registry import rule
from trustlint.rules.transparency._common import home_page, link_says, site_memo
from trustlint.site import ROLE_WORDS, anchor_element, is_full_page

# About-page link texts, searched inside the label ("About Lindenhof" counts).
# site.ROLE_WORDS["about"] plus catalog section 1.6.
ABOUT_LINK = lazyre.compile(
    r"(?<!\w)(?:" + ROLE_WORDS["about"] + r"|our story|unternehmen|wer wir sind|"
    r"nuestra empresa|l'azienda|chi siamo|о компании|profil perusahaan|notre histoire|"
    r"a empresa|wie zijn wij)(?!\w)",
    re.I,
)


def _about_clicks(site) -> int | None:
    """Fewest clicks from the home page to an about page (None: none found)."""
    home = home_page(site)
    if home is None:
        return None
    seen = {home: 0}
    frontier = [home]
    best: int | None = None
    while frontier:
        nxt = []
        for page in frontier:
            depth = seen[page]
            summary = site.pages[page]
            if "about" in summary.roles:
                best = depth if best is None else min(best, depth)
            for link in summary.links:
                if link_says(link, ABOUT_LINK, "about"):
                    best = depth + 1 if best is None else min(best, depth + 1)
                target = site.find(link.target)
                if target is not None and target not in seen:
                    seen[target] = depth + 1
                    nxt.append(target)
        if best is not None:
            return best
        frontier = nxt
    return best


@rule(
    code="TL306",
    name="about-missing",
    summary="No about page within two clicks of the home page",
    category="transparency",
    severity=Severity.INFO,
    inputs=("html",),
    langs=LANGUAGES,
    options={"max_clicks": 2},
)
def about_missing(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    In site mode (a folder, or `site-root`), reports the site once, on its home page
    (`index.html` at the root; a folder without one is not judged), when no page about the people or
    company behind it is within `max-clicks` clicks (default 2): no link that says
    About us, Über uns, Wir über uns, Sobre nosotros, Quiénes somos, Chi siamo,
    О компании, О нас, Tentang Kami, À propos, Qui sommes-nous, Sobre nós, Quem somos,
    Over ons ..., and no page named `about`, `ueber-uns`, `chi-siamo`, `o-nas` ....
    A single page checked on its own is never reported: one page cannot tell what the
    rest of the site holds.

    ## Why is this bad?
    Customers trust a site more when they can see who runs it. Stanford's Web
    Credibility guidelines 2 and 4 ("Show that there's a real organization behind your
    site", "Show the honest and trustworthy people behind your site") come from studies
    with more than 4,500 people, and Google's Search Quality Rater Guidelines ask raters
    to find out "who is responsible for the website".
    Source: https://credibility.stanford.edu/guidelines/index.html ;
    https://guidelines.raterhub.com/searchqualityevaluatorguidelines.pdf

    ## Example
    ```html
    <nav><a href="/">Shop</a> <a href="/blog">Blog</a></nav>
    ```

    ## Use instead
    ```html
    <nav><a href="/">Shop</a> <a href="/blog">Blog</a> <a href="/about">About us</a></nav>
    ```
    """
    root = doc.tree
    site = ctx.site
    if root is None or site is None or ctx.page not in site.pages:
        return
    if ctx.page != home_page(site) or not is_full_page(doc.source):
        return
    clicks = site_memo(site, "about", _about_clicks)
    max_clicks = ctx.options["max_clicks"]
    if clicks is not None and clicks <= max_clicks:
        return
    where = "no page of the site" if clicks is None else f"only a page {clicks} clicks away"
    yield Report(
        anchor_element(root),
        f"{where} says who runs the site (About us)",
        suggestion="Link an 'About us' page from the navigation or the footer",
    )
