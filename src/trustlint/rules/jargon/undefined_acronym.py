from __future__ import annotations

import re
from collections.abc import Iterator

from trustlint import lazyre
from trustlint.model import LANGUAGES, Report, Severity, TextRange
from trustlint.registry import rule

ACRONYM = lazyre.compile(r"(?<![\w.&/'’-])([A-ZÄÖÜА-ЯЁ][A-ZÄÖÜА-ЯЁ0-9]{1,5})(?![\w&/'’-]|\.\w)")
# Known to every reader in the nine languages, or names rather than abbreviations.
# Units, currencies, countries and file formats; the privacy laws are spelt out by the
# data-use rules where it matters.
COMMON = frozenset(
    """
    EU UE ЕС USA US UK UN ONU ООН NATO UNESCO UNICEF WHO OMS ВОЗ RF РФ РФ USD EUR GBP
    RUB RUR IDR CHF JPY CNY BRL MXN ID OK TV PC CD DVD USB PDF HTML CSS URL WWW FAQ SMS
    GPS PIN IBAN BIC SWIFT VAT IVA MWST NDS НДС PPN TVA BTW IT AI KI ИИ CEO CTO CFO HR
    PR IT ATM GMBH AG KG OHG SA SL SRL SPA SAS SARL BV NV PT CV TBK OOO ООО ОАО ЗАО ПАО
    ИП AO АО LLC LTD INC PLC COVID SARS HIV DNA DNS IP API SDK SSL TLS HTTPS HTTP QR NFC
    GDPR DSGVO RGPD ФЗ UU WIB MEZ CET CEST UTC GMT AM PM MB GB KB TB MHZ GHZ KW KWH XL XXL
    XS PS NB CC BCC CV RSVP ASAP DIY AS RI DKI NKRI SAP IBM BMW HP LG AMD VW BBC CNN
    """.split()
)
# Words written in capitals for emphasis, not acronyms.
EMPHASIS = frozenset(
    """
    NEW NOW FREE SALE LIVE HERE ONLY TODAY HOT TOP BEST NEU JETZT GRATIS HIER NUR HEUTE
    NUEVO AHORA AQUÍ HOY SOLO NUOVO ORA QUI OGGI НОВОЕ НОВИНКА СЕЙЧАС ЗДЕСЬ ТОЛЬКО
    СЕГОДНЯ БЕСПЛАТНО БАРУ SEKARANG SINI HANYA HARI INI NOUVEAU MAINTENANT ICI AUJOURD
    NOVO AGORA AQUI HOJE NIEUW NU HIER ALLEEN VANDAAG
    """.split()
)
ROMAN = lazyre.compile(r"^(?=[MDCLXVI])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
INITIALS = lazyre.compile(r"\b[A-ZÄÖÜА-ЯЁ][a-zäöüßа-яё]+\s+$")
NAME_NEXT = lazyre.compile(r"\s+[A-ZÄÖÜА-ЯЁ][a-zäöüßа-яё]+")
# A model or product code beside it ("GRID G2", "MX 5", "A4 PDF", "GRID report_FTR"):
# part of a name, not jargon.
MODEL_NEXT = lazyre.compile(r"[ \t]+(?:[A-ZА-ЯЁ]{0,3}\d[\w-]*|[^\W_]+_[\w-]+)\b")
MODEL_BEFORE = lazyre.compile(r"\b(?:[A-ZА-ЯЁ]{0,3}\d[\w-]*|[^\W_]+_[\w-]+)[ \t]+$")
WORD = lazyre.compile(r"\w+")
SHOUTING = 0.5  # a block more than half in capitals is shouting, not acronyms


@rule(
    code="TL113",
    name="undefined-acronym",
    summary="Acronym used without saying what it stands for",
    category="jargon",
    severity=Severity.INFO,
    inputs=("html", "markdown", "text"),
    langs=LANGUAGES,
    options={"allow": []},
)
def undefined_acronym(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Reports the first use of an acronym of 2 to 6 capital letters that the text never
    spells out: no "Full Name (ABC)" or "ABC (Full Name)" anywhere in the document, and
    no `<abbr title>`. Acronyms every reader knows (EU, USA, PDF, VAT, GmbH, COVID...),
    Roman numerals and text written all in capitals are left alone; add your own with
    the `allow` option.

    ## Why is this bad?
    An unexplained acronym tells the reader the text was written for insiders. Plain
    language guidelines ask to spell an acronym out on first use: plainlanguage.gov
    ("Minimize abbreviations") and the GOV.UK style guide ("Abbreviations and
    acronyms": "the first time you use an abbreviation or acronym explain it in full").
    Source:
    https://www.gov.uk/guidance/style-guide/a-to-z-of-gov-uk-style#abbreviations-and-acronyms
    https://www.plainlanguage.gov/guidelines/words/minimize-abbreviations/

    ## Example
    ```text
    Your data is stored under our ISMS and processed by the DPO.
    ```

    ## Use instead
    ```text
    Your data is protected by our information security management system (ISMS), and
    our data protection officer (DPO) checks how we use it.
    ```
    """
    allow = COMMON | {a.upper() for a in ctx.options["allow"]}
    blocks = list(ctx.blocks(doc))
    # What the whole document defines and writes in lower case is read only once a
    # candidate turns up: most pages have none.
    defined: set[str] | None = None
    lowered: set[str] | None = None
    seen: set[str] = set()
    for block in blocks:
        text = block.text
        shouting = None
        for m in ACRONYM.finditer(text):
            word = m.group(1)
            if word in seen or word.upper() in allow or word in EMPHASIS or ROMAN.match(word):
                continue
            if shouting is None:
                letters = [c for c in text if c.isalpha()]
                shouting = sum(c.isupper() for c in letters) > SHOUTING * len(letters)
            if shouting:
                break
            if defined is None:
                defined = _defined(doc, blocks)
            if word in defined:
                continue
            if len(word) >= 4:
                if lowered is None:
                    lowered = {
                        w.lower() for b in blocks for w in WORD.findall(b.text) if not w.isupper()
                    }
                if word.lower() in lowered:
                    continue  # an ordinary word in capitals
            if (
                len(word) == 2
                and INITIALS.search(text[: m.start()])
                and NAME_NEXT.match(text, m.end())
            ):
                continue  # a middle initial: "Stephen MR Covey"
            if sum(c.isalpha() for c in word) < 2:
                continue
            if MODEL_NEXT.match(text, m.end()) or MODEL_BEFORE.search(text[: m.start()]):
                continue
            seen.add(word)
            yield Report(
                TextRange(block, m.start(1), m.end(1)),
                f"`{word}` is never spelt out; readers who do not know it feel left out",
                suggestion=f"Write the full name the first time, with `{word}` in brackets",
            )


def _defined(doc, blocks) -> set[str]:
    """Acronyms the document explains: 'Name (ABC)', 'ABC (Name)', or <abbr title>."""
    defined: set[str] = set()
    for block in blocks:
        for m in re.finditer(r"\(([A-ZÄÖÜА-ЯЁ][A-ZÄÖÜА-ЯЁ0-9]{1,5})\)", block.text):
            defined.add(m.group(1))
        for m in re.finditer(
            r"\b([A-ZÄÖÜА-ЯЁ][A-ZÄÖÜА-ЯЁ0-9]{1,5})\s*(?:\((?:[^()]*\s)?[^()\s]{3,}[^()]*\)"
            r"|[:–—]\s*\S)",
            block.text,
        ):
            defined.add(m.group(1))
    root = doc.tree
    if root is not None:
        for abbr in root.iter("abbr", "acronym"):
            if abbr.get("title"):
                defined.add("".join(abbr.itertext()).strip())
    return defined
