from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from trustlint import lazyre
from trustlint.model import LANGUAGES, Report, Severity, TextRange
from trustlint.registry import rule

PROSE = frozenset({"paragraph", "list-item", "quote"})
WORD = lazyre.compile(r"\w+", re.U)
END = lazyre.compile(r"[.!?…:;]\s*$")
# Privacy notices and terms: the GDPR asks for "clear and plain language" (Art. 12).
LEGAL_PAGE = lazyre.compile(
    r"privacy|datenschutz|privacidad|informativa|конфиденциальн|персональных данных|privasi|"
    r"confidentialit|donn[ée]es personnelles|privacidade|privacyverklaring|terms|agb|"
    r"nutzungsbedingungen|t[ée]rminos|condizioni|termini|соглашение|syarat|conditions|termos|"
    r"voorwaarden",
    re.I,
)


@rule(
    code="TL111",
    name="readability-low",
    summary="Section is hard to read for the general public",
    category="readability",
    severity=Severity.INFO,
    inputs=("html", "markdown", "text"),
    langs=LANGUAGES,
    options={
        "min_words": 100,
        "min_score": {
            "en": 50, "de": 50, "es": 55, "it": 40, "ru": 40,
            "fr": 50, "pt": 50, "nl": 50,
        },
        "max_lix": {"id": 60},
        "legal_min_score": {
            "en": 30, "de": 30, "es": 40, "it": 30, "ru": 20,
            "fr": 30, "pt": 30, "nl": 30,
        },
        "legal_max_lix": {"id": 70},
    },
)  # fmt: skip
def readability_low(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Scores each section (the prose under one heading) with the readability formula
    validated for its language: Flesch Reading Ease (en), Flesch-Amstad (de),
    Fernández-Huerta (es), Gulpease (it), Flesch-Oborneva (ru), Kandel-Moles (fr),
    Flesch-Douma (nl), Flesch-Martins (pt) and LIX for Indonesian, where no validated
    formula exists. Sections shorter than `min-words` (100) are judged together as the
    whole page. Below `min-score` (or above `max-lix`) it reports at info level. A
    privacy notice or terms page is also judged as a whole: below `legal-min-score` it
    gets one warning (one, not one per section: the fix is a rewrite).

    ## Why is this bad?
    Text that needs a degree to read makes customers suspect it was written not to be
    read. The GDPR requires privacy information "in a concise, transparent,
    intelligible and easily accessible form, using clear and plain language"
    (Art. 12(1)), and the source articles of this project name jargon and hard-to-read
    text as a cause of distrust. A Flesch score of 60-70 is plain English.
    Source: https://gdpr-info.eu/art-12-gdpr/ ;
    https://readabilityformulas.com/flesch-reading-ease-readability-formula/

    ## Example
    ```markdown
    ## Processing
    The processing of personal data is carried out exclusively on the basis of the
    legal permissions pursuant to Art. 6(1)(b) GDPR insofar as this is necessary for
    the performance of the contractual relationship ...
    ```

    ## Use instead
    Short sentences, everyday words, one idea each: "We use your address only to
    deliver your order. The law that allows this is Art. 6(1)(b) GDPR."
    """
    blocks = list(doc.iter_blocks())
    legal = bool(LEGAL_PAGE.search(doc.path)) or any(
        b.scope == "heading" and LEGAL_PAGE.search(b.text) for b in blocks[:5]
    )
    sections: list[tuple[object, list]] = [(None, [])]
    for block in blocks:
        if block.scope == "heading":
            sections.append((block, []))
        elif block.scope in PROSE and block.lang in ctx.meta.langs:
            sections[-1][1].append(block)
    page_warning = None
    if legal:  # the notice as a whole: one warning, not one per section
        body = [b for _, blocks_ in sections for b in blocks_]
        words = sum(len(WORD.findall(b.text)) for b in body)
        if words >= ctx.options["min_words"]:
            title = next((b for b in blocks if b.scope == "heading"), None)
            page_warning = _judge(doc, ctx, title, body, words, True, page=True, only_very=True)
            if page_warning:
                yield page_warning
    reported = page_warning is not None
    short: list = []
    for heading, body in sections:
        words = sum(len(WORD.findall(b.text)) for b in body)
        if words < ctx.options["min_words"]:
            short.extend(body)
            continue
        found = _judge(doc, ctx, heading, body, words, False)
        if found and not (page_warning and found.target == page_warning.target):
            reported = True
            yield found
    if not reported and short:
        words = sum(len(WORD.findall(b.text)) for b in short)
        if words >= ctx.options["min_words"]:
            found = _judge(doc, ctx, None, short, words, False, page=True)
            if found:
                yield found


def _judge(doc, ctx, heading, body, words, legal, page=False, only_very=False):
    from trustlint.readability import score

    lang = Counter(b.lang for b in body).most_common(1)[0][0]
    # A paragraph or list item is a sentence even without a full stop.
    text = " ".join(b.text.strip() + ("" if END.search(b.text) else ".") for b in body)
    result = score(text, lang)
    if result is None:
        return None
    options = ctx.options
    if result.higher_is_harder:
        limit = options["max_lix"].get(lang)
        hard = options["legal_max_lix"].get(lang)
        fails = limit is not None and result.value > limit
        very = legal and hard is not None and result.value > hard
    else:
        limit = options["min_score"].get(lang)
        hard = options["legal_min_score"].get(lang)
        fails = limit is not None and result.value < limit
        very = legal and hard is not None and result.value < hard
    if not fails or (only_very and not very):
        return None
    first = heading if heading is not None else body[0]
    line = first.text.split("\n", 1)[0].rstrip()
    start = len(line) - len(line.lstrip())
    target = TextRange(first, start, max(start + 1, len(line)))
    where = "this notice as a whole" if very else "this page" if page else "this section"
    bound = "at most" if result.higher_is_harder else "at least"
    return Report(
        target,
        f"{where} is hard to read: {result.formula} {result.value:g} over {words} words "
        f"(aim for {bound} {limit:g})",
        suggestion="Use shorter sentences and everyday words; split long paragraphs",
        severity=Severity.WARNING if very else None,
    )
