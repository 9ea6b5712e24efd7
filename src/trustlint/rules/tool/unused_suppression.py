from __future__ import annotations

from collections.abc import Iterator

from trustlint.model import Report, Severity
from trustlint.registry import rule


@rule(
    code="TL902",
    name="unused-suppression",
    summary="Suppression comment that suppresses nothing",
    category="tool",
    severity=Severity.WARNING,
    inputs=("html", "markdown", "text"),
)
def unused_suppression(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Reports a `trustlint-disable...` comment or a `data-trustlint-ignore` attribute
    that did not suppress any finding, when every rule it names is enabled.

    ## Why is this bad?
    A stale suppression hides the next real problem at that place: once the form is
    fixed, the comment stays, and a pre-ticked box added later goes unreported.
    Ruff reports unused `noqa` comments (RUF100) for the same reason.
    Source: https://docs.astral.sh/ruff/rules/unused-noqa/

    ## Example
    ```html
    <!-- trustlint-disable-next-line TL202 -->
    <input type="checkbox" name="newsletter">
    ```

    ## Use instead
    Delete the comment, or name the rule that really fires on the next line.
    """
    for d in ctx.suppressions.directives:
        if d.used or d.unknown or not d.codes or not d.codes <= ctx.enabled:
            continue
        what = " ".join(d.selectors)
        yield Report(
            d.span,
            f"suppression of `{what}` matches no finding",
            suggestion="Remove the suppression, or name the rule that fires here",
        )
