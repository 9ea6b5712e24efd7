from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from trustlint import lazyre
from trustlint.model import LANGUAGES, Report, Severity
from trustlint.registry import rule
from trustlint.rules.transparency._common import (
    host_of,
    is_dev_host,
    link_role,
    page_urls,
    same_host,
)
from trustlint.site import link_label

HTTP = lazyre.compile(r"^\s*http://", re.I)
# The links that can start with http://, picked in C; HTTP then decides.
HTTP_LINKS = etree.XPath(
    "//*[self::a or self::area][contains(translate(@href, 'HTP', 'htp'), 'http://')]"
)
WHAT = {"privacy": "privacy notice", "contact": "contact page", "imprint": "imprint"}


@rule(
    code="TL308",
    name="insecure-link",
    summary="Link to the site's own pages or to a trust page uses plain http",
    category="security",
    severity=Severity.WARNING,
    inputs=("html",),
    langs=LANGUAGES,
    options={"own_hosts": []},
)
def insecure_link(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Reports `http://` links to the site's own pages (once per page, at the first, with
    the count of the others), and `http://` links to a privacy
    notice, contact page or imprint on any host (by the link's text: Privacy policy,
    Datenschutz, Kontakt, Impressum, Aviso legal, Mentions légales, Политика
    конфиденциальности ...; or by the target's name: `/privacy`, `/impressum` ...).
    The site's own host comes from the page's `<link rel="canonical">`, its `og:url`
    and its `<base href>`, and from the `own-hosts` option (a list of host names;
    `www.` is ignored). Hosts of a developer's machine or test setup (`localhost`,
    `*.test`, `*.local`, `*.example`, private addresses) are left alone. Forms that
    post over `http://` are the job of TL213.

    ## Why is this bad?
    Over plain http anyone on the network can read or change the page the customer
    lands on, and browsers mark it "Not secure" next to the address: exactly on the
    pages that should build trust. Chrome marks all http pages as not secure since
    version 68 (July 2018), and the W3C's Mixed Content specification asks authors to
    move to https.
    Source: https://blog.chromium.org/2018/02/a-secure-web-is-here-to-stay.html ;
    https://www.w3.org/TR/mixed-content/

    ## Example
    ```html
    <link rel="canonical" href="https://shop.example.com/">
    <a href="http://shop.example.com/returns">Returns</a>
    <a href="http://legal.example.net/privacy">Privacy policy</a>
    ```

    ## Use instead
    ```html
    <a href="https://shop.example.com/returns">Returns</a>
    <a href="https://legal.example.net/privacy">Privacy policy</a>
    ```
    """
    root = doc.tree
    if root is None:
        return
    own = {host_of(u) for u in page_urls(root)}
    own |= {str(h).strip().lower().rstrip(".") for h in ctx.options["own_hosts"]}
    own.discard("")
    own_links = []
    for a in HTTP_LINKS(root):
        href = a.get("href")
        if not href or not HTTP.match(href):
            continue
        host = host_of(href)
        if is_dev_host(host):
            continue
        if any(same_host(host, mine) for mine in own):
            own_links.append((a, host))
            continue
        role = link_role(link_label(a), href)
        if role is not None:
            yield Report(
                a,
                f"the {WHAT[role]} is linked over http:// ({host}); customers see "
                "'Not secure' on the page meant to reassure them",
                suggestion="Link the https:// address of the page",
            )
    if own_links:  # one finding per page: the fix is one search-and-replace
        a, host = own_links[0]
        more = len(own_links) - 1
        also = f" (and {more} more link{'s' if more > 1 else ''} like it)" if more else ""
        yield Report(
            a,
            f"this link to your own site uses http:// ({host}){also}; the page opens "
            "without encryption",
            suggestion="Link with https:// (or a relative address)",
        )
