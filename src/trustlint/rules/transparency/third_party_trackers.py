from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from trustlint import lazyre
from trustlint.model import Report, Severity
from trustlint.registry import rule
from trustlint.rules.transparency._common import host_of, page_urls, same_host, under_eu

# Well-known tracking and advertising hosts, composed for trustlint from the vendors'
# own documentation (catalog section 4.8); not taken from a licensed block list.
# host -> (vendor, path prefix or "" for the whole host)
TRACKERS: dict[str, tuple[str, str]] = {
    "google-analytics.com": ("Google Analytics", ""),
    "googletagmanager.com": ("Google Tag Manager", ""),
    "doubleclick.net": ("Google Ads (DoubleClick)", ""),
    "googlesyndication.com": ("Google AdSense", ""),
    "googleadservices.com": ("Google Ads", ""),
    "connect.facebook.net": ("Meta Pixel", ""),
    "facebook.com": ("Meta Pixel", "/tr"),
    "analytics.tiktok.com": ("TikTok Pixel", ""),
    "snap.licdn.com": ("LinkedIn Insight Tag", ""),
    "px.ads.linkedin.com": ("LinkedIn Insight Tag", ""),
    "static.ads-twitter.com": ("X (Twitter) Pixel", ""),
    "analytics.twitter.com": ("X (Twitter) Pixel", ""),
    "bat.bing.com": ("Microsoft Advertising (UET)", ""),
    "clarity.ms": ("Microsoft Clarity", ""),
    "hotjar.com": ("Hotjar", ""),
    "mc.yandex.ru": ("Yandex Metrica", ""),
    "mc.yandex.com": ("Yandex Metrica", ""),
    "top-fwz1.mail.ru": ("Top@Mail.Ru", ""),
    "vk.com": ("VK Pixel", "/rtrg"),
    "criteo.com": ("Criteo", ""),
    "criteo.net": ("Criteo", ""),
    "adnxs.com": ("Xandr (AppNexus)", ""),
    "taboola.com": ("Taboola", ""),
    "outbrain.com": ("Outbrain", ""),
    "scorecardresearch.com": ("Comscore", ""),
    "quantserve.com": ("Quantcast", ""),
    "amazon-adsystem.com": ("Amazon Ads", ""),
    "ct.pinterest.com": ("Pinterest Tag", ""),
    "s.pinimg.com": ("Pinterest Tag", "/ct"),
    "cdn.segment.com": ("Segment", ""),
    "mixpanel.com": ("Mixpanel", ""),
    "cdn.amplitude.com": ("Amplitude", ""),
    "fullstory.com": ("FullStory", ""),
    "mouseflow.com": ("Mouseflow", ""),
    "sc-static.net": ("Snap Pixel", ""),
}
# Consent management platforms, by the script host or the names they put on the page.
CMP = lazyre.compile(
    r"cookiebot|onetrust|cookielaw\.org|usercentrics|didomi|iubenda|cookieyes|klaro|"
    r"tarteaucitron|borlabs|complianz|consentmanager|quantcast\.mgr|sourcepoint|"
    r"termly|cookie-?script|osano|axeptio",
    re.I,
)
# A script that waits for consent: its type is not JavaScript until the CMP switches it.
GATED_ATTRS = (
    "data-cookieconsent",
    "data-category",
    "data-cookiecategory",
    "data-usercentrics",
    "data-consent",
    "data-cmp-src",
    "data-type",
)


def _tracker(url: str) -> tuple[str, str] | None:
    """(host, vendor) when ``url`` loads from a known tracker."""
    host = host_of(url if "://" in url else ("https:" + url if url.startswith("//") else ""))
    if not host:
        return None
    try:
        path = urlsplit(url.strip() if "://" in url else "https:" + url.strip()).path
    except ValueError:
        path = ""
    parts = host.split(".")
    for i in range(len(parts) - 1):
        domain = ".".join(parts[i:])
        entry = TRACKERS.get(domain)
        if entry is not None and path.startswith(entry[1]):
            return host, entry[0]
    return None


def _gated(el) -> bool:
    kind = (el.get("type") or "").strip().lower()
    if kind in ("text/plain", "text/x-template") or kind.startswith("text/x-"):
        return True
    return any(el.get(attr) is not None for attr in GATED_ATTRS) and kind not in (
        "",
        "text/javascript",
        "module",
    )


def _consent_mechanism(root) -> bool:
    for el in root.iter("script", "link", "div", "aside", "section"):
        if el.tag in ("script", "link"):
            if CMP.search(el.get("src") or el.get("href") or ""):
                return True
            continue
        if CMP.search((el.get("id") or "") + " " + (el.get("class") or "")):
            return True
    return any(_gated(s) for s in root.iter("script") if s.get("src") or s.text)


@rule(
    code="TL310",
    name="third-party-trackers",
    summary="Page loads a known third-party tracker",
    category="transparency",
    severity=Severity.INFO,
    inputs=("html",),
)
def third_party_trackers(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Reports each known tracking or advertising host that the page loads from, once per
    page, on the first `<script src>`, `<img>` (pixels, also inside `<noscript>`) or
    `<iframe>` that loads it: Google Analytics and Tag Manager, DoubleClick, the Meta,
    TikTok, LinkedIn, X, Pinterest, Snap and VK pixels, Microsoft Clarity and UET,
    Hotjar, Yandex Metrica, Top@Mail.Ru, Criteo, Taboola, Outbrain and a few more. The
    list is small and composed for trustlint; hosts of the page's own site are never
    reported. Under an EU jurisdiction profile the finding is a warning when the page
    shows no consent mechanism: no known consent manager (Cookiebot, OneTrust,
    Usercentrics, Didomi, iubenda, CookieYes, Klaro, tarteaucitron, Borlabs ...) and no
    script held back until consent (`type="text/plain"` with `data-category` and the
    like).

    ## Why is this bad?
    Customers do not expect an online shop to tell a dozen ad networks what they look
    at, and finding out later breaks trust. In the EU, reading or storing data on the
    visitor's device needs prior consent (ePrivacy Directive Art. 5(3); CJEU C-673/17,
    Planet49), and the GDPR requires telling people who receives their data
    (Art. 13(1)(e)).
    Source: https://eur-lex.europa.eu/eli/dir/2002/58/oj ;
    https://curia.europa.eu/juris/liste.jsf?num=C-673/17

    ## Example
    ```html
    <script async src="https://www.googletagmanager.com/gtag/js?id=G-XXXX"></script>
    ```

    ## Use instead
    ```html
    <!-- loaded by the consent manager only after the visitor agrees -->
    <script type="text/plain" data-category="analytics"
            data-src="https://www.googletagmanager.com/gtag/js?id=G-XXXX"></script>
    ```
    """
    root = doc.tree
    if root is None:
        return
    own = [host_of(u) for u in page_urls(root)]
    consent: bool | None = None
    seen: set[str] = set()
    for el in root.iter("script", "img", "iframe"):
        src = (el.get("src") or "").strip()
        if not src:
            continue
        found = _tracker(src)
        if found is None:
            continue
        host, vendor = found
        if host in seen or any(same_host(host, mine) for mine in own):
            continue
        seen.add(host)
        severity = None
        if under_eu(ctx.jurisdictions):
            if consent is None:
                consent = _consent_mechanism(root)
            if not consent:
                severity = Severity.WARNING
        note = "" if severity is None else "; no consent mechanism is visible on the page"
        yield Report(
            el,
            f"the page loads {vendor} from {host}, which tracks visitors{note}",
            suggestion="Name the tracker in the privacy notice and load it only after consent",
            severity=severity,
        )
