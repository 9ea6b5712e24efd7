from __future__ import annotations

import re
from collections.abc import Iterator

from trustlint import lazyre
from trustlint.model import LANGUAGES, Report, Severity, TextRange
from trustlint.registry import rule
from trustlint.site import ROLE_TEXT, link_label, page_roles

# Wording that asks for or confirms marketing consent, per language (the block's own
# language). Inflection: verb forms as alternations (sign(?:ed)? up, abonnier\w*),
# German separable verbs both ways (anmelden / melden Sie sich ... an), Russian verb
# stems with \w* (подпи[сш]\w* = подписаться/подпишитесь/подписались), Indonesian
# affixes listed (berlangganan, mendaftar/daftar).
_MARKETING = {
    "en": (
        r"(?:sign(?:ed)?[- ]up|subscrib(?:e|ed|ing)|register(?:ed)?|opt(?:ed)?[- ]in) "
        r"(?:to|for) (?:our |the )?(?:\w+ )?(?:newsletter|mailing list|marketing emails|offers)"
        r"|(?:receive|get|send (?:me|you)) (?:\w+ ){0,3}(?:marketing|promotional|advertising) "
        r"(?:emails?|messages|communications|texts|calls)"
        r"|send (?:me|you) (?:\w+ ){0,2}(?:offers|promotions|deals)"
        r"|you (?:are receiving|receive|received|get) this (?:email|message|newsletter) because"
    ),
    "de": (
        r"(?:zum |für den |unseren? )Newsletter an(?:melden|gemeldet)|Newsletter abonnier\w*"
        r"|(?:den |unseren )?Newsletter (?:erhalten|bestellen|bestellt)"
        r"|(?:Werbung|Angebote|Werbe-E-Mails|Marketing-E-Mails) (?:per E-Mail )?"
        r"(?:erhalten|zusenden|zuschicken)"
        r"|Sie erhalten diese (?:E-Mail|Nachricht), weil"
    ),
    "es": (
        r"suscr[ií](?:bete|birse|birte|base|to|ta|ptos?) (?:a|en) (?:nuestro |el |nuestra |la )?"
        r"(?:boletín|newsletter|lista de correo)"
        r"|recibir (?:\w+ ){0,2}(?:comunicaciones comerciales|ofertas|promociones|publicidad)"
        r"|recibes este (?:correo|mensaje) porque"
    ),
    "it": (
        r"iscri(?:viti|versi|tto|tta|zione) (?:alla|a) (?:nostra )?(?:newsletter|mailing list)"
        r"|ricevere (?:\w+ ){0,2}(?:comunicazioni (?:commerciali|promozionali)|offerte|promozioni)"
        r"|ricevi questa (?:e-?mail|newsletter) perché"
    ),
    "ru": (
        r"подпи[сш]\w* на (?:нашу )?(?:рассылку|новости)"
        r"|получать (?:\w+ ){0,2}(?:рекламн\w+|маркетингов\w+) (?:рассылк\w+|сообщени\w+|письма)"
        r"|получать (?:новости и )?(?:специальные )?предложения"
        r"|вы получили это письмо, (?:так как|потому что)"
    ),
    "id": (
        r"berlangganan (?:buletin|newsletter|info promo)"
        r"|(?:mendaftar|daftar) (?:ke |untuk )?(?:buletin|newsletter)"
        r"|menerima (?:\w+ ){0,2}(?:promosi|penawaran|email pemasaran)"
    ),
    "fr": (
        r"(?:abonnez-vous|inscrivez-vous|vous abonner|vous inscrire|abonné|inscrit)e?s? "
        r"(?:à|à la) (?:notre )?(?:newsletter|lettre d['’]information)"
        r"|recevoir (?:\w+ ){0,2}(?:offres|communications commerciales|promotions)"
    ),
    "pt": (
        r"(?:assine|assinar|inscreva-se|inscrever-se|subscreva|subscrever) (?:a |na |o )?"
        r"(?:nossa |nosso )?(?:newsletter|boletim)"
        r"|receber (?:\w+ ){0,2}(?:ofertas|promoções|comunicações (?:comerciais|de marketing))"
    ),
    "nl": (
        r"(?:abonneer|abonneren|schrijf (?:je|u) in|inschrijven|aanmelden|meld (?:je|u) aan) "
        r"(?:op|voor) (?:onze |de )?nieuwsbrief"
        r"|(?:aanbiedingen|reclame|promoties|marketingmails?) (?:te )?ontvangen"
    ),
}

# Wording or link text that shows the way out: unsubscribe, opt out, withdraw consent,
# manage preferences. Searched in every language, since an English "Unsubscribe" link
# under a German newsletter is still a way out.
_WITHDRAWAL = lazyre.compile(
    r"\b(?:unsubscrib\w*|opt(?:ing)?[- ]?out|withdraw (?:your |my )?consent|"
    r"revoke (?:your |my )?consent|manage (?:your |my )?(?:email )?(?:preferences|subscriptions?)|"
    r"stop receiving|"
    r"abmelden|abmeldung|abbestellen|widerruf(?:en)?|widersprechen|"
    r"darse de baja|darte de baja|darme de baja|date de baja|cancelar (?:la|tu|su) suscripci[oó]n|"
    r"retirar (?:el|su|tu) consentimiento|revocar (?:el|su|tu) consentimiento|"
    r"disiscri\w+|annulla(?:re)? l['’]iscrizione|revoca(?:re)? (?:il|il tuo|il suo) consenso|"
    r"berhenti berlangganan|batalkan langganan|cabut persetujuan|tarik persetujuan|"
    r"(?:se|vous|te) d[ée]sabonner|d[ée]sabonnez-vous|(?:se|vous|te) d[ée]sinscrire|"
    r"d[ée]sinscrivez-vous|retirer (?:votre|ton) consentement|"
    r"cancelar (?:a )?(?:inscrição|subscrição|assinatura)|descadastr\w+|"
    r"retirar (?:o|seu|o seu) consentimento|"
    r"afmelden|uitschrijven|schrijf (?:je|u) uit|toestemming intrekken|"
    r"trek (?:je|uw) toestemming in)\b"
    r"|(?<![\w-])(?:отписаться|отпишитесь|отписка|отозвать согласие|отзыв согласия|"
    r"отказаться от рассылки)(?![\w-])",
    re.IGNORECASE,
)
# A link whose address is an unsubscribe or preference page (HTML href or Markdown).
_LINK_WORDS = (
    "unsubscribe", "opt-out", "optout", "abmelden", "abbestellen", "preferences", "baja",
    "disiscri", "otpis", "desinscri", "descadastr", "afmelden", "uitschrijven",
)  # fmt: skip
_WITHDRAWAL_LINK = lazyre.compile(
    r"(?:href\s*=\s*[\"']?|\]\()[^\"'\s)>]*(?:" + "|".join(_LINK_WORDS) + ")",
    re.IGNORECASE,
)


def _links_a_way_out(source: str) -> bool:
    # The expression, case-blind, cost 1 ms on a 70 kB page; most pages hold none of
    # the words at all, which plain substring tests of the case-folded page tell at
    # a tenth of that (the words are ASCII, so folding can only let more through).
    folded = source.casefold()
    return any(w in folded for w in _LINK_WORDS) and bool(_WITHDRAWAL_LINK.search(source))


_COMPILED = {
    lang: lazyre.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.IGNORECASE)
    for lang, words in _MARKETING.items()
}


def _is_privacy_page(summary) -> bool:
    return "privacy" in summary.roles


def _privacy_page_clicks(site, ctx) -> dict[str, int]:
    return site.clicks_to(_is_privacy_page)


@rule(
    code="TL405",
    name="opt-out-missing",
    summary="Marketing consent with no way to unsubscribe or withdraw it",
    category="consent",
    severity=Severity.INFO,
    inputs=("html", "markdown", "text"),
    langs=LANGUAGES,
    site_tables=(_privacy_page_clicks,),
)
def opt_out_missing(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Reports the first phrase that asks for or confirms marketing consent ("sign up
    for our newsletter", "receive marketing emails", "Newsletter abonnieren",
    "suscríbete a nuestro boletín", "iscriviti alla newsletter", "подпишитесь на
    рассылку", "berlangganan newsletter", "inscrivez-vous à notre newsletter",
    "assine a nossa newsletter", "schrijf je in voor de nieuwsbrief") when nothing in
    the document says how to get out again: no unsubscribe or opt-out wording, no
    "withdraw your consent", "abmelden", "widerrufen", "darse de baja",
    "disiscriviti", "отписаться", "berhenti berlangganan", "se désabonner",
    "cancelar inscrição", "afmelden", and no link to an unsubscribe or preferences
    page. Made for drafts of emails, newsletters and sign-up pages. A link that only
    leads to the sign-up page is not a request for consent. An HTML page that links
    its privacy notice, or (in site mode) from which the notice is at most two clicks
    away, is left alone: the rule cannot read the other page, and the notice must
    explain withdrawal (GDPR Art. 13(2)(c)).

    ## Why is this bad?
    "It shall be as easy to withdraw as to give consent" (GDPR Art. 7(3)), and every
    marketing email must offer a simple way to object (ePrivacy Directive 2002/58/EC,
    Art. 13(2)). Readers who see a sign-up but no way out expect to be stuck with the
    emails; the source article of this project asks for easy opt-in and opt-out,
    ideally from one place.
    Source: https://eur-lex.europa.eu/eli/reg/2016/679/oj (GDPR Art. 7(3));
    https://eur-lex.europa.eu/eli/dir/2002/58/oj (ePrivacy Directive, Art. 13(2))

    ## Example
    ```markdown
    Sign up for our newsletter and get 10% off your next order.
    ```

    ## Use instead
    ```markdown
    Sign up for our newsletter and get 10% off your next order. You can unsubscribe
    with one click from every issue.
    ```
    """
    if _links_a_way_out(doc.source):
        return
    # One search per language over the page's joined text, not one per block.
    texts = doc.texts_by_lang(None)
    if any(_WITHDRAWAL.search(text) for text in texts.values()):
        return
    asked = {
        lang for lang, text in texts.items() if lang in _COMPILED and _COMPILED[lang].search(text)
    }
    if not asked:
        return
    first = None
    for block in ctx.blocks(doc):
        if block.lang not in asked:
            continue
        if block.scope == "link":
            continue  # a link to the sign-up page; the consent is asked there
        pattern = _COMPILED.get(block.lang or "")
        m = pattern.search(block.text) if pattern is not None else None
        if m:
            first = (block, m)
            break
    if first is None or _privacy_notice_near(doc, ctx):
        return
    block, m = first
    yield Report(
        TextRange(block, m.start(), m.end()),
        f"`{m.group()}` asks for marketing consent, but nothing here says how to get out "
        "again; readers expect to be stuck with the emails",
        suggestion='Say how to unsubscribe or withdraw consent ("You can unsubscribe with '
        'one click in every email") and link the page that does it',
    )


def _privacy_notice_near(doc, ctx) -> bool:
    """HTML: the page links its privacy notice, or (site mode) it is two clicks away."""
    if doc.tree is None:
        return False
    for a in doc.tree.iter("a"):
        href = a.get("href") or ""
        label = link_label(a)
        if (label and ROLE_TEXT["privacy"].match(label)) or "privacy" in page_roles(href):
            return True
    if ctx.site is None or ctx.page not in ctx.site.pages:
        return False
    distance = _privacy_page_clicks(ctx.site, ctx).get(ctx.page)
    return distance is not None and distance <= 2
