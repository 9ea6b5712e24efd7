from __future__ import annotations

from collections.abc import Iterator

from trustlint.htmlforms import form_kind, forms
from trustlint.model import LANGUAGES, Report, Severity
from trustlint.registry import rule
from trustlint.rules.forms.privacy_notice_missing import collected_data
from trustlint.rules.transparency._common import (
    MAX_LABEL,
    PRIVACY_LINK,
    distances,
    linked_pages,
    says_it_is,
    site_memo,
    slug_path,
    under_eu,
)
from trustlint.site import is_full_page, link_label, page_roles, resolve


def _privacy_links(root, path: str) -> list[tuple[str, str | None]]:
    """(href, site target) of every link that names a privacy notice."""
    found = []
    for a in root.iter("a", "area"):
        href = a.get("href")
        if href is None:
            continue
        label = link_label(a)
        by_words = bool(label) and len(label) <= MAX_LABEL and PRIVACY_LINK.search(label)
        slug = slug_path(href, path)
        if by_words or (slug and "privacy" in page_roles(slug)):
            found.append((href, resolve(href, path)[0] if not href.startswith("#") else path))
    return found


def _privacy_distances(site) -> dict[str, int]:
    landed, outward = linked_pages(site, PRIVACY_LINK, "privacy")
    start = {p: 0 for p in landed}
    for p in outward:
        start.setdefault(p, 1)
    return distances(site, start)


def _privacy_clicks(site, ctx) -> dict[str, int]:
    return site_memo(site, "privacy", _privacy_distances)


@rule(
    code="TL305",
    name="privacy-policy-missing",
    summary="Form collects personal data but the page links no privacy policy",
    category="transparency",
    severity=Severity.WARNING,
    inputs=("html",),
    langs=LANGUAGES,
    options={"max_clicks": 2},
    site_tables=(_privacy_clicks,),
)
def privacy_policy_missing(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Reports a form that asks for personal data (an email, phone or password field, or a
    name, address or birth date field by its `autocomplete` token or name) on a page
    that links no privacy notice anywhere: no link whose text names one (Privacy
    policy, Datenschutz, Política de privacidad, Informativa privacy, Политика
    конфиденциальности, Kebijakan Privasi, Politique de confidentialité, Política de
    privacidade, Privacyverklaring ...) and no link to a page named `privacy`,
    `datenschutz`, `privacidad` .... Search boxes and log-in forms are left alone, and so
    is the privacy notice itself. In site mode (a folder, or `site-root`) the rule also
    reports a form whose privacy link leads to a page that is not in the site when no
    privacy notice is within `max-clicks` clicks (default 2). Under an EU or the `ru`
    jurisdiction profile the finding is an error, else a warning.

    ## Why is this bad?
    People hesitate to type their email or phone number when they cannot see what
    happens with it; a privacy link right there is the cheapest reassurance. The GDPR
    requires the information "at the time when personal data are obtained" (Art. 13(1))
    "in a concise, transparent, intelligible and easily accessible form" (Art. 12(1));
    Russia's 152-FZ Art. 18.1(2) requires the policy to be published on the page where
    data are collected.
    Source: https://eur-lex.europa.eu/eli/reg/2016/679/oj ;
    https://www.consultant.ru/document/cons_doc_LAW_61801/

    ## Example
    ```html
    <form action="/subscribe"><label>Email <input type="email" name="email"></label>
    <button>Subscribe</button></form>
    ```

    ## Use instead
    ```html
    <form action="/subscribe"><label>Email <input type="email" name="email"></label>
    <p>We send one email a week. <a href="/privacy">Privacy policy</a></p>
    <button>Subscribe</button></form>
    ```
    """
    root = doc.tree
    if root is None or not is_full_page(doc.source):
        return
    site = ctx.site if ctx.site is not None and ctx.page in ctx.site.pages else None
    path = ctx.page if site is not None else doc.path
    collecting = []
    for form in forms(root):
        if form_kind(form) in ("search", "login"):
            continue
        found = collected_data(form)
        if found:
            collecting.append((form, found[0][1]))
    if not collecting or says_it_is(root, path, "privacy"):
        return
    links = _privacy_links(root, path)
    severity = Severity.ERROR if under_eu(ctx.jurisdictions) or "ru" in ctx.jurisdictions else None
    if links:
        if site is None:
            return
        if any(target is None or site.exists(target) for _, target in links):
            return
        distance = _privacy_clicks(site, ctx).get(path)
        if distance is not None and distance <= ctx.options["max_clicks"]:
            return
        href = links[0][0]
        for form, _ in collecting:
            yield Report(
                form,
                f'this form collects personal data, but its privacy link "{href}" leads to '
                "no page of the site",
                suggestion="Fix the privacy link, or publish the privacy notice at that address",
                severity=severity,
            )
        return
    for form, field in collecting:
        yield Report(
            form,
            f'this form asks for personal data ("{field}") but the page links no privacy policy',
            suggestion="Add a link to the privacy policy next to the submit button",
            severity=severity,
        )
