"""Site-mode contact and transparency rules (TL302 to TL311) on small generated sites.

The site is linted in-process (as ``trustlint check <folder>`` does, without the
process start), so that each language can have its own site.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trustlint.api import lint_text
from trustlint.engine import Settings, StaticSelection, lint_document
from trustlint.loaders import document_from_text
from trustlint.model import Finding, Severity
from trustlint.registry import build_registry
from trustlint.rules.contact.address_missing import has_street_address
from trustlint.rules.transparency.about_missing import ABOUT_LINK
from trustlint.site import SiteGraph, summarize

REGISTRY = build_registry(plugins=False)
PAGE = (
    '<!doctype html><html lang="{lang}"><head><title>{title}</title>{head}</head><body>'
    "<nav>{nav}</nav><main>{body}</main><footer>{footer}</footer></body></html>"
)


def page(
    nav: dict[str, str] | None = None,
    body: str = "<p>Hello.</p>",
    footer: str = "",
    lang: str = "en",
    title: str = "Shop",
    head: str = "",
) -> str:
    links = " ".join(f'<a href="{href}">{text}</a>' for href, text in (nav or {}).items())
    return PAGE.format(lang=lang, title=title, head=head, nav=links, body=body, footer=footer)


def lint_site(
    root: Path,
    pages: dict[str, str],
    select: list[str],
    jurisdictions: tuple[str, ...] = (),
    options: dict | None = None,
) -> dict[str, list[Finding]]:
    """Write ``pages`` under ``root`` and lint them as one site; findings by page."""
    docs = {}
    for rel, html in pages.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        docs[rel] = document_from_text(str(path), html, "html")
    site = SiteGraph(summarize(doc.tree, rel) for rel, doc in docs.items())
    merged = {c: dict(r.meta.options) for c, r in REGISTRY.items()}
    for code, values in (options or {}).items():
        merged[code].update(values)
    settings = Settings(
        registry=REGISTRY,
        selection=StaticSelection(REGISTRY, frozenset(select)),
        options=merged,
        jurisdictions=frozenset(jurisdictions),
        site=site,
        site_root=root.resolve(),
    )
    found: dict[str, list[Finding]] = {}
    for rel, doc in docs.items():
        findings, errors = lint_document(doc, settings)
        assert not errors, errors
        if findings:
            found[rel] = findings
    return found


def messages(found: dict[str, list[Finding]]) -> dict[str, list[str]]:
    return {rel: [f.message for f in fs] for rel, fs in found.items()}


# --- TL302 contact-channel-missing ------------------------------------------------------

FORM = (
    '<form action="/send" method="post"><label for="m">Message</label>'
    '<textarea id="m" name="message"></textarea><button>Send</button></form>'
)


def test_tl302_page_linked_as_contact(tmp_path):
    pages = {
        "index.html": page({"help/write.html": "Contact"}),
        "help/write.html": page({"../index.html": "Home"}, "<h1>Write</h1>" + FORM),
        "feedback.html": page({"index.html": "Home"}, "<h1>Feedback</h1>" + FORM),
    }
    found = lint_site(tmp_path, pages, ["TL302"])
    assert list(found) == ["help/write.html"]
    assert "offers only a form" in found["help/write.html"][0].message
    # An email anywhere on the contact page is enough.
    pages["help/write.html"] = page({}, "<p>hi@example.com</p>" + FORM)
    assert lint_site(tmp_path, pages, ["TL302"]) == {}


def test_tl302_slug_in_site_mode(tmp_path):
    pages = {"index.html": page({}), "kontakt/index.html": page({}, FORM, lang="de")}
    assert list(lint_site(tmp_path, pages, ["TL302"])) == ["kontakt/index.html"]


# --- TL303 address-missing ------------------------------------------------------------

ADDRESSES = {
    "en": "Lindenhof Ltd, 14 High Street, London SW1A 1AA",
    "en-us": "Lindenhof Inc., 1600 Market Street, Philadelphia, PA 19103",
    "de": "Lindenhof GmbH, Werkhofstraße 14, 10997 Berlin",
    "de-at": "Lindenhof GmbH, Mariahilfer Str. 12, A-1070 Wien",
    "es": "Lindenhof S.L., Calle Mayor, 12, 28013 Madrid",
    "es-avda": "Avda. de la Constitución 5, 41001 Sevilla",
    "it": "Lindenhof S.r.l., Via Roma 10, 00184 Roma",
    "it-piazza": "Piazza del Duomo, 1, 20121 Milano",
    "ru": "123456, г. Москва, ул. Тверская, д. 7",
    "id": "PT Lindenhof, Jl. Sudirman No. 5, Jakarta 10220",
    "fr": "Lindenhof SAS, 12 rue de Rivoli, 75004 Paris",
    "pt": "Lindenhof Lda., Rua Augusta, 100, 1100-053 Lisboa",
    "pt-br": "Avenida Paulista, 1000, São Paulo, 01310-100",
    "nl": "Lindenhof B.V., Damstraat 5, 1012 JL Amsterdam",
}


@pytest.mark.parametrize("text", ADDRESSES.values(), ids=ADDRESSES.keys())
def test_tl303_street_address_per_country(text):
    assert has_street_address(text)


@pytest.mark.parametrize(
    "text",
    [
        "Call 030 1234567 from 9 to 17.",
        "Version 2.14, released 2024 in Berlin",
        "We ship to 10997 Berlin and everywhere else.",
        "Our main street shop opened 12 years ago.",
        "Via email: 20 minutes, 00184 orders",
    ],
)
def test_tl303_not_an_address(text):
    assert not has_street_address(text)


def test_tl303_site_without_address(tmp_path):
    pages = {
        "index.html": page({"contact.html": "Contact"}),
        "contact.html": page({"index.html": "Home"}, '<a href="mailto:a@b.example">Mail</a>'),
    }
    found = lint_site(tmp_path, pages, ["TL303"])
    assert list(found) == ["index.html"]
    finding = found["index.html"][0]
    assert finding.severity == Severity.INFO and finding.line_text.startswith("<!doctype")
    eu = lint_site(tmp_path, pages, ["TL303"], jurisdictions=("de",))
    assert eu["index.html"][0].severity == Severity.WARNING


@pytest.mark.parametrize(
    "contact",
    [
        "<p>" + ADDRESSES["de"] + "</p>",
        "<address>Lindenhof, Berlin</address>",
        '<script type="application/ld+json">{"@type": "Organization", "address": '
        '{"@type": "PostalAddress", "streetAddress": "Werkhofstraße 14"}}</script>',
        '<div itemscope itemtype="https://schema.org/PostalAddress">'
        '<span itemprop="streetAddress">Werkhofstraße 14</span></div>',
    ],
    ids=["text", "address-element", "jsonld", "microdata"],
)
def test_tl303_address_on_another_page(tmp_path, contact):
    pages = {
        "index.html": page({"kontakt.html": "Kontakt"}, lang="de"),
        "kontakt.html": page({"index.html": "Start"}, contact, lang="de"),
    }
    assert lint_site(tmp_path, pages, ["TL303"]) == {}


def test_tl303_silent_on_a_single_page():
    assert lint_text(page({}), path="index.html", select=["TL303"], registry=REGISTRY) == []


# --- TL305 privacy-policy-missing (site mode) ------------------------------------------

SIGNUP = (
    '<form action="/join" method="post"><label>Email <input type="email" name="email">'
    "</label><button>Join</button></form>"
)


def test_tl305_privacy_link_to_missing_page(tmp_path):
    pages = {
        "index.html": page({"join.html": "Join"}),
        "join.html": page({"index.html": "Home"}, SIGNUP, '<a href="privacy.html">Privacy</a>'),
    }
    found = lint_site(tmp_path, pages, ["TL305"])
    assert messages(found) == {
        "join.html": [
            'this form collects personal data, but its privacy link "privacy.html" leads to '
            "no page of the site"
        ]
    }
    assert lint_site(tmp_path, pages, ["TL305"], ("ru",))["join.html"][0].severity == (
        Severity.ERROR
    )
    # The notice exists under another name, within two clicks: fine.
    pages["index.html"] = page({"join.html": "Join", "legal/datenschutz.html": "Datenschutz"})
    pages["legal/datenschutz.html"] = page({}, "<h1>Datenschutz</h1>")
    assert lint_site(tmp_path, pages, ["TL305"]) == {}


def test_tl305_page_level_severity():
    html = page({}, SIGNUP)
    assert lint_text(html, select=["TL305"], registry=REGISTRY)[0].severity == Severity.WARNING
    found = lint_text(html, select=["TL305"], registry=REGISTRY, jurisdictions=["eu"])
    assert found[0].severity == Severity.ERROR


# --- TL306 about-missing ----------------------------------------------------------------

ABOUT_WORDS = {
    "en": ["About", "About us", "Who we are", "Our story", "About Lindenhof"],
    "de": ["Über uns", "Wir über uns", "Unternehmen", "Wer wir sind"],
    "es": ["Sobre nosotros", "Quiénes somos", "Nuestra empresa"],
    "it": ["Chi siamo", "L'azienda"],
    "ru": ["О нас", "О компании"],
    "id": ["Tentang Kami", "Profil Perusahaan"],
    "fr": ["À propos", "Qui sommes-nous", "Notre histoire"],
    "pt": ["Sobre nós", "Quem somos", "A empresa"],
    "nl": ["Over ons", "Wie zijn wij"],
}


@pytest.mark.parametrize(
    "word", [w for ws in ABOUT_WORDS.values() for w in ws], ids=lambda w: w.replace(" ", "-")
)
def test_tl306_about_words(word):
    assert ABOUT_LINK.search(word)


@pytest.mark.parametrize("lang", ABOUT_WORDS)
def test_tl306_about_within_two_clicks(tmp_path, lang):
    word = ABOUT_WORDS[lang][0]
    pages = {
        "index.html": page({"shop.html": "Shop"}, lang=lang),
        "shop.html": page({"team.html": word}, lang=lang),
        "team.html": page({}, lang=lang),
    }
    assert lint_site(tmp_path, pages, ["TL306"]) == {}


def test_tl306_about_missing_or_far(tmp_path):
    pages = {
        "index.html": page({"a.html": "Shop"}),
        "a.html": page({"b.html": "More"}),
        "b.html": page({"c.html": "Even more"}),
        "c.html": page({"ueber-uns.html": "Team"}),
        "ueber-uns.html": page({}),
    }
    found = messages(lint_site(tmp_path, pages, ["TL306"]))
    assert found == {"index.html": ["only a page 4 clicks away says who runs the site (About us)"]}
    del pages["ueber-uns.html"]
    pages["c.html"] = page({})
    found = messages(lint_site(tmp_path, pages, ["TL306"]))
    assert found == {"index.html": ["no page of the site says who runs the site (About us)"]}
    assert lint_text(page({}), path="index.html", select=["TL306"], registry=REGISTRY) == []


# --- TL307 broken-trust-link --------------------------------------------------------------

TRUST_LINKS = {
    "en": ["Contact", "Privacy policy", "Imprint", "Terms and conditions", "About us"],
    "de": ["Kontakt", "Datenschutz", "Impressum", "AGB", "Über uns"],
    "es": ["Contacto", "Política de privacidad", "Aviso legal", "Términos y condiciones"],
    "it": ["Contatti", "Informativa privacy", "Note legali", "Termini", "Chi siamo"],
    "ru": ["Контакты", "Политика конфиденциальности", "Реквизиты", "Условия", "О компании"],
    "id": ["Hubungi Kami", "Kebijakan Privasi", "Syarat dan Ketentuan", "Tentang Kami"],
    "fr": ["Nous contacter", "Confidentialité", "Mentions légales", "CGV", "À propos"],
    "pt": ["Fale conosco", "Política de privacidade", "Termos de uso", "Quem somos"],
    "nl": ["Contact", "Privacyverklaring", "Colofon", "Algemene voorwaarden", "Over ons"],
}


@pytest.mark.parametrize("lang", TRUST_LINKS)
def test_tl307_broken_trust_links(tmp_path, lang):
    words = TRUST_LINKS[lang]
    nav = {f"missing-{i}.html": w for i, w in enumerate(words)}
    nav.update({"shop.html": "Shop", "gone.html": "Blog"})
    pages = {"index.html": page(nav, lang=lang), "shop.html": page({}, lang=lang)}
    found = lint_site(tmp_path, pages, ["TL307"])
    assert [f.message.split('"')[1] for f in found["index.html"]] == words


def test_tl307_by_slug_and_what_exists(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "privacy.pdf").write_bytes(b"%PDF-1.4")
    nav = {
        "/kontakt": "Write",  # clean URL of kontakt.html: exists
        "docs/privacy.pdf": "Privacy (PDF)",  # a file, exists
        "impressum/": "Legal",  # impressum/index.html exists
        "datenschutz.html": "Data",  # slug says privacy: missing
        "blog/contact-lenses-guide.html": "Lenses",  # not a trust page
        "https://example.com/privacy": "Privacy",  # another site
        "#contact": "Contact",  # this page
    }
    pages = {
        "index.html": page(nav, lang="de"),
        "kontakt.html": page({}),
        "impressum/index.html": page({}),
    }
    found = messages(lint_site(tmp_path, pages, ["TL307"]))
    assert found == {
        "index.html": [
            'the privacy link "Data" leads to datenschutz.html, which is not in the site'
        ]
    }


def test_tl307_root_links_of_a_subfolder_site(tmp_path):
    """A docs folder served below the domain: "/privacy" is outside it."""
    pages = {"index.html": page({"/privacy": "Privacy", "guide.html": "Guide"})}
    pages["guide.html"] = page({"index.html": "Docs"})
    assert lint_site(tmp_path, pages, ["TL307"]) == {}
    pages["index.html"] = page({"/privacy": "Privacy", "/guide.html": "Guide"})
    found = messages(lint_site(tmp_path, pages, ["TL307"]))
    assert list(found) == ["index.html"]


# --- severities under profiles (TL310, TL311) --------------------------------------------

TRACKED = page({}, '<script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>')


def test_tl310_warning_under_eu_without_consent():
    plain = lint_text(TRACKED, select=["TL310"], registry=REGISTRY)
    assert [f.severity for f in plain] == [Severity.INFO]
    eu = lint_text(TRACKED, select=["TL310"], registry=REGISTRY, jurisdictions=["eu"])
    assert [f.severity for f in eu] == [Severity.WARNING]
    assert "no consent mechanism" in eu[0].message
    with_cmp = TRACKED.replace(
        "</head>", '<script src="https://consent.cookiebot.com/uc.js"></script></head>'
    )
    eu = lint_text(with_cmp, select=["TL310"], registry=REGISTRY, jurisdictions=["de"])
    assert [f.severity for f in eu] == [Severity.INFO]


def test_tl311_error_under_eu():
    html = page({}, '<div id="cookie-banner"><p>Cookies.</p><button>Accept all</button></div>')
    assert lint_text(html, select=["TL311"], registry=REGISTRY)[0].severity == Severity.WARNING
    eu = lint_text(html, select=["TL311"], registry=REGISTRY, jurisdictions=["it"])
    assert eu[0].severity == Severity.ERROR


def test_site_rules_quiet_on_the_examples_site():
    """The bundled example site has one planted TL3 problem: the sign-up form (TL305)."""
    root = Path(__file__).parent.parent / "examples" / "site"
    pages = {p.relative_to(root).as_posix(): p.read_text("utf-8") for p in root.rglob("*.html")}
    codes = [f"TL3{n:02d}" for n in range(1, 12)]
    for jurisdictions in ((), ("eu", "de")):
        found = lint_site_existing(root, pages, codes, jurisdictions)
        assert {
            rel: [(f.code, f.start.line, f.start.column) for f in fs] for rel, fs in found.items()
        } == {"signup.html": [("TL305", 18, 5)]}


def lint_site_existing(root, pages, select, jurisdictions):
    """Like ``lint_site`` for pages already on disk (nothing is written)."""
    docs = {rel: document_from_text(str(root / rel), html, "html") for rel, html in pages.items()}
    site = SiteGraph(summarize(doc.tree, rel) for rel, doc in docs.items())
    settings = Settings(
        registry=REGISTRY,
        selection=StaticSelection(REGISTRY, frozenset(select)),
        options={c: dict(r.meta.options) for c, r in REGISTRY.items()},
        jurisdictions=frozenset(jurisdictions),
        site=site,
        site_root=root.resolve(),
    )
    found = {}
    for rel, doc in docs.items():
        findings, errors = lint_document(doc, settings)
        assert not errors, errors
        if findings:
            found[rel] = findings
    return found
