from __future__ import annotations

import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from trustlint import lazyre
from trustlint.htmlforms import TEXT_TYPES, forms, input_type, is_entry_control, is_hidden, text_of
from trustlint.model import Report, Severity
from trustlint.registry import rule

# Words beside a CAPTCHA that offer another way through: an audio version of the test,
# or a person to call or write to. Matched against every language at once, as the words
# sit in short labels and links. "Reload the image" is no alternative: it is the same
# test; nor is "Contact us", the heading of many a contact form with a CAPTCHA in it.
ALTERNATIVE: dict[str, list[str]] = {
    "en": [
        r"listen",
        r"(?:call|phone) us",
        r"(?:e-?mail|write to) us",
    ],
    "de": [
        r"anhören",
        r"rufen Sie uns an",
        r"schreiben Sie uns",
    ],
    "es": [
        r"escuchar",
        r"ll[aá]m(?:enos|anos)",
        r"escr[ií]b(?:enos|anos)",
    ],
    "it": [
        r"ascolta(?:re)?",
        r"chiama(?:ci|teci)",
        r"scrivi(?:ci|teci)",
    ],
    "ru": [
        r"аудио\w*",
        r"прослушать",
        r"позвоните нам",
        r"напишите нам",
    ],
    "id": [
        r"dengarkan",
        r"telepon kami",
        r"email kami",
    ],
    "fr": [
        r"[ée]couter",
        r"appelez[- ]nous",
        r"[ée]crivez[- ]nous",
    ],
    "pt": [
        r"ouvir",
        r"ligue(?:-nos| para n[óo]s)",
        r"escreva(?:-nos| para n[óo]s)",
    ],
    "nl": [
        r"beluister\w*",
        r"bel ons",
        r"mail ons",
    ],
}
ALTERNATIVE_PATTERN = lazyre.compile(
    r"(?<!\w)(?:" + "|".join(w for words in ALTERNATIVE.values() for w in words) + r")(?!\w)",
    re.I,
)
# "Audio" is one word in most of the nine languages (Russian has its own above).
AUDIO_WORD = lazyre.compile(r"(?<!\w)[áa]udio", re.I)
# An audio version offered in the markup, whatever the page's language.
AUDIO_ATTR = lazyre.compile(r"audio|\.(?:wav|mp3|ogg)(?:\W|$)|play_?sound|securimage_play", re.I)
AUDIO_ATTRS = ("href", "src", "data", "onclick", "class", "id", "title", "alt", "aria-label")

# Third-party widgets that show a test on the page. Cloudflare Turnstile (cf-turnstile)
# and Friendly Captcha (frc-captcha) never show a puzzle, and invisible reCAPTCHA (v2
# data-size="invisible", a g-recaptcha class on a button, v3's api.js?render=key) and
# invisible hCaptcha run without one: all of them are left alone.
WIDGET_CLASSES = {"g-recaptcha": "reCAPTCHA", "h-captcha": "hCaptcha"}
WIDGET_FRAME = lazyre.compile(
    r"(?:google\.com|recaptcha\.net)/recaptcha/api2?/(?:anchor|fallback|noscript|challenge)"
    r"|api\.recaptcha\.net/(?:challenge|noscript)"
    r"|hcaptcha\.com/captcha",
    re.I,
)
# reCAPTCHA v1 (word puzzles, until 2018): a challenge script or its noscript fallback.
V1_NAMES = frozenset({"recaptcha_response_field", "recaptcha_challenge_field"})
CAPTCHA_WORD = lazyre.compile(r"captcha|securimage", re.I)
BUTTONS = frozenset({"button", "input", "a"})


def _classes(el: HtmlElement) -> set[str]:
    return set((el.get("class") or "").lower().split())


def _widget(el: HtmlElement) -> str | None:
    """The name of the CAPTCHA that ``el`` shows on the page, or None."""
    tag = el.tag
    for cls, name in WIDGET_CLASSES.items():
        if cls in _classes(el):
            if tag in BUTTONS or (el.get("data-size") or "").strip().lower() == "invisible":
                return None
            return name
    if tag in ("iframe", "script"):
        src = el.get("src") or ""
        if WIDGET_FRAME.search(src):
            return "hCaptcha" if "hcaptcha" in src.lower() else "reCAPTCHA"
        return None
    if tag in ("input", "textarea") and (el.get("name") or "") in V1_NAMES:
        return "reCAPTCHA"
    if tag == "img":
        hay = " ".join(el.get(a) or "" for a in ("src", "id", "name", "class", "alt"))
        if CAPTCHA_WORD.search(hay) and not re.search(r"recaptcha", hay, re.I):
            return "image CAPTCHA"
        return None
    if tag == "input" and input_type(el) in TEXT_TYPES and is_entry_control(el):
        hay = " ".join(el.get(a) or "" for a in ("name", "id"))
        if CAPTCHA_WORD.search(hay) and "recaptcha" not in hay.lower():
            return "CAPTCHA"
    return None


def _find_captcha(form: HtmlElement) -> tuple[HtmlElement, str] | None:
    for el in form.iter():
        if not isinstance(el.tag, str) or is_hidden(el) or _class_hidden(el, form):
            continue
        name = _widget(el)
        if name:
            return el, name
    return None


EMAIL = lazyre.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# The sample address of an email field's hint ("yourname@domain.com") is nobody's.
SAMPLE_EMAIL = lazyre.compile(
    r"^(?:your|name@|you@|user@|email@)|@(?:your)?(?:domain|example|email|mail|site)\.", re.I
)
# A phone number written out: 7 to 15 digits in groups ("800-624-4488", "+49 30 1234 567").
PHONE = lazyre.compile(
    r"(?<![\w/.,-])(?:\+\d{1,3}[\s.-]?)?\(?\d{2,5}\)?[\s.-]?\d{2,4}[\s.-]\d{2,5}(?:[\s.-]\d{2,5})?"
    r"(?![\w/])"
)
# Year ranges and dates are no phone numbers.
YEARS = lazyre.compile(r"^\d{4}\s*-\s*\d{4}$|^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$")


def _phone_number(text: str) -> bool:
    for m in PHONE.finditer(text):
        digits = sum(c.isdigit() for c in m.group(0))
        if 7 <= digits <= 15 and not YEARS.match(m.group(0)):
            return True
    return False


# Classes that hide a honeypot field from people (bots fill it in and are refused).
HIDING_CLASSES = frozenset(
    {
        "none",
        "hidden",
        "hide",
        "d-none",
        "is-hidden",
        "invisible",
        "sr-only",
        "visually-hidden",
        "screen-reader-text",
        "honeypot",
        "hp",
    }
)


def _class_hidden(el: HtmlElement, form: HtmlElement) -> bool:
    for node in (el, *el.iterancestors()):
        if HIDING_CLASSES & _classes(node):
            return True
        if node is form:
            break
    return False


def _scope(form: HtmlElement) -> list[HtmlElement]:
    """The form and the block around it, where a help line or audio link would sit.

    The block counts only when it holds little besides the form: a page-wide wrapper
    brings in menus ("Contact") that offer no way past the test.
    """
    parent = form.getparent()
    if parent is None or parent.tag in ("body", "html"):
        return [form]
    if len(text_of(parent)) - len(text_of(form)) > 1500:
        return [form]
    return [form, parent]


def _has_alternative(form: HtmlElement) -> bool:
    for box in _scope(form):
        text = text_of(box)
        if ALTERNATIVE_PATTERN.search(text) or AUDIO_WORD.search(text):
            return True
        if any(not SAMPLE_EMAIL.search(m.group(0)) for m in EMAIL.finditer(text)):
            return True
        if _phone_number(text):
            return True
        for el in box.iter("a", "area", "audio", "object", "embed", "button", "input", "img"):
            if el.tag in ("audio",):
                return True
            href = (el.get("href") or "").strip().lower()
            if href.startswith(("mailto:", "tel:")):
                return True
            if any(AUDIO_ATTR.search(el.get(a) or "") for a in AUDIO_ATTRS):
                return True
            words = " ".join(el.get(a) or "" for a in ("title", "alt", "aria-label", "value"))
            if ALTERNATIVE_PATTERN.search(words) or AUDIO_WORD.search(words):
                return True
    return False


@rule(
    code="TL211",
    name="captcha-without-alternative",
    summary="Form makes customers solve a CAPTCHA and offers no other way through",
    category="forms",
    severity=Severity.INFO,
    inputs=("html",),
    langs=("en", "de", "es", "it", "ru", "id", "fr", "pt", "nl"),
)
def captcha_without_alternative(doc, ctx) -> Iterator[Report]:
    """
    ## What it does
    Reports a form that shows a CAPTCHA test when neither the form nor the block around
    it offers another way through: an audio version of the test (an `<audio>`
    element, or a link or button about audio: "Listen", "Audio anhören",
    "Écouter"...), or a person to contact (a `mailto:` or `tel:` link, "contact us",
    "call us" and the like in English, German, Spanish, Italian, Russian, Indonesian,
    French, Portuguese and Dutch). A link that only reloads the image is no
    alternative: it is the same test again.

    The CAPTCHAs recognised are the ones a customer sees: the reCAPTCHA checkbox
    (`class="g-recaptcha"`, v2), reCAPTCHA v1 word puzzles (challenge script or its
    noscript frame), the hCaptcha checkbox (`class="h-captcha"`), an image whose
    `src`, `id`, `name`, `class` or `alt` says `captcha`, and a text field named
    `captcha` (typed codes and arithmetic questions). Left alone, as they put no
    puzzle in front of the customer: invisible reCAPTCHA (`data-size="invisible"`, or
    the `g-recaptcha` class on a button), reCAPTCHA v3 (`api.js?render=key`),
    Cloudflare Turnstile (`cf-turnstile`: at most one click, never a puzzle), Friendly
    Captcha and hidden widgets. Invisible reCAPTCHA may still show a puzzle to a
    visitor it distrusts; nothing in the page says when, so the rule stays silent.
    The built-in audio challenge of reCAPTCHA does not count as an alternative: it is
    part of the same test and fails deaf-blind customers and those Google refuses.

    ## Why is this bad?
    CAPTCHAs stop people as well as bots: people who are blind or have low vision, who
    are dyslexic, or who use a screen reader, and anyone who cannot read the
    distorted letters. The W3C's note on the inaccessibility of CAPTCHA asks sites to
    offer several ways through, including a human one. WCAG 2.2 (success criteria
    1.1.1 and 3.3.8) asks for an alternative in another sense and for a way to log in
    without a cognitive function test; an extra verification step also costs trust
    and orders.
    Source: https://www.w3.org/TR/turingtest/ ;
    https://www.w3.org/WAI/WCAG22/Understanding/accessible-authentication-minimum.html

    ## Example
    ```html
    <form action="/contact" method="post">
      <img src="/captcha.php" alt="Security code">
      <label for="code">Type the code</label> <input id="code" name="captcha">
    </form>
    ```

    ## Use instead
    ```html
    <form action="/contact" method="post">
      <img src="/captcha.php" alt="Security code">
      <label for="code">Type the code</label> <input id="code" name="captcha">
      <a href="/captcha-audio.mp3">Listen to the code</a>
      <p>Cannot solve it? Email us at <a href="mailto:help@shop.example">help@shop.example</a>.</p>
    </form>
    ```
    Better still: drop the visible test and use a honeypot field, rate limits or an
    invisible check.
    """
    root = doc.tree
    if root is None:
        return
    for form in forms(root):
        found = _find_captcha(form)
        if found is None or _has_alternative(form):
            continue
        element, name = found
        yield Report(
            element,
            f"{name} in this form, and no other way through for customers who cannot solve "
            "it (no audio version, no contact address or phone)",
            suggestion="Offer an audio version and a contact route (email or phone) beside "
            "the CAPTCHA, or use a check that shows no puzzle",
        )
