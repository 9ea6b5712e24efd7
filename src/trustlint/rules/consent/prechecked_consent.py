from __future__ import annotations

import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from trustlint import lazyre
from trustlint.htmlforms import (
    accessible_name,
    group_question,
    input_type,
    is_entry_control,
    is_hidden,
    label_text,
    nearby_text,
    text_of,
)
from trustlint.model import Report, Severity
from trustlint.registry import rule

# What a box asks consent for, per language: marketing mail and newsletters, offers,
# sharing with partners, profiling, and agreeing to terms or a privacy policy.
# Labels are short, so a label is matched against every language at once: a German
# page quoting an English newsletter box is still caught.
CONSENT: dict[str, list[str]] = {
    "en": [
        r"e-?newsletters?",
        r"newsletters?",
        r"subscribe",
        r"subscription",
        r"sign me up",
        r"opt[- ]?in",
        r"(?:special |exclusive )?offers?",
        r"promotions?",
        r"promos?",
        r"specials",
        r"deals",
        r"discounts",
        r"marketing",
        r"advertis(?:ing|ements?)",
        r"keep me (?:informed|updated|posted)",
        r"receive (?:e-?mails?|messages|news|updates|information|communications|offers)",
        r"(?:e-?mail|sms|text) (?:updates|alerts|offers)",
        r"latest news",
        r"third[- ]part(?:y|ies)",
        r"(?:selected |select |trusted )?partners",
        r"share my (?:data|details|information|e-?mail)",
        r"profiling",
        r"personali[sz]ed (?:ads|advertising|offers)",
        r"notif(?:y me|ied) (?:\w+ ){0,6}by e-?mail",
        r"notified (?:of|about) (?:\w+ ){0,3}(?:news|offers|sales|deals|events)",
        r"I (?:have read,? and )?(?:agree|accept|consent)",
        r"terms (?:and|&) conditions",
        r"terms of (?:use|service)",
        r"privacy policy",
    ],
    "de": [
        r"Newsletter",
        r"abonnieren",
        r"Angebote",
        r"Aktionen",
        r"Gutscheine",
        r"Rabatte",
        r"Werbung",
        r"Werbezwecke\w*",
        r"Marketing",
        r"Einwilligung",
        r"willige \w+ ein",
        r"einverstanden",
        r"stimme (?:\w+ ){0,6}zu",
        r"AGB",
        r"Nutzungsbedingungen",
        r"Allgemeinen Geschäftsbedingungen",
        r"Datenschutzerklärung",
        r"Datenschutzbestimmungen",
        r"Partner(?:n|unternehmen)?",
        r"Dritte[n]?",
        r"weitergegeben",
        r"Weitergabe",
        r"E-Mails? (?:\w+ ){0,3}(?:schicken|senden|erhalten)",
        r"per E-Mail (?:\w+ ){0,3}informier\w*",
        r"auf dem Laufenden",
        r"personalisierte Werbung",
        r"Profilbildung",
    ],
    "es": [
        r"bolet[ií]n",
        r"newsletter",
        r"suscrib\w*",
        r"ofertas",
        r"promociones",
        r"publicidad",
        r"comunicaciones comerciales",
        r"marketing",
        r"recibir (?:\w+ ){0,3}(?:correos?|e-?mails?|informaci[oó]n|noticias|ofertas"
        r"|comunicaciones|novedades)",
        r"terceros",
        r"socios",
        r"acepto",
        r"he le[ií]do",
        r"t[ée]rminos y condiciones",
        r"condiciones (?:de uso|generales)",
        r"pol[ií]tica de privacidad",
        r"consiento",
        r"mi consentimiento",
        r"perfiles comerciales",
    ],
    "it": [
        r"newsletter",
        r"iscriv(?:i|imi|ermi|ersi|endomi)",
        r"offerte",
        r"promozioni",
        r"pubblicit[aà]",
        r"comunicazioni commerciali",
        r"marketing",
        r"ricevere (?:\w+ ){0,3}(?:e-?mail|comunicazioni|offerte|novit[aà]|informazioni)",
        r"terz[ei]",
        r"partner",
        r"accetto",
        r"acconsento",
        r"ho letto",
        r"termini e condizioni",
        r"condizioni (?:generali|d[’']uso)",
        r"informativa (?:sulla )?privacy",
        r"consenso",
        r"profilazione",
    ],
    "ru": [
        r"рассылк\w*",
        r"подписат\w*",
        r"подписк\w*",
        r"акци(?:и|ях|ями)",
        r"спецпредложени\w*",
        r"(?:специальн|выгодн|персональн)\w* предложени\w*",
        r"реклам\w*",
        r"маркетинг\w*",
        r"получать (?:\w+ ){0,3}(?:письма|новости|рассылку|сообщения|информацию|уведомления)",
        r"третьим лицам",
        r"партн[её]р\w*",
        r"согласен",
        r"согласна",
        r"принимаю",
        r"даю согласие",
        r"согласие на обработку",
        r"соглашени\w*",
        r"политик\w* конфиденциальности",
    ],
    "id": [
        r"buletin",
        r"newsletter",
        r"berlangganan",
        r"langganan",
        r"penawaran",
        r"promo(?:si)?",
        r"iklan",
        r"pemasaran",
        r"menerima (?:\w+ ){0,3}(?:email|e-mail|informasi|berita|penawaran|promo|pemberitahuan)",
        r"pihak ketiga",
        r"mitra",
        r"saya (?:setuju|menyetujui)",
        r"syarat dan ketentuan",
        r"kebijakan privasi",
        r"persetujuan",
    ],
    "fr": [
        r"newsletter",
        r"lettre d[’']information",
        r"(?:s[’'])?abonner",
        r"offres",
        r"promotions",
        r"bons plans",
        r"publicit[ée]s?",
        r"prospection",
        r"marketing",
        r"recevoir (?:\w+ ){0,3}(?:e-?mails?|courriels?|offres|informations|actualit[ée]s"
        r"|communications|newsletter)",
        r"partenaires",
        r"tiers",
        r"j[’']accepte",
        r"j[’']ai lu",
        r"conditions g[ée]n[ée]rales",
        r"CGU",
        r"CGV",
        r"politique de confidentialit[ée]",
        r"consens\w*",
        r"consentement",
        r"profilage",
    ],
    "pt": [
        r"newsletter",
        r"boletim",
        r"subscrever",
        r"assinar",
        r"ofertas",
        r"promo[çc][õo]es",
        r"publicidade",
        r"marketing",
        r"receber (?:\w+ ){0,3}(?:e-?mails?|novidades|ofertas|informa[çc][õo]es"
        r"|comunica[çc][õo]es|newsletter)",
        r"parceiros",
        r"terceiros",
        r"aceito",
        r"concordo",
        r"termos (?:e condi[çc][õo]es|de uso)",
        r"pol[ií]tica de privacidade",
        r"consentimento",
        r"autorizo",
    ],
    "nl": [
        r"\w*nieuwsbrie(?:f|ven)",
        r"abonneren",
        r"aanbiedingen",
        r"acties",
        r"kortingen",
        r"reclame",
        r"marketing",
        r"(?:e-?mails?|aanbiedingen|nieuws|informatie) (?:\w+ ){0,3}ontvangen",
        r"partners",
        r"derden",
        r"(?:ik ga )?akkoord",
        r"algemene voorwaarden",
        r"privacyverklaring",
        r"privacybeleid",
        r"toestemming",
        r"op de hoogte",
        r"gepersonaliseerde (?:advertenties|aanbiedingen)",
    ],
}

# Boxes that may ship ticked: they serve the customer and ask no consent. A match vetoes.
EXCLUDE: dict[str, list[str]] = {
    "en": [
        r"remember me",
        r"remember my (?:login|password|username|e-?mail|details|choice)",
        r"(?:stay|keep me) (?:signed|logged) in",
        r"same as (?:my )?(?:billing|shipping|delivery)",
        r"save (?:my|this) (?:card|payment|details|information|info|address|name)",
        r"for (?:the )?next time",
        r"faster checkout",
        r"gift (?:wrap\w*|message|receipt|box|options?)",
        r"(?:is|as) a gift",
        r"strictly necessary",
    ],
    "de": [
        r"angemeldet bleiben",
        r"eingeloggt bleiben",
        r"(?:Daten|Zugangsdaten|Benutzername|Passwort) merken",
        r"an mich erinnern",
        r"(?:wie|gleich) (?:die )?Rechnungsadresse",
        r"Lieferadresse (?:ist )?(?:identisch|gleich)",
        r"(?:Karte|Zahlungsdaten|Daten) (?:\w+ ){0,3}speichern",
        r"Geschenk(?:verpackung|karte|papier|option)\w*",
        r"als Geschenk",
        r"unbedingt erforderlich\w*",
    ],
    "es": [
        r"recordarme",
        r"recordar (?:mis datos|contraseña|usuario)",
        r"mantener(?:me)? (?:la )?sesi[oó]n",
        r"no cerrar sesi[oó]n",
        r"misma direcci[oó]n",
        r"igual que (?:la )?(?:direcci[oó]n de )?facturaci[oó]n",
        r"guardar (?:mi|la|los|mis) (?:tarjeta|datos)",
        r"es un regalo",
        r"papel de regalo",
        r"estrictamente necesarias",
    ],
    "it": [
        r"ricordami",
        r"resta(?:re)? connesso",
        r"rimani collegato",
        r"mantieni(?:mi)? connesso",
        r"stesso indirizzo",
        r"uguale (?:all[’']indirizzo|al(?:la)?) (?:di )?fatturazione",
        r"salva(?:re)? (?:la carta|i (?:miei )?dati)",
        r"confezione regalo",
        r"è un regalo",
        r"strettamente necessari\w*",
    ],
    "ru": [
        r"запомнить меня",
        r"запомни меня",
        r"чужой компьютер",
        r"не выходить",
        r"оставаться в системе",
        r"совпадает с адресом",
        r"сохранить (?:карту|данные)",
        r"это подарок",
        r"подарочн\w* упаковк\w*",
        r"строго необходим\w*",
    ],
    "id": [
        r"ingat saya",
        r"tetap masuk",
        r"sama dengan alamat",
        r"simpan (?:kartu|data)",
        r"sebagai hadiah",
        r"bungkus kado",
        r"sangat diperlukan",
    ],
    "fr": [
        r"se souvenir de moi",
        r"rester connect[ée]",
        r"m[ée]moriser",
        r"garder ma session",
        r"identique à l[’']adresse",
        r"m[êe]me adresse",
        r"enregistrer (?:ma carte|mes coordonn[ée]es)",
        r"emballage cadeau",
        r"c[’']est un cadeau",
        r"strictement n[ée]cessaires",
    ],
    "pt": [
        r"lembrar(?:-me| de mim)",
        r"manter(?:-me)? conectado",
        r"continuar conectado",
        r"mesmo endere[çc]o",
        r"igual ao (?:endere[çc]o )?de (?:cobran[çc]a|fatura[çc][ãa]o)",
        r"(?:salvar|guardar) (?:o )?(?:meu )?(?:cart[ãa]o|dados)",
        r"(?:para|um) presente",
        r"embrulho",
        r"estritamente necess[áa]rios",
    ],
    "nl": [
        r"onthoud mij",
        r"mij onthouden",
        r"ingelogd blijven",
        r"aangemeld blijven",
        r"(?:zelfde|gelijk) (?:als|aan) (?:het )?factuuradres",
        r"hetzelfde adres",
        r"(?:kaart|gegevens) (?:\w+ ){0,2}(?:opslaan|bewaren)",
        r"cadeauverpakking",
        r"als cadeau",
        r"strikt noodzakelijk\w*",
    ],
}

# The "yes" answer of a consent question asked with radio buttons: "Yes" alone, or
# "Yes, send me offers". Other radio groups pick one of several options (a US or a
# Canada subscription, subscribe or unsubscribe) and ask no consent.
YES = lazyre.compile(r"^\W*(?:yes|ja|s[ií]|s[iì]|да|ya|oui|sim)(?!\w)", re.I)
YES_ALONE = lazyre.compile(r"^\W*(?:yes|ja|s[ií]|s[iì]|да|ya|oui|sim)\W*$", re.I)
# Search forms: a ticked "Newsletter" there filters results, it asks nothing.
SEARCH = lazyre.compile(
    r"search|such|recherch|busca|buscar|ricerca|cerca|поиск|pencarian|\bcari\b|zoek", re.I
)
QUERY_NAMES = frozenset({"q", "query", "search", "searchtext", "searchabletext", "keywords"})

# Field names speak one language whatever the page's: the fallback for a label that is
# empty or in a language without a lexicon. camelCase is split into snake_case first.
NAME = lazyre.compile(
    r"(?<![a-z])(?:news_?letters?|opt_?in|subscribe[ds]?|promo(?:tion)?s?|marketing|"
    r"advertising|admin_?e?mail|third_party|partners|mailing(?!_?addr))(?![a-z])"
)

# EU member states' codes among the jurisdictions trustlint knows, plus "eu" itself.
# fmt: off
EU = frozenset({
    "eu", "at", "be", "bg", "cy", "cz", "de", "dk", "ee", "es", "fi", "fr", "gr", "hr",
    "hu", "ie", "it", "lt", "lu", "lv", "mt", "nl", "pl", "pt", "ro", "se", "si", "sk",
})
# fmt: on


def _compile(entries: dict[str, list[str]]) -> dict[str, lazyre.LazyPattern]:
    return {lang: lazyre.words(words) for lang, words in entries.items()}


CONSENT_PATTERNS = _compile(CONSENT)
EXCLUDE_PATTERNS = _compile(EXCLUDE)


def consent_words(text: str) -> str | None:
    """The first consent phrase in ``text`` in any language, unless a veto matches."""
    if not text or any(p.search(text) for p in EXCLUDE_PATTERNS.values()):
        return None
    for pattern in CONSENT_PATTERNS.values():
        m = pattern.search(text)
        if m:
            return m.group(0)
    return None


def _identifier(control: HtmlElement) -> str:
    raw = " ".join(filter(None, (control.get("name"), control.get("id"))))
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", raw).lower()


def _shown(text: str, limit: int = 60) -> str:
    half = len(text) // 2
    if len(text) % 2 and text[:half] == text[half + 1 :]:  # "X X": wrapping and for= label
        text = text[:half]
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _label_with_line(control: HtmlElement) -> str:
    """The label, plus the words that follow a short ``for=`` label on the same line."""
    text = label_text(control)
    sibling = control.getnext()
    if sibling is not None and sibling.tag == "label" and len(text) < 40:
        text = f"{text} {sibling.tail or ''}".strip()
    return text


def _question(radio: HtmlElement, form: HtmlElement) -> str:
    """The words that ask a radio group's question: legend, or the row around the group."""
    name = radio.get("name")
    group = [r for r in form.iter("input") if input_type(r) == "radio" and r.get("name") == name]
    return group_question(radio, group)


def _in_search_form(control: HtmlElement) -> bool:
    form = next(control.iterancestors("form"), None)
    if form is None:
        return False
    if (form.get("role") or "").strip().lower() == "search":
        return True
    if SEARCH.search(form.get("action") or ""):  # not id or name: sites misname forms
        return True
    return any(
        input_type(el) == "search" or (el.get("name") or "").lower() in QUERY_NAMES
        for el in form.iter("input")
    )


def _is_ticked_role_box(el: HtmlElement) -> bool:
    return (
        (el.get("role") or "").strip().lower() == "checkbox"
        and (el.get("aria-checked") or "").strip().lower() == "true"
        and (el.get("aria-disabled") or "").strip().lower() != "true"
        and not is_hidden(el)
    )


@rule(
    code="TL202",
    name="prechecked-consent",
    summary="Consent, marketing or terms checkbox that ships ticked",
    category="consent",
    severity=Severity.WARNING,
    inputs=("html",),
    langs=("en", "de", "es", "it", "ru", "id", "fr", "pt", "nl"),
    options={"read_field_names": True},
)
def prechecked_consent(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Reports a checkbox that is ticked before the customer touches it (`checked`, or
    `role="checkbox"` with `aria-checked="true"`) when its label asks for consent:
    newsletters and marketing mail, offers, sharing data with partners, profiling, or
    agreeing to terms and a privacy policy. A consent question answered with radio
    buttons is reported when its "yes" option is preselected. The label is read in
    English, German, Spanish, Italian, Russian, Indonesian, French, Portuguese and
    Dutch; when it matches none of these lexicons (it is empty, or in another
    language), the field's `name` and `id` (`newsletter`, `opt_in`, `marketing`...)
    are read too (option `read_field_names`). Boxes that serve the customer are left
    alone: remember me, stay signed in, same as billing address, save my card for next
    time, gift options, and disabled boxes such as "strictly necessary cookies". Under
    the jurisdiction `eu` (or an EU member state) the finding is an error.

    ## Why is this bad?
    A pre-ticked box is not consent: silence or inactivity is no affirmative act, so
    the customer who leaves it alone has agreed to nothing, and the shop that relies
    on it has no valid consent to mail or profile them.
    The Court of Justice of the EU held so for a pre-ticked box on 1 October 2019
    (Case C-673/17, Planet49).
    Source: https://curia.europa.eu/juris/liste.jsf?num=C-673/17
    GDPR Recital 32: "Silence, pre-ticked boxes or inactivity should not therefore
    constitute consent."
    Source: https://gdpr-info.eu/recitals/no-32/
    The US Federal Trade Commission lists pre-checked boxes among the dark patterns that
    obscure or subvert privacy choices ("Bringing Dark Patterns to Light", staff
    report, September 2022).
    Source: https://www.ftc.gov/reports/bringing-dark-patterns-light

    ## Example
    ```html
    <label>
      <input type="checkbox" name="newsletter" checked>
      Send me offers and news by email
    </label>
    ```

    ## Use instead
    Leave the box unticked and let the customer tick it:
    ```html
    <label>
      <input type="checkbox" name="newsletter">
      Send me offers and news by email
    </label>
    ```
    """
    root = doc.tree
    if root is None:
        return
    read_names = bool(ctx.options.get("read_field_names", True))
    severity = Severity.ERROR if ctx.jurisdictions & EU else None
    suggestion = "Leave the box unticked; consent needs a clear affirmative action"
    radio_suggestion = "Preselect no answer; consent needs a clear affirmative action"
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "input":
            kind = input_type(el)
            if kind not in ("checkbox", "radio") or el.get("checked") is None:
                continue
            if not is_entry_control(el):
                continue
            if _in_search_form(el):
                continue
            label = _label_with_line(el)
            if kind == "radio":
                if not YES.match(label):
                    continue
                if not YES_ALONE.match(label):
                    if consent_words(label):
                        message = f'consent option "{_shown(label)}" ships selected'
                        yield Report(el, message, radio_suggestion, severity)
                    continue
                form = next(el.iterancestors("form"), None)
                question = _question(el, form if form is not None else root)
                if consent_words(question):
                    answer = label.strip(" :")
                    message = f'consent question "{_shown(question)}" ships answered "{answer}"'
                    yield Report(el, message, radio_suggestion, severity)
                continue
            if consent_words(label) or (
                read_names
                and not any(p.search(label) for p in EXCLUDE_PATTERNS.values())
                and NAME.search(_identifier(el))
            ):
                shown = _shown(label) or el.get("name") or el.get("id") or ""
                yield Report(el, f'consent box "{shown}" ships ticked', suggestion, severity)
        elif _is_ticked_role_box(el) and not _in_search_form(el):
            label = accessible_name(el) or text_of(el) or nearby_text(el)
            if consent_words(label):
                yield Report(
                    el, f'consent box "{_shown(label)}" ships ticked', suggestion, severity
                )
