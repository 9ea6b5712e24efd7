from __future__ import annotations

import re
from collections.abc import Iterator

from trustlint import lazyre
from trustlint.htmlforms import controls, form_kind, forms
from trustlint.model import LANGUAGES, Report, Severity
from trustlint.registry import rule
from trustlint.rules.transparency._common import says_it_is, site_memo
from trustlint.site import ROLE_TEXT, is_full_page, is_utility_page, summarize

# Headings of a contact page beyond site.ROLE_TEXT's link words.
CONTACT_HEADING = lazyre.compile(
    r"\W*(?:write to us|kontaktieren sie uns|schreiben sie uns|contacte con nosotros|"
    r"scrivici|свяжитесь с нами|[ée]crivez[- ]nous|contacte[- ]nos|neem contact op)\W*",
    re.I,
)
# What lets a customer reach a person without filling in a form. ``jsonld`` is
# schema.org contact data (email, telephone, contactPoint), read as in TL301.
DIRECT = frozenset({"mailto", "tel", "email", "phone", "jsonld"})


def _linked_as_contact(site) -> frozenset[str]:
    """Pages some link of the site calls Contact, Kontakt, Contatti ..."""
    found = set()
    for link in site.distinct_links:
        if link.text and ROLE_TEXT["contact"].match(link.text):
            page = site.find(link.target)
            if page is not None:
                found.add(page)
    return frozenset(found)


def _contact_pages(site, ctx) -> frozenset[str]:
    return site_memo(site, "linked-as-contact", _linked_as_contact)


@rule(
    code="TL302",
    name="contact-channel-missing",
    summary="Contact page offers only a form: no email address, no phone number",
    category="contact",
    severity=Severity.WARNING,
    inputs=("html",),
    langs=LANGUAGES,
    site_tables=(_contact_pages,),
)
def contact_channel_missing(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Reports the form of a contact page that offers nothing but that form: no `mailto:`
    or `tel:` link, no visible email address or phone number (also written as
    `name [at] example.com`), and no schema.org email or telephone. A page is a contact
    page by its name (`contact.html`, `kontakt/`, `contatti`, `hubungi-kami` ...), by its
    `<h1>` or title (Contact, Kontakt, Contacto, Contatti, Контакты, Hubungi Kami,
    Nous contacter, Fale conosco, Neem contact op ...), or in site mode because another
    page links to it as the contact page.

    ## Why is this bad?
    A form alone gives the customer no copy of what they sent, no name to write to and
    no way to follow up; people read it as a wall. The EU e-Commerce Directive requires
    "the details of the service provider, including his electronic mail address, which
    allow him to be contacted rapidly and communicated with in a direct and effective
    manner" (Art. 5(1)(c)). The CJEU held that the email address is always owed and
    that a web form can only be an additional means of contact (C-298/07,
    Bundesverband v. deutsche internet versicherung, 2008). The German § 5 (1) Nr. 2
    DDG names the email address as well.
    Source: https://eur-lex.europa.eu/eli/dir/2000/31/oj ;
    https://curia.europa.eu/juris/liste.jsf?num=C-298/07

    ## Example
    ```html
    <h1>Contact</h1>
    <form action="/send"><textarea name="message"></textarea><button>Send</button></form>
    ```

    ## Use instead
    ```html
    <h1>Contact</h1>
    <p>Email <a href="mailto:help@example.com">help@example.com</a> or call
    <a href="tel:+493012345678">+49 30 1234 5678</a> (Mon–Fri 9–17).</p>
    <form action="/send"><textarea name="message"></textarea><button>Send</button></form>
    ```
    """
    root = doc.tree
    if root is None or not is_full_page(doc.source) or is_utility_page(root):
        return
    contact_forms = [f for f in forms(root) if controls(f) and form_kind(f) == "contact"]
    if not contact_forms:
        return
    path = ctx.page if ctx.site is not None and ctx.page else doc.path
    is_contact = says_it_is(root, path, "contact", CONTACT_HEADING)
    if not is_contact and ctx.site is not None and ctx.page in ctx.site.pages:
        is_contact = ctx.page in _contact_pages(ctx.site, ctx)
    if not is_contact:
        return
    if summarize(root, path).channels & DIRECT:
        return
    yield Report(
        contact_forms[0],
        "this contact page offers only a form: no email address and no phone number",
        suggestion="Show an email address (mailto: link) and, if you have one, a phone "
        "number beside the form",
    )
