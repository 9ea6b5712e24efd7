from __future__ import annotations

from collections.abc import Iterator

from trustlint.model import LANGUAGES, Report, Severity
from trustlint.registry import rule
from trustlint.site import (
    anchor_element,
    is_full_page,
    is_utility_page,
    offers_contact,
    summarize,
    visible_text,
)


def _contact_clicks(site, ctx) -> dict[str, int]:
    return site.clicks_to(offers_contact)


@rule(
    code="TL301",
    name="contact-missing",
    summary="No way to reach a person from this page",
    category="contact",
    severity=Severity.WARNING,
    inputs=("html",),
    langs=LANGUAGES,
    options={"max_clicks": 2},
    site_tables=(_contact_clicks,),
)
def contact_missing(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Reports a page that offers no way to reach a person: no `mailto:` or `tel:` link,
    no visible email address or phone number, no postal `<address>`, no schema.org
    contact data, and no link to a contact page or imprint (link texts and page names
    in nine languages: Contact, Kontakt, Contacto, Contatti, Контакты, Hubungi Kami,
    Contato, Nous contacter, Impressum, ...). In site mode (a folder, or `site-root`),
    the rule follows the site's links instead and reports pages from which such a page
    is more than `max-clicks` clicks away (default 2, as the German Federal Court
    accepts for an imprint: BGH I ZR 228/03) or cannot be reached at all. Error pages,
    `noindex` pages, empty pages and fragments (no `<html>` or `<body>`) are skipped.

    ## Why is this bad?
    "Hiding or leaving out contact information makes customers think you hide
    something" (the German source article of this project). The EU e-Commerce
    Directive (2000/31/EC, Art. 5(1)) requires name, address and an email address to be
    "easily, directly and permanently accessible", and Stanford's Web Credibility
    guideline 5 says: make it easy to contact you.
    Source: https://eur-lex.europa.eu/eli/dir/2000/31/oj ;
    https://credibility.stanford.edu/guidelines/index.html

    ## Example
    ```html
    <footer><a href="/shop">Shop</a> <a href="/blog">Blog</a></footer>
    ```

    ## Use instead
    ```html
    <footer><a href="/contact">Contact</a> · <a href="mailto:help@example.com">
    help@example.com</a> · <a href="tel:+493012345678">+49 30 1234 5678</a></footer>
    ```
    """
    root = doc.tree
    if root is None or not is_full_page(doc.source) or is_utility_page(root):
        return
    if not visible_text(root).strip():
        return  # an empty page says nothing, not even that it hides something
    max_clicks = ctx.options["max_clicks"]
    if ctx.site is not None and ctx.page in ctx.site.pages:
        distance = _contact_clicks(ctx.site, ctx).get(ctx.page)
        if distance is not None and distance <= max_clicks:
            return
        where = (
            "no page of the site links to a contact page or shows contact details"
            if distance is None
            else f"the nearest contact details are {distance} clicks away"
        )
        yield Report(
            anchor_element(root),
            f"{where}; customers cannot see how to reach you",
            suggestion="Link the contact page from the footer or navigation of every page",
        )
        return
    summary = summarize(root, doc.path)
    if offers_contact(summary) or {"contact", "imprint"} & set(summary.linked_roles):
        return
    yield Report(
        anchor_element(root),
        "no contact details and no link to a contact page on this page",
        suggestion="Add a 'Contact' link and an email address or phone number to the footer",
    )
