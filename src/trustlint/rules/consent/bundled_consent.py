from __future__ import annotations

import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from trustlint import lazyre
from trustlint.htmlforms import (
    accessible_name,
    form_kind,
    input_type,
    is_entry_control,
    is_hidden,
    label_text,
    text_of,
)
from trustlint.model import Report, Severity
from trustlint.registry import rule
from trustlint.rules.consent.prechecked_consent import EU

LANGS = ("en", "de", "es", "it", "ru", "id", "fr", "pt", "nl")

# Saying yes: the verbs of accepting or consenting, per language.
ACCEPT: dict[str, list[str]] = {
    "en": [r"agree[sd]?", r"agreeing", r"accept(?:s|ed|ing)?", r"consent(?:s|ed|ing)?"],
    "de": [
        r"akzeptier\w*",
        r"stimme",
        r"zustimm\w*",
        r"einverstanden",
        r"willige",
        r"erkläre mich",
    ],
    "es": [
        r"acepto",
        r"aceptar?",
        r"aceptas",
        r"consiento",
        r"estoy de acuerdo",
        r"doy mi consentimiento",
    ],
    "it": [
        r"accetto",
        r"accetti",
        r"accettare",
        r"accettat[oi]",
        r"acconsento",
        r"do il (?:mio )?consenso",
    ],
    "ru": [r"принима(?:ю|ете)", r"соглас(?:ен|на|ны|ие|иться|шаюсь|шаетесь)", r"даю согласие"],
    "id": [r"setuju", r"menyetujui"],
    "fr": [r"j[’']accepte", r"accepte[rz]?", r"consens", r"donne mon consentement", r"d[’']accord"],
    "pt": [r"aceito", r"aceitar?", r"concordo", r"concordar", r"autorizo"],
    "nl": [
        r"akkoord",
        r"accepteer",
        r"aanvaard",
        r"geef (?:\w+ )?toestemming",
        r"stem (?:\w+ )?in",
    ],
}
# What is accepted: terms of use or sale, or the privacy policy.
TERMS: dict[str, list[str]] = {
    "en": [
        r"terms(?: (?:and|&) conditions| of (?:use|service|sale))?",
        r"T&Cs?",
        r"conditions of (?:use|sale)",
        r"privacy (?:policy|notice|statement)",
        r"user agreement",
    ],
    "de": [
        r"AGB",
        r"(?:Allgemeinen )?Geschäftsbedingungen",
        r"Nutzungsbedingungen",
        r"Teilnahmebedingungen",
        r"Datenschutzerklärung",
        r"Datenschutzbestimmungen",
        r"Datenschutzhinweise",
    ],
    "es": [
        r"t[ée]rminos(?: y condiciones| de uso| del servicio)?",
        r"condiciones (?:generales|de uso|de venta)",
        r"pol[íi]tica de privacidad",
        r"aviso (?:legal|de privacidad)",
    ],
    "it": [
        r"termini(?: e condizioni| d[’']uso| di servizio)?",
        r"condizioni (?:generali|d[’']uso|di vendita)",
        r"informativa(?: sulla)?(?: privacy)?",
        r"privacy policy",
    ],
    "ru": [
        r"услови\w+ (?:использования|обслуживания|оферты)",
        r"пользовательск\w+ соглашени\w*",
        r"(?:публичн\w+ )?оферт\w*",
        r"политик\w+ конфиденциальности",
        r"политик\w+ обработки персональных данных",
    ],
    "id": [r"syarat(?: dan ketentuan)?", r"ketentuan (?:layanan|penggunaan)", r"kebijakan privasi"],
    "fr": [
        r"conditions g[ée]n[ée]rales(?: d[’']utilisation| de vente)?",
        r"CGU",
        r"CGV",
        r"politique de confidentialit[ée]",
    ],
    "pt": [
        r"termos(?: e condi[çc][õo]es| de uso| de servi[çc]o)?",
        r"condi[çc][õo]es gerais",
        r"pol[íi]tica de privacidade",
    ],
    "nl": [
        r"(?:algemene )?voorwaarden",
        r"gebruiksvoorwaarden",
        r"privacyverklaring",
        r"privacybeleid",
        r"privacy ?statement",
    ],
}
# Marketing the box also signs the customer up for. SHARING is the part that counts
# even on a newsletter form, where the newsletter itself is what was asked for.
MARKETING: dict[str, list[str]] = {
    "en": [
        r"e?-?newsletters?",
        r"marketing",
        r"promotional",
        r"promotions",
        r"(?:special )?offers",
        r"advertising",
        r"receive (?:\w+ ){0,3}(?:e-?mails?|news|updates|offers|communications)",
        r"(?:e-?mail|sms|text) updates",
    ],
    "de": [
        r"Newsletter",
        r"Werbung",
        r"werblich\w*",
        r"Marketing\w*",
        r"Angebote",
        r"Aktionen",
        r"E-Mails? (?:\w+ ){0,3}(?:erhalten|zusenden|schicken)",
        r"per E-Mail (?:\w+ ){0,3}informier\w*",
    ],
    "es": [
        r"bolet[íi]n",
        r"newsletter",
        r"publicidad",
        r"comunicaciones comerciales",
        r"promociones",
        r"ofertas",
        r"marketing",
        r"recibir (?:\w+ ){0,3}(?:correos?|e-?mails?|noticias|ofertas|comunicaciones|novedades)",
    ],
    "it": [
        r"newsletter",
        r"comunicazioni (?:commerciali|promozionali|di marketing)",
        r"marketing",
        r"promozioni",
        r"offerte",
        r"pubblicit[àa]",
        r"ricevere (?:\w+ ){0,3}(?:e-?mail|comunicazioni|offerte|novit[àa])",
    ],
    "ru": [
        r"рассылк\w*",
        r"реклам\w*",
        r"маркетинг\w*",
        r"акци(?:и|ях|ями)",
        r"специальн\w+ предложени\w*",
        r"получ\w+ (?:\w+ ){0,3}(?:письма|новости|рассылку|предложения)",
    ],
    "id": [
        r"newsletter",
        r"buletin",
        r"promo(?:si)?",
        r"penawaran",
        r"iklan",
        r"pemasaran",
    ],
    "fr": [
        r"newsletters?",
        r"lettre d[’']information",
        r"offres(?: commerciales| promotionnelles)?",
        r"prospection",
        r"publicit[ée]s?",
        r"marketing",
        r"recevoir (?:\w+ ){0,3}(?:e-?mails?|courriels?|offres|actualit[ée]s|communications)",
    ],
    "pt": [
        r"newsletter",
        r"boletim",
        r"ofertas",
        r"promo[çc][õo]es",
        r"publicidade",
        r"marketing",
        r"comunica[çc][õo]es (?:comerciais|de marketing)",
        r"receber (?:\w+ ){0,3}(?:e-?mails?|novidades|ofertas|comunica[çc][õo]es)",
    ],
    "nl": [
        r"\w*nieuwsbrie(?:f|ven)",
        r"aanbiedingen",
        r"reclame",
        r"marketing",
        r"(?:e-?mails?|nieuws) (?:\w+ ){0,3}ontvangen",
    ],
}
SHARING: dict[str, list[str]] = {
    "en": [
        r"third[- ]part(?:y|ies)",
        r"(?:selected |trusted )?partners",
        r"share my (?:data|details|information|e-?mail)",
        r"personali[sz]ed (?:ads|advertising)",
    ],
    "de": [r"Partner(?:n|unternehmen)", r"Dritte[n]?", r"Weitergabe", r"weitergegeben"],
    "es": [r"terceros", r"socios", r"ced(?:er|an) mis datos"],
    "it": [r"terz[ie]", r"partner", r"profilazione"],
    "ru": [r"третьим лицам", r"партн[её]рам"],
    "id": [r"pihak ketiga", r"mitra"],
    "fr": [r"partenaires", r"tiers"],
    "pt": [r"parceiros", r"terceiros"],
    "nl": [r"partners", r"derden"],
}
# Words that point to a document for information instead of accepting it.
REFERENCE: dict[str, list[str]] = {
    "en": [
        r"see",
        r"read",
        r"view",
        r"(?:according to|in accordance with|under)(?: (?:the|our))?",
        r"as (?:described|set out|explained|detailed) in(?: (?:the|our))?",
        r"(?:more|details|information) (?:in|about)(?: (?:the|our))?",
        r"in (?:the|our)",
    ],
    "de": [
        r"gemäß(?: (?:der|den|unserer|unseren))?",
        r"laut(?: (?:der|unserer))?",
        r"entsprechend(?: (?:der|unserer))?",
        r"siehe",
        r"nach Maßgabe (?:der|unserer)",
        r"(?:Hinweise|Details|Infos?|Informationen|mehr) (?:dazu )?(?:in|finden Sie in)"
        r"(?: (?:der|unserer|den))?",
        r"in (?:der|unserer|den|unseren)",
        r"beschrieben in(?: (?:der|unserer))?",
    ],
    "es": [
        r"seg[úu]n(?: (?:la|nuestra))?",
        r"conforme a(?: (?:la|nuestra))?",
        r"de acuerdo con(?: (?:la|nuestra))?",
        r"ver",
        r"consulta(?: (?:la|nuestra))?",
        r"en (?:la|nuestra)",
        r"descrit[oa]s? en(?: (?:la|nuestra))?",
    ],
    "it": [
        r"secondo(?: (?:la|l[’']|le))?",
        r"ai sensi (?:della|dell[’'])",
        r"come descritto (?:nella|nell[’'])",
        r"vedi(?: (?:la|l[’']))?",
        r"leggi(?: (?:la|l[’']))?",
        r"consulta(?: (?:la|l[’']))?",
        r"(?:nella|nell[’'])(?: nostra)?",
        r"in conformit[àa] (?:alla|all[’'])",
    ],
    "ru": [r"согласно", r"в соответствии с", r"см\.", r"подробнее в", r"описан\w+ в"],
    "id": [r"sesuai(?: dengan)?", r"lihat", r"baca", r"sebagaimana dijelaskan dalam", r"dalam"],
    "fr": [
        r"conform[ée]ment (?:à|aux)(?: (?:la|notre))?",
        r"selon(?: (?:la|notre))?",
        r"voir(?: (?:la|notre))?",
        r"consultez(?: (?:la|notre))?",
        r"d[ée]crit\w* dans(?: (?:la|notre))?",
        r"dans (?:la|notre)",
    ],
    "pt": [
        r"conforme(?: (?:a|nossa))?",
        r"de acordo com(?: (?:a|nossa))?",
        r"segundo(?: (?:a|nossa))?",
        r"(?:ver|veja|consulte)(?: (?:a|nossa))?",
        r"descrit[oa]s? na(?: nossa)?",
        r"na (?:nossa )?",
    ],
    "nl": [
        r"volgens(?: (?:de|het|onze|ons))?",
        r"conform(?: (?:de|het|onze|ons))?",
        r"overeenkomstig(?: (?:de|het|onze|ons))?",
        r"zie(?: (?:de|het|onze|ons))?",
        r"lees(?: (?:de|het|onze|ons))?",
        r"zoals beschreven in(?: (?:de|het|onze|ons))?",
        r"in (?:de|het|onze|ons)",
    ],
}
# "We never pass your data to third parties" promises; it asks nothing.
NEGATION = lazyre.compile(
    r"(?<!\w)(?:not|never|no|won[’']t|don[’']t|nicht|niemals|nie|keine?|nunca|ning[úu]n"
    r"|non|mai|не|никогда|tidak|takkan|ne|pas|jamais|n[ãa]o|niet|nooit|geen)(?!\w)",
    re.I,
)
SENTENCE_END = lazyre.compile(r"(?<=[.!?;])\s+|\n+")


def _union(source: dict[str, list[str]]) -> lazyre.LazyPattern:
    words = [w for lang in LANGS for w in source[lang]]
    return lazyre.words(words)


ACCEPT_RE = _union(ACCEPT)
TERMS_RE = _union(TERMS)
MARKETING_RE = _union(MARKETING)
SHARING_RE = _union(SHARING)
# Verbs that follow their object: "Den AGB stimme ich zu", "met de voorwaarden akkoord".
ACCEPT_AFTER = lazyre.compile(
    r"(?<!\w)(?:stimme\w*|einverstanden|akzeptier\w*|zustimm\w*|akkoord|accepteer\w*"
    r"|aanvaard\w*|согласен|согласна|принимаю|accettat[oai]|acceptée?s?|aceit[oa])(?!\w)",
    re.I,
)
REFERENCE_END = lazyre.compile(
    r"(?<!\w)(?:" + "|".join(w for lang in LANGS for w in REFERENCE[lang]) + r")\W*$", re.I
)


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def _referenced(sentence: str, start: int) -> bool:
    """The object at ``start`` is only pointed to ("see our privacy policy")."""
    before = sentence[max(0, start - 60) : start]
    return bool(REFERENCE_END.search(before))


def accepts_terms(text: str) -> str | None:
    """The terms object a sentence accepts ("I accept the terms", "den AGB stimme ich zu").

    The verb must govern the object: it stands up to ten words before it (English and
    the Romance languages), or, for the verb-final German, Dutch and Russian phrasings,
    up to eight words after it with no marketing object in between.
    """
    for sentence in SENTENCE_END.split(text):
        for m in TERMS_RE.finditer(sentence):
            if _referenced(sentence, m.start()):
                continue
            before = " ".join(sentence[: m.start()].split()[-10:])
            if ACCEPT_RE.search(before):
                return m.group(0)
            after = " ".join(sentence[m.end() :].split()[:8])
            verb = ACCEPT_AFTER.search(after)
            if verb and not marketing_object(after[: verb.start()]):
                return m.group(0)
    return None


def _negated(text: str, start: int) -> bool:
    clause = re.split(r"[.!?;,]", text[max(0, start - 60) : start])[-1]
    return len(clause.split()) <= 8 and bool(NEGATION.search(clause))


def marketing_object(text: str, sharing_only: bool = False) -> str | None:
    patterns = (SHARING_RE,) if sharing_only else (MARKETING_RE, SHARING_RE)
    for pattern in patterns:
        for m in pattern.finditer(text):
            if not _negated(text, m.start()):
                return m.group(0)
    return None


def _shown(text: str, limit: int = 70) -> str:
    half = len(text) // 2
    if len(text) % 2 and text[:half] == text[half + 1 :]:
        text = text[:half]
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _box_label(control: HtmlElement) -> str:
    text = label_text(control)
    sibling = control.getnext()
    if sibling is not None and sibling.tag == "label" and len(text) < 40:
        text = f"{text} {sibling.tail or ''}".strip()
    return _norm(text)


def _newsletter_form(control: HtmlElement) -> bool:
    form = next(control.iterancestors("form"), None)
    return form is not None and form_kind(form) == "newsletter"


def _required(control: HtmlElement) -> bool:
    return (
        control.get("required") is not None
        or (control.get("aria-required") or "").strip().lower() == "true"
    )


def _buttons(root: HtmlElement) -> Iterator[tuple[HtmlElement, str]]:
    for el in root.iter("button", "input", "a"):
        if is_hidden(el) or el.get("disabled") is not None:
            continue
        if el.tag == "button":
            yield el, _norm(accessible_name(el) or text_of(el))
        elif el.tag == "input" and input_type(el) in ("submit", "button"):
            yield el, _norm(el.get("aria-label") or el.get("value") or "")
        elif el.tag == "a" and (el.get("role") or "").lower() == "button":
            yield el, _norm(accessible_name(el) or text_of(el))


@rule(
    code="TL205",
    name="bundled-consent",
    summary="One box or button accepts the terms and signs up for marketing at once",
    category="consent",
    severity=Severity.WARNING,
    inputs=("html",),
    langs=LANGS,
)
def bundled_consent(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Reports a checkbox whose label, or a button whose text, both accepts the terms or
    privacy policy ("I accept the terms", "Ich akzeptiere die AGB", "acepto la
    política de privacidad") and asks for marketing: newsletters, offers, promotional
    mail, advertising, sharing data with partners or third parties. It also reports a
    `required` (or `aria-required`) checkbox whose label asks for marketing consent,
    since the customer cannot go on without giving it. Labels are read in English,
    German, Spanish, Italian, Russian, Indonesian, French, Portuguese and Dutch, all
    at once.

    A label that only points to the privacy policy for information ("See our privacy
    policy", "gemäß der Datenschutzerklärung", "as described in our privacy notice")
    accepts nothing, and a promise ("we never pass your data to third parties") asks
    nothing: neither counts. On a newsletter sign-up form the newsletter is what the
    customer came for, so only sharing with partners or third parties makes such a
    box bundled there, and a required newsletter box is not reported. Under the
    jurisdiction `eu` (or an EU member state) the finding is an error.

    ## Why is this bad?
    Consent bundled with the acceptance of terms is not freely given: the customer
    who wants the service must also take the marketing. The GDPR requires a consent
    request to be "clearly distinguishable from the other matters" (Art. 7(2)) and
    asks whether a contract is made conditional on consent that it does not need
    (Art. 7(4)); the EDPB guidelines on consent ask for separate consent per purpose.
    Mathur et al. (2019) list such boxes among "forced enrollment" dark patterns.
    Source: https://gdpr-info.eu/art-7-gdpr/ ; EDPB Guidelines 05/2020 on consent:
    https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/guidelines-052020-consent-under-regulation-2016679_en
    ; https://webtransparency.cs.princeton.edu/dark-patterns/

    ## Example
    ```html
    <label><input type="checkbox" name="terms" required>
      I accept the terms and conditions and want to receive the newsletter</label>
    ```

    ## Use instead
    ```html
    <label><input type="checkbox" name="terms" required>
      I accept the <a href="/terms">terms and conditions</a></label>
    <label><input type="checkbox" name="newsletter">
      Send me the newsletter (optional, unsubscribe at any time)</label>
    ```
    """
    root = doc.tree
    if root is None:
        return
    severity = Severity.ERROR if ctx.jurisdictions & EU else None
    split = (
        "Split it: one box for the terms, and a separate, optional, unticked box for "
        "each kind of marketing"
    )
    for el in root.iter("input"):
        if input_type(el) != "checkbox" or not is_entry_control(el):
            continue
        label = _box_label(el)
        if not label:
            continue
        newsletter_form = _newsletter_form(el)
        terms = accepts_terms(label)
        extra = marketing_object(label, sharing_only=newsletter_form)
        if terms and extra:
            yield Report(
                el,
                f'one box accepts the {terms} and signs up for "{extra}" at once: '
                f'"{_shown(label)}"',
                suggestion=split,
                severity=severity,
            )
        elif _required(el) and not newsletter_form and extra and not terms:
            yield Report(
                el,
                f'required box asks for consent to "{extra}": customers cannot go on '
                f'without agreeing ("{_shown(label)}")',
                suggestion="Drop `required`: marketing consent must be optional, and the "
                "order or account must work without it",
                severity=severity,
            )
    for el, text in _buttons(root):
        if not text:
            continue
        terms = accepts_terms(text)
        extra = marketing_object(text, sharing_only=_newsletter_form(el)) if terms else None
        if terms and extra:
            yield Report(
                el,
                f'one button accepts the {terms} and signs up for "{extra}" at once: '
                f'"{_shown(text)}"',
                suggestion="Let the button do one thing, and ask for marketing with a "
                "separate, optional, unticked box",
                severity=severity,
            )
