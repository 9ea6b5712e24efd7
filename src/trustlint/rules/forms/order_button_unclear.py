from __future__ import annotations

import re
from collections.abc import Iterator

from trustlint import lazyre
from trustlint.htmlforms import forms, input_type, is_hidden, text_of
from trustlint.model import Report, Severity
from trustlint.registry import rule
from trustlint.rules.transparency._common import under_eu

# Buttons that place an order: the verb of ordering with nothing about paying.
# Words per language from the Directive's own language versions and the courts'
# examples of what is not enough ("Bestellen", "Bestellung abschicken", "order now").
ORDER = {
    "en": r"(?:place|submit|complete|confirm|send|finish)(?: (?:my|your|the))? order|order now|"
    r"order",
    "de": r"bestellen|jetzt bestellen|bestellung (?:abschicken|absenden|abschlie(?:ß|ss)en|"
    r"aufgeben|best[äa]tigen)|bestellung",
    "es": r"(?:realizar|confirmar|finalizar|enviar|tramitar) (?:el )?pedido|hacer (?:el )?pedido",
    "it": r"(?:conferma|invia|completa|concludi) (?:l')?ordine|ordina(?: ora| adesso)?",
    "fr": r"(?:valider|confirmer|passer|envoyer|finaliser) (?:la |ma )?commande|commander",
    "pt": r"(?:finalizar|confirmar|enviar|fazer|concluir) (?:a |o )?(?:encomenda|pedido)|"
    r"encomendar",
    "nl": r"bestelling (?:plaatsen|afronden|bevestigen|versturen)|bestellen|nu bestellen",
}
# What the law accepts: the Directive's wording in each language, or a word that says
# money changes hands ("buy now", "pay now", "confirm purchase", "kaufen").
PAYS = (
    r"obligation to pay|buy|pay|purchase|zahlungspflichtig|kostenpflichtig|kaufen|"
    r"bezahlen|zahlen|obligaci[óo]n de pago|comprar|pagar|obbligo di pag|acquist|paga|"
    r"obligation de paiement|payer|acheter|paiement|obriga[çc][ãa]o de pagamento|"
    r"betalingsverplichting|betalen|kopen|afrekenen"
)
FREE = r"free|gratis|kostenlos|gratuit[oa]?|grátis|gratuito|kosteloos|sample|muestra|probe"
ORDER_RE = {lang: lazyre.compile(rf"^\W*(?:{words})\W*$", re.I) for lang, words in ORDER.items()}
PAYS_RE = lazyre.compile(rf"(?<!\w)(?:{PAYS})", re.I)
FREE_RE = lazyre.compile(rf"(?<!\w)(?:{FREE})(?!\w)", re.I)


def _buttons(form) -> Iterator[tuple[object, str]]:
    for el in form.iter("button", "input"):
        if el.tag == "button" and (el.get("type") or "submit").lower() == "submit":
            text = text_of(el) or el.get("value") or el.get("aria-label") or ""
        elif el.tag == "input" and input_type(el) in ("submit", "image"):
            text = el.get("value") or el.get("alt") or ""
        else:
            continue
        if not is_hidden(el):
            yield el, " ".join(text.split())


@rule(
    code="TL215",
    name="order-button-unclear",
    summary="Order button does not say that ordering costs money",
    category="forms",
    severity=Severity.INFO,
    inputs=("html",),
    langs=("en", "de", "es", "it", "fr", "pt", "nl"),
)
def order_button_unclear(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Reports a submit button that places an order and says nothing about paying:
    "Place order", "Submit order", "Bestellen", "Bestellung abschicken", "Confirmar
    pedido", "Conferma ordine", "Valider la commande", "Finalizar encomenda",
    "Bestelling plaatsen". Buttons that say money changes hands pass: "Order with
    obligation to pay", "Buy now", "Pay now", "Confirm purchase", "Zahlungspflichtig
    bestellen", "Jetzt kaufen", "Comprar", "Acquista", "Payer", "Afrekenen", and free
    orders ("Order a free sample") are left alone. Info by default; a warning under an
    EU jurisdiction profile (`jurisdictions = ["eu"]` or a member state), and an error
    under `"de"`, where § 312j(3) BGB makes an order with the wrong button void.

    ## Why is this bad?
    A customer who presses "Order" may not know that the click makes them pay; when
    they find out, trust is gone. The EU Consumer Rights Directive requires the button
    to be "labelled in an easily legible manner only with the words 'order with
    obligation to pay' or a corresponding unambiguous formulation"; otherwise the
    consumer is not bound by the order (Art. 8(2); in Germany § 312j(3) BGB). The
    Commission's guidance accepts "buy now", "pay now" or "confirm purchase" and
    rejects "register", "confirm" or "order now".
    Source: https://eur-lex.europa.eu/eli/dir/2011/83/oj (Art. 8(2)) ;
    https://www.gesetze-im-internet.de/bgb/__312j.html

    ## Example
    ```html
    <form action="/checkout/confirm" method="post">
      <button type="submit">Place order</button>
    </form>
    ```

    ## Use instead
    ```html
    <form action="/checkout/confirm" method="post">
      <button type="submit">Order with obligation to pay</button>
    </form>
    ```
    """
    root = doc.tree
    if root is None:
        return
    # As the catalog grades it: the Directive under "eu", and § 312j(3) BGB, which the
    # German courts enforce strictly (CJEU C-249/21), under "de".
    if "de" in ctx.jurisdictions:
        severity = Severity.ERROR
    elif under_eu(ctx.jurisdictions):
        severity = Severity.WARNING
    else:
        severity = None
    for form in forms(root):
        for button, text in _buttons(form):
            if not text or PAYS_RE.search(text) or FREE_RE.search(text):
                continue
            if not any(pattern.match(text) for pattern in ORDER_RE.values()):
                continue
            yield Report(
                button,
                f'the order button says "{text}" but not that the order costs money',
                suggestion='Label it "Order with obligation to pay" or "Buy now" '
                '("Zahlungspflichtig bestellen", "Jetzt kaufen")',
                severity=severity,
            )
