from __future__ import annotations

import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from trustlint import lazyre
from trustlint.htmlforms import (
    group_question,
    input_type,
    is_entry_control,
    is_hidden,
    label_text,
    text_of,
)
from trustlint.model import Report, Severity
from trustlint.registry import rule

# Extras a shop sells beside the order. Labels are short, so a label is matched against
# every language at once.
ADDON: dict[str, list[str]] = {
    "en": [
        r"insurance",
        r"(?:shipping|package|purchase|order) protection",
        r"protection plan",
        r"(?:extended )?warranty",
        r"donat(?:e|ion)",
        r"gift[- ]?wrap(?:ping|ped)?",
        r"tip",  # also Indonesian
        r"(?:express|priority|expedited|next[- ]day) (?:shipping|delivery|handling)",
    ],
    "de": [
        r"\w*versicherung",
        r"Garantieverlängerung",
        r"Spenden?",
        r"Geschenkverpackung",
        r"Trinkgeld",
        r"Express(?:versand|lieferung)",
    ],
    "es": [
        r"seguro de env[ií]o",
        r"garant[ií]a (?:extendida|ampliada)",
        r"donaci[oó]n|donar",
        r"(?:papel|envoltorio) de regalo",
        r"propina",
        r"env[ií]o (?:urgente|prioritario|express)",
    ],
    "it": [
        r"assicurazione",
        r"garanzia(?: estesa)?",
        r"donazione|donare",
        r"confezione regalo",
        r"mancia",
        r"spedizione (?:express|espressa|prioritaria)",
    ],
    "ru": [
        r"страховк\w*|страховани\w*",
        r"(?:расширенн\w+ )?гаранти[яию]",
        r"пожертвовани\w*",
        r"подарочн\w+ упаковк\w*",
        r"чаевы\w*",
        r"(?:экспресс|срочн\w+)[- ]доставк\w*",
    ],
    "id": [
        r"asuransi",
        r"garansi",
        r"donasi",
        r"bungkus kado",
        r"pengiriman (?:ekspres|kilat|prioritas)",
    ],
    "fr": [
        r"assurance",
        r"extension de garantie|garantie [ée]tendue",
        r"(?:faire )?un don",
        r"emballage cadeau|papier cadeau",
        r"pourboire",
        r"livraison (?:express|prioritaire)",
    ],
    "pt": [
        r"seguro (?:do pedido|da encomenda|de entrega)",
        r"garantia estendida",
        r"doa[çc][ãa]o|doar",
        r"embrulho (?:para )?presente|embalagem de presente",
        r"gorjeta",
        r"entrega (?:expressa|priorit[áa]ria)",
    ],
    "nl": [
        r"\w*verzekering",
        r"garantieverlenging|verlengde garantie",
        r"donatie|doneren",
        r"cadeauverpakking",
        r"fooi",
        r"(?:express|spoed)(?:levering|verzending)",
    ],
}
# Words that say the extra costs money when no price is written.
COST: dict[str, list[str]] = {
    "en": [r"add-?on", r"(?:extra|additional) (?:charge|cost|fee)", r"surcharge"],
    "de": [r"Aufpreis", r"gegen Gebühr", r"zzgl\."],
    "es": [r"cost[eo] adicional", r"recargo"],
    "it": [r"costo aggiuntivo", r"supplemento"],
    "ru": [r"доплат\w*", r"за дополнительную плату"],
    "id": [r"biaya tambahan"],
    "fr": [r"suppl[ée]ment", r"frais suppl[ée]mentaires"],
    "pt": [r"custo adicional|taxa adicional", r"acr[ée]scimo"],
    "nl": [r"meerprijs", r"toeslag"],
}
# Words that say the extra is free: a ticked free extra costs nothing. A word spelt
# alike in several languages is listed once.
FREE: dict[str, list[str]] = {
    "en": [r"free", r"included", r"complimentary"],
    "de": [r"kostenlos", r"inklusive"],
    "es": [r"gratis", r"incluid[oa]"],  # gratis: also de, it, id, nl
    "it": [r"gratuit[oa]", r"inclus[oa]"],  # gratuito: also es, pt
    "ru": [r"бесплатн\w*", r"включен\w*"],
    "id": [r"termasuk"],
    "fr": [r"gratuit(?:e|s|es)?", r"offert(?:e|s|es)?", r"inclus(?:e|es)?"],
    "pt": [r"grátis", r"incluíd[oa]"],
    "nl": [r"kosteloos", r"inbegrepen", r"inclusief"],
}


def _compile(entries: dict[str, list[str]]) -> lazyre.LazyPattern:
    words = "|".join(w for ws in entries.values() for w in ws)
    return lazyre.compile(r"(?<!\w)(?:" + words + r")(?!\w)", re.I)


ADDON_PATTERN = _compile(ADDON)
COST_PATTERN = _compile(COST)
FREE_PATTERN = _compile(FREE)
CURRENCY = r"(?:[€$£₽¥]|(?<!\w)(?:Rp\.?|EUR|USD|GBP|RUB|IDR|руб\.?|р\.))"
AMOUNT = r"\d+(?:[ .,'\u00a0]\d{3})*(?:[.,]\d{1,2})?"
# A price: a currency with a number, a "+" before a number, or a number with cents.
PRICE = lazyre.compile(
    rf"{CURRENCY}\s?(?P<a>{AMOUNT})"
    rf"|(?P<b>{AMOUNT})\s?(?:[€$£₽]|(?<!\w)(?:EUR|USD|GBP|RUB|IDR|руб|р\.|Rp)(?!\w))"
    rf"|\+\s?(?P<c>{AMOUNT})"
    rf"|(?<![\w.,])(?P<d>\d+[.,]\d{{2}})(?![\w.,]|\d)",
    re.I,
)
# The bare "yes" of a yes/no choice: the question then names the extra.
YES = lazyre.compile(r"^\W*(?:yes|ja|s[ií]|s[iì]|да|ya|oui|sim)\W*$", re.I)
SEARCH = lazyre.compile(r"search|such|recherch|busca|ricerca|cerca|поиск|pencarian|zoek", re.I)
# EU member states' codes among the jurisdictions trustlint knows, plus "eu" itself.
# fmt: off
EU = frozenset({
    "eu", "at", "be", "bg", "cy", "cz", "de", "dk", "ee", "es", "fi", "fr", "gr", "hr",
    "hu", "ie", "it", "lt", "lu", "lv", "mt", "nl", "pl", "pt", "ro", "se", "si", "sk",
})
# fmt: on


def _amounts(text: str) -> list[float]:
    found = []
    for m in PRICE.finditer(text):
        raw = next(g for g in m.group("a", "b", "c", "d") if g)
        digits = re.sub(r"[^\d.,]", "", raw)
        cents = re.search(r"[.,](\d{1,2})$", digits)
        whole = re.sub(r"\D", "", digits[: cents.start()] if cents else digits)
        found.append(float(whole or 0) + (float("0." + cents.group(1)) if cents else 0.0))
    return found


def _cost(text: str) -> float | None:
    """What a label says the option costs: None when it names no paid extra."""
    if not ADDON_PATTERN.search(text) or FREE_PATTERN.search(text):
        return None
    amounts = _amounts(text)
    if amounts:
        return max(amounts) if max(amounts) > 0 else None
    return 0.01 if COST_PATTERN.search(text) else None


def _price_of(text: str) -> float:
    """The price an alternative option names, 0 when it names none."""
    if FREE_PATTERN.search(text):
        return 0.0
    amounts = _amounts(text)
    return max(amounts) if amounts else 0.0


def _shown(text: str, limit: int = 60) -> str:
    half = len(text) // 2
    if len(text) % 2 and text[:half] == text[half + 1 :]:  # "X X": wrapping and for= label
        text = text[:half]
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _label(control: HtmlElement) -> str:
    return label_text(control) or ""


def _in_search_form(el: HtmlElement) -> bool:
    form = next(el.iterancestors("form"), None)
    if form is None:
        return False
    if (form.get("role") or "").lower() == "search" or SEARCH.search(form.get("action") or ""):
        return True
    return any(input_type(i) == "search" for i in form.iter("input"))


def _radio_report(radio: HtmlElement, root: HtmlElement) -> tuple[str, float] | None:
    name = radio.get("name")
    if not name:
        return None
    scope = next(radio.iterancestors("form"), root)
    group = [
        r
        for r in scope.iter("input")
        if input_type(r) == "radio" and r.get("name") == name and is_entry_control(r)
    ]
    others = [r for r in group if r is not radio]
    if not others:
        return None
    label = _label(radio)
    text = f"{group_question(radio, group, 300)} {label}" if YES.match(label) else label
    cost = _cost(text)
    if cost is None:
        return None
    if min(_price_of(_label(r)) for r in others) >= cost:
        return None  # the ticked option is the cheapest one: a default, not an extra
    return text, cost


def _option_report(option: HtmlElement) -> tuple[str, float] | None:
    select = next(option.iterancestors("select"), None)
    if select is None or select.get("multiple") is not None or not is_entry_control(select):
        return None
    others = [o for o in select.iter("option") if o is not option]
    if not others:
        return None
    own = text_of(option)
    text = f"{label_text(select)} {own}".strip()
    cost = _cost(text)
    if cost is None:
        return None
    if min(_price_of(text_of(o)) for o in others) >= cost:
        return None
    return own if ADDON_PATTERN.search(own) else text, cost


@rule(
    code="TL214",
    name="prechecked-paid-addon",
    summary="Paid extra (insurance, donation, express shipping) that ships preselected",
    category="manipulation",
    severity=Severity.WARNING,
    inputs=("html",),
    langs=("en", "de", "es", "it", "ru", "id", "fr", "pt", "nl"),
)
def prechecked_paid_addon(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Reports a paid extra that is chosen before the customer touches it: a ticked
    checkbox (`checked`, or `role="checkbox"` with `aria-checked="true"`), a selected
    radio button or a `selected` option whose label names an extra the shop sells
    beside the order (shipping insurance, order protection, an extended warranty, a
    donation, gift wrap, a tip, express or priority shipping) and says it costs
    money: a price (`€4.99`, `$5`, `300 ₽`, `Rp 10.000`, `+2,50`, `4.99`) or words
    such as "add-on", "extra charge", "Aufpreis", "supplément". A radio button or an
    option is reported only when another choice of the group is cheaper (standard
    shipping, "No thanks"); a yes/no question is read from its legend. Labels that
    say the extra is free or included are left alone, and so are search filters.
    Words are read in English, German, Spanish, Italian, Russian, Indonesian, French,
    Portuguese and Dutch. Consent and newsletter boxes are the business of
    `prechecked-consent` (TL202); "remember me" and other boxes that serve the
    customer name no paid extra. Under the jurisdiction `eu` (or an EU member state)
    the finding is an error.

    ## Why is this bad?
    The customer pays for something they never chose unless they spot the tick and
    remove it. In the EU it is unlawful: before the consumer is bound, the trader must
    seek their express consent to any extra payment, and consent inferred from
    default options the consumer must reject does not count; the consumer is entitled
    to have that payment reimbursed (Consumer Rights Directive 2011/83/EU, Art. 22).
    Mathur et al. (2019) found this "sneak into basket" pattern on shopping sites
    ("Shipping Insurance", "Purchase protection added").
    Source: https://eur-lex.europa.eu/eli/dir/2011/83/oj ;
    https://webtransparency.cs.princeton.edu/dark-patterns/

    ## Example
    ```html
    <input type="checkbox" id="insurance" name="insurance" checked>
    <label for="insurance">Add shipping insurance for €4.99</label>
    ```

    ## Use instead
    Leave the extra unticked and let the customer add it:
    ```html
    <input type="checkbox" id="insurance" name="insurance">
    <label for="insurance">Add shipping insurance for €4.99</label>
    ```
    """
    root = doc.tree
    if root is None:
        return
    severity = Severity.ERROR if ctx.jurisdictions & EU else None
    for el in root.iter("input", "option", "span", "div", "button", "li", "label"):
        found: tuple[str, float] | None = None
        if el.tag == "input":
            kind = input_type(el)
            if kind not in ("checkbox", "radio") or el.get("checked") is None:
                continue
            if not is_entry_control(el) or _in_search_form(el):
                continue
            if kind == "checkbox":
                label = _label(el)
                found = (label, 1.0) if _cost(label) is not None else None
            else:
                found = _radio_report(el, root)
        elif el.tag == "option":
            if el.get("selected") is None or _in_search_form(el):
                continue
            found = _option_report(el)
        elif (
            (el.get("role") or "").strip().lower() == "checkbox"
            and (el.get("aria-checked") or "").strip().lower() == "true"
            and (el.get("aria-disabled") or "").strip().lower() != "true"
            and not is_hidden(el)
        ):
            label = (el.get("aria-label") or "").strip() or text_of(el)
            found = (label, 1.0) if _cost(label) is not None else None
        if found is None:
            continue
        text = found[0]
        yield Report(
            el,
            f'paid extra "{_shown(text)}" ships selected; the customer pays for it unless '
            "they spot it and opt out",
            suggestion="Leave the extra unselected and let the customer choose it",
            severity=severity,
        )
