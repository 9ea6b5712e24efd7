from __future__ import annotations

from collections.abc import Iterator

from trustlint.model import Report, Severity
from trustlint.registry import rule


@rule(
    code="TL903",
    name="invalid-suppression",
    summary="Suppression comment without a code, or with an unknown one",
    category="tool",
    severity=Severity.WARNING,
    inputs=("html", "markdown", "text"),
)
def invalid_suppression(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Reports a suppression that names no rule, names a code or rule name trustlint
    does not know, or an `enable` without a matching `disable`.

    ## Why is this bad?
    A blanket or misspelt suppression either hides everything or nothing; both
    mislead the next reader. flake8 turns `# noqa: We do not care` into a blanket
    noqa silently; trustlint requires codes and says when one is wrong.
    Source: https://flake8.pycqa.org/en/latest/user/violations.html#in-line-ignoring-errors

    ## Example
    ```html
    <!-- trustlint-disable-next-line TL299 -->
    ```

    ## Use instead
    Name a real code, prefix or rule name: `<!-- trustlint-disable-next-line TL202 -->`.
    """
    for span, message in ctx.suppressions.problems:
        yield Report(span, message, suggestion="Name the rule code to suppress, e.g. TL202")
    for d in ctx.suppressions.directives:
        for selector in d.unknown:
            yield Report(
                d.span,
                f"suppression names unknown rule `{selector}`",
                suggestion="Use a code (TL202), a prefix (TL2) or a rule name",
            )
