from __future__ import annotations

from collections.abc import Iterator

from trustlint.htmlforms import count_fields, form_kind, forms
from trustlint.model import Report, Severity
from trustlint.registry import rule


@rule(
    code="TL201",
    name="form-too-many-fields",
    summary="Form asks for more fields than customers will fill in",
    category="forms",
    severity=Severity.WARNING,
    inputs=("html",),
    options={
        "info_from": 9,
        "warning_from": 12,
        "newsletter_info_from": 3,
        "newsletter_warning_from": 5,
        "contact_info_from": 6,
        "contact_warning_from": 9,
    },
)
def form_too_many_fields(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Counts the visible fields of each `<form>` the way Baymard Institute counts them:
    *fields* are text-like inputs and text areas; *elements* add selects and each group
    of radio buttons or checkboxes (one group, one element). Hidden, disabled,
    `aria-hidden`, `display:none` and `<template>` controls and buttons do not count.
    From `info-from` fields (default 9) the rule reports at info level, from
    `warning-from` (default 12) as a warning. The form's kind is inferred from its
    fields and submit button (a card number means checkout, two passwords mean
    registration, one field and "Subscribe" means newsletter, a message box means
    contact), and newsletter and contact forms have lower limits of their own
    (`newsletter-info-from` 3, `newsletter-warning-from` 5, `contact-info-from` 6,
    `contact-warning-from` 9: composed defaults, as no study gives a number).

    ## Why is this bad?
    Every field is a question the customer must answer and a piece of data they must
    trust you with. Baymard's checkout benchmark (2024) finds an average of 11.3 fields
    where 8 are enough, and 22% of shoppers abandoned an order because the checkout was
    too long or complicated. The GDPR asks for data "limited to what is necessary"
    (Art. 5(1)(c)), and the source articles of this project name long, senseless forms
    as a cause of distrust.
    Source: https://baymard.com/blog/checkout-flow-average-form-fields ;
    https://design-system.service.gov.uk/patterns/question-pages/

    ## Example
    ```html
    <form action="/register">
      <input name="first"> <input name="last"> <input name="email" type="email">
      <input name="phone" type="tel"> <input name="company"> <input name="street">
      <input name="zip"> <input name="city"> <input name="birthday" type="date">
      <input name="password" type="password">
      ...
    </form>
    ```

    ## Use instead
    Ask only for what you need to deliver the service now. Drop optional fields, ask
    for the rest later (after the first order), and use one full-name field. Change
    the thresholds with `[tool.trustlint.rules.form-too-many-fields]`, keys
    `info-from` and `warning-from`.
    """
    root = doc.tree
    if root is None:
        return
    for form in forms(root):
        kind = form_kind(form)
        prefix = f"{kind}_" if kind in ("newsletter", "contact") else ""
        info_from = ctx.options[prefix + "info_from"]
        warning_from = ctx.options[prefix + "warning_from"]
        count = count_fields(form)
        if count.fields < min(info_from, warning_from):
            continue
        severity = Severity.WARNING if count.fields >= warning_from else Severity.INFO
        limit = warning_from if severity is Severity.WARNING else info_from
        yield Report(
            form,
            f"{'' if kind in ('other', 'login', 'search') else kind + ' '}"
            f"form asks for {count.fields} fields ({count.elements} elements in all); "
            f"long forms make customers give up and wonder why you need it all",
            suggestion=f"Keep to what the task needs (fewer than {limit} fields): drop "
            "optional fields or ask for them later",
            severity=severity,
        )
