from __future__ import annotations

import re
from collections.abc import Iterator

from trustlint import lazyre
from trustlint.model import Report, Severity
from trustlint.registry import rule
from trustlint.rules.transparency._common import host_of, page_urls

HTTP = lazyre.compile(r"^\s*http://", re.I)
# Resources a browser blocks on an https page (scripts, frames, styles, plugins)
# and those it upgrades or shows with a warning (images, audio, video).
BLOCKED = frozenset({"script", "link", "iframe", "frame", "embed", "object"})


def _srcset_urls(value: str | None) -> list[str]:
    if not value:
        return []
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def _addresses(el) -> list[str]:
    """The addresses ``el`` makes the browser load by itself."""
    tag = el.tag
    if tag == "link":
        rel = (el.get("rel") or "").lower().split()
        return [el.get("href") or ""] if "stylesheet" in rel else []
    if tag == "object":
        return [el.get("data") or ""]
    found = [el.get("src") or ""]
    if tag in ("img", "source"):
        found += _srcset_urls(el.get("srcset"))
    if tag == "video":
        found.append(el.get("poster") or "")
    return found


TAGS = (
    "script",
    "link",
    "iframe",
    "frame",
    "img",
    "source",
    "video",
    "audio",
    "embed",
    "object",
    "track",
)


@rule(
    code="TL309",
    name="mixed-content",
    summary="An https page loads scripts, styles, frames or media over plain http",
    category="security",
    severity=Severity.WARNING,
    inputs=("html",),
)
def mixed_content(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    On a page whose address is `https://` (from its `<link rel="canonical">`, its
    `og:url` or its `<base href>`), reports each element that loads something over
    plain `http://`: `<script src>`, `<link rel="stylesheet">`, `<iframe>`, `<img>`
    (also `srcset`), `<source>`, `<video>` (also `poster`), `<audio>`, `<track>`,
    `<embed>` and `<object data>`. A page whose address is unknown is left alone. One
    finding per element.

    ## Why is this bad?
    Browsers block http scripts, styles and frames on an https page, so the page
    breaks; images and media are upgraded or shown with a "Not secure" warning. Either
    way the padlock goes, and with it the customer's trust; an attacker on the network
    can replace what loads over http. The W3C Mixed Content specification defines what
    is blocked.
    Source: https://www.w3.org/TR/mixed-content/ ;
    https://developer.mozilla.org/en-US/docs/Web/Security/Mixed_content

    ## Example
    ```html
    <link rel="canonical" href="https://shop.example.com/">
    <script src="http://cdn.example.com/app.js"></script>
    ```

    ## Use instead
    ```html
    <link rel="canonical" href="https://shop.example.com/">
    <script src="https://cdn.example.com/app.js"></script>
    ```
    """
    root = doc.tree
    if root is None:
        return
    urls = page_urls(root)
    if not urls or not all(u.lower().startswith("https://") for u in urls):
        return
    for el in root.iter(*TAGS):
        url = next((u for u in _addresses(el) if HTTP.match(u)), None)
        if url is None:
            continue
        host = host_of(url) or "?"
        if el.tag in BLOCKED:
            message = (
                f"this https page loads <{el.tag}> over http:// ({host}); browsers block "
                "it, so the page breaks"
            )
        else:
            message = (
                f"this https page loads <{el.tag}> over http:// ({host}); browsers "
                "upgrade it or warn that the page is not secure"
            )
        yield Report(el, message, suggestion="Load it with https://")
