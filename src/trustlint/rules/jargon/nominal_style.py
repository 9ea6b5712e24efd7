from __future__ import annotations

import re
from collections.abc import Iterator

from trustlint import lazyre
from trustlint.model import Report, Severity, TextRange
from trustlint.registry import rule

SENTENCE = lazyre.compile(r"[^.!?…]+[.!?…]*")
WORD = lazyre.compile(r"\w+", re.U)
# Nouns made from verbs, by their suffixes (singular and plural, and the Russian cases).
NOUN = {
    "de": lazyre.compile(r"\b[A-ZÄÖÜ]\w{2,}(?:ung|heit|keit|ation|ität)(?:en)?\b"),
    # Russian: the verbal nouns in -ание/-ение (every case), not -ация/-ость, which
    # name things as often as actions; "компания" and "здание" are not verbal.
    "ru": lazyre.compile(
        r"\b(?!компан|кампан|здани|мнени|знани)\w{3,}[аея]ни(?:е|я|ю|ем|и|й|ям|ями|ях)\b",
        re.I,
    ),
    "it": lazyre.compile(r"\b\w{3,}(?:zione|zioni|mento|menti)\b", re.I),
    "es": lazyre.compile(r"\b\w{3,}(?:ción|ciones|miento|mientos)\b", re.I),
}


@rule(
    code="TL115",
    name="nominal-style",
    summary="Sentence made of nouns where verbs would do",
    category="jargon",
    severity=Severity.INFO,
    inputs=("html", "markdown", "text"),
    langs=("de", "ru", "it", "es"),
    options={"min_nouns": 3, "words_per_noun": 6},
)
def nominal_style(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Counts nouns made from verbs in each sentence, by their endings: German `-ung`,
    `-heit`, `-keit`, `-ation`, `-ität`; Russian `-ание`, `-ение` in every case;
    Italian `-zione`, `-mento`; Spanish `-ción`, `-miento`. A sentence with
    at least `min-nouns` (3) of them, and one for every `words-per-noun` (6) words or
    fewer, is reported.

    ## Why is this bad?
    Noun chains ("Zwecks Durchführung der Überprüfung der Berechtigung...") are the mark
    of Amtsdeutsch, канцелярит and burocratese: they hide who does what, and readers
    take the vagueness for evasion. German plain-language guidance ("Verben statt
    Substantive", Bürgernahe Verwaltungssprache), Nora Gal's "Слово живое и мёртвое" on
    канцелярит, and the Italian "Guida alla redazione degli atti amministrativi" all ask
    for verbs.
    Source: https://www.gov.uk/guidance/style-guide/a-to-z-of-gov-uk-style#plain-english ;
    Nora Gal, "Слово живое и мёртвое" (1972), chapter on канцелярит

    ## Example
    ```text
    Die Durchführung der Überprüfung Ihrer Berechtigung erfolgt nach Eingang der Zahlung.
    ```

    ## Use instead
    ```text
    Sobald Sie bezahlt haben, prüfen wir, ob Sie berechtigt sind.
    ```
    """
    min_nouns = ctx.options["min_nouns"]
    ratio = ctx.options["words_per_noun"]
    for block in ctx.blocks(doc, ("paragraph", "list-item", "quote", "table-cell")):
        nouns = NOUN.get(block.lang or "")
        if nouns is None:
            continue
        for s in SENTENCE.finditer(block.text):
            found = nouns.findall(s.group())
            words = len(WORD.findall(s.group()))
            if len(found) < min_nouns or words > ratio * len(found):
                continue
            start = s.start() + len(s.group()) - len(s.group().lstrip())
            end = s.start() + len(s.group().rstrip())
            shown = ", ".join(found[:4])
            yield Report(
                TextRange(block, start, end),
                f"{len(found)} nouns made from verbs in {words} words ({shown}); "
                "the sentence hides who does what",
                suggestion="Say who does what with verbs: 'we check', not 'the check is "
                "carried out'",
            )
