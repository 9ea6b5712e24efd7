from __future__ import annotations

import re
from collections.abc import Iterator

from trustlint import lazyre
from trustlint.htmlforms import (
    SEARCH_NAME,
    TEXT_TYPES,
    accessible_name,
    form_kind,
    input_type,
    is_entry_control,
)
from trustlint.model import Report, Severity
from trustlint.registry import rule

# A search box with a magnifier and "Search ..." in it is a convention customers know,
# and it asks for nothing personal. Known by its markup, not its words.
SEARCH_IDENT = lazyre.compile(r"search|query|keyword", re.I)


def _is_search(control) -> bool:
    if input_type(control) == "search" or SEARCH_NAME.match(control.get("name") or ""):
        return True
    if SEARCH_IDENT.search(" ".join(filter(None, (control.get("name"), control.get("id"))))):
        return True
    form = next(control.iterancestors("form"), None)
    return form is not None and (form.get("role") == "search" or form_kind(form) == "search")


@rule(
    code="TL203",
    name="placeholder-as-label",
    summary="Field is labelled only by its placeholder",
    category="forms",
    severity=Severity.WARNING,
    inputs=("html",),
)
def placeholder_as_label(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Reports a visible text field or text area that has a `placeholder` but no
    label: no `<label for>`, no wrapping `<label>`, no `aria-label`, no
    `aria-labelledby` and no `title`. Search boxes are left alone (`type="search"`,
    a search form, a field named `q`, `s`, `query` or `...search...`): a convention
    people know, and nothing personal is asked.

    ## Why is this bad?
    The placeholder vanishes as soon as the customer types. They can no longer check
    what a field was for, a pre-filled look makes fields seem done, and screen readers
    may not announce it: people make mistakes and feel tricked into giving the wrong
    data. WCAG 2.2 success criteria 1.3.1 and 3.3.2 ask for labels.
    Source: https://www.nngroup.com/articles/form-design-placeholders/ ;
    https://www.w3.org/WAI/WCAG22/Understanding/labels-or-instructions.html

    ## Example
    ```html
    <input type="email" name="email" placeholder="Your email">
    ```

    ## Use instead
    ```html
    <label for="email">Email</label>
    <input type="email" id="email" name="email" autocomplete="email">
    ```
    """
    root = doc.tree
    if root is None:
        return
    for control in root.iter("input", "textarea"):
        if control.tag == "input" and input_type(control) not in TEXT_TYPES:
            continue
        placeholder = " ".join((control.get("placeholder") or "").split())
        if not placeholder or not is_entry_control(control) or accessible_name(control):
            continue
        if _is_search(control):
            continue
        shown = placeholder if len(placeholder) <= 40 else placeholder[:39] + "…"
        yield Report(
            control,
            f'placeholder "{shown}" is the only label of this field; it disappears '
            "when the customer types",
            suggestion=f'Add a visible <label> ("{shown}") tied to the field with for/id',
        )
