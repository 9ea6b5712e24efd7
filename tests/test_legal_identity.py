"""TL304 legal-identity-missing: only a jurisdiction profile makes it speak.

The caret fixtures run without profiles, so this rule is tested here: page level with
the api's ``jurisdictions=``, site mode in-process, and once through the command line
with ``jurisdictions`` in ``trustlint.toml``.
"""

from __future__ import annotations

import json

import pytest

from test_cli import out, run
from test_site_transparency import REGISTRY, lint_site, messages, page
from trustlint.api import lint_text
from trustlint.model import Severity
from trustlint.rules.transparency.legal_identity_missing import piva_ok


def tl304(html: str, *jurisdictions: str, path: str = "page.html") -> list[str]:
    found = lint_text(
        html, path=path, select=["TL304"], registry=REGISTRY, jurisdictions=jurisdictions
    )
    assert all(f.severity == Severity.ERROR for f in found)
    return [f.message for f in found]


BARE = page({"shop.html": "Shop", "blog.html": "Blog"})


def test_silent_without_a_profile():
    assert tl304(BARE) == []
    assert tl304(BARE, "eu", "us", "uk") == []


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ("de", "no link to an Impressum on this page (§ 5 DDG)"),
        ("es", "no link to an Aviso legal on this page (LSSI art. 10)"),
        ("fr", "no link to Mentions légales on this page (LCEN art. 6-III)"),
        ("ru", "no link to the seller's details (ИНН, ОГРН) on this page"),
        ("id", "no link to the seller's identity (PT/CV name and address) on this page"),
    ],
)
def test_page_without_legal_link(profile, message):
    assert tl304(BARE, profile)[0].startswith(message)


@pytest.mark.parametrize(
    ("profile", "nav", "lang"),
    [
        ("de", {"/impressum": "Impressum"}, "de"),
        ("de", {"/legal": "Anbieterkennzeichnung"}, "de"),
        ("de", {"/info": "Kontakt & Impressum"}, "de"),
        ("de", {"/x": "Kontakt"}, "de"),  # BGH I ZR 228/03: "Kontakt" leads there too
        ("de", {"/impressum.html": "Rechtliches"}, "de"),  # by the page's name
        ("de", {"/legal-notice": "Legal notice"}, "en"),
        ("de", {"/imprint": "Imprint"}, "en"),
        ("es", {"/aviso-legal": "Aviso legal"}, "es"),
        ("es", {"/legal": "Avisos legales"}, "es"),
        ("es", {"/legal": "Información legal"}, "es"),
        ("es", {"/legal": "Nota legal"}, "es"),
        ("fr", {"/mentions-legales": "Mentions légales"}, "fr"),
        ("fr", {"/legal": "Informations légales"}, "fr"),
        ("ru", {"/requisites": "Реквизиты"}, "ru"),
        ("ru", {"/imprint": "Выходные данные"}, "ru"),
        ("ru", {"/seller": "Информация о продавце"}, "ru"),
        ("ru", {"/company": "О компании"}, "ru"),
        ("ru", {"/contacts": "Контакты"}, "ru"),
        ("id", {"/tentang": "Tentang Kami"}, "id"),
        ("id", {"/hubungi": "Hubungi Kami"}, "id"),
        ("id", {"/kontak": "Kontak"}, "id"),
        ("id", {"/profil": "Profil Perusahaan"}, "id"),
    ],
)
def test_page_with_legal_link(profile, nav, lang):
    assert tl304(page(nav, lang=lang), profile) == []


@pytest.mark.parametrize(
    ("profile", "body"),
    [
        ("de", "<h2>Impressum</h2><p>Lindenhof GmbH, Werkhofstraße 14, 10997 Berlin</p>"),
        ("es", "<p>Lindenhof S.L. · NIF: B12345674 · Calle Mayor 1, Madrid</p>"),
        ("es", "<p>Autónomo: Ana Ruiz, N.I.F. 12345678Z</p>"),
        ("fr", "<p>Lindenhof SAS, SIRET : 123 456 789 00012</p>"),
        ("fr", "<p>RCS Paris B 123 456 789</p>"),
        ("ru", "<p>ООО «Линденхоф», ИНН 7701234567, ОГРН 1027700123456</p>"),
        ("ru", "<p>ИП Иванов, ОГРНИП: 304770000123456</p>"),
        ("id", "<p>PT Lindenhof Indonesia, Jl. Sudirman No. 5, Jakarta</p>"),
        ("id", "<p>CV Maju Jaya — Jalan Merdeka 10, Bandung</p>"),
    ],
)
def test_details_on_the_page(profile, body):
    assert tl304(page({}, body), profile) == []


def test_imprint_page_itself():
    assert tl304(page({}, "<h1>Impressum</h1>", lang="de"), "de") == []
    assert tl304(page({}), "de", path="de/impressum.html") == []


# --- Italy: the Partita IVA on the home page ----------------------------------------------


@pytest.mark.parametrize("number", ["01234567897", "12345678903", "10000000009"])
def test_piva_checksum_ok(number):
    assert piva_ok(number)


@pytest.mark.parametrize("number", ["01234567890", "12345678901", "00000000000", "1234"])
def test_piva_checksum_wrong(number):
    assert not piva_ok(number)


@pytest.mark.parametrize(
    "footer",
    [
        "P.IVA 01234567897",
        "P. IVA: IT01234567897",
        "Partita IVA n. 01234567897",
        "C.F. e P.IVA 01234567897",
        "VAT number: IT 01234567897",
        "Lindenhof S.r.l. – IT01234567897",
    ],
)
def test_piva_on_home_page(footer):
    assert tl304(page({}, footer=footer, lang="it"), "it", path="index.html") == []


def test_piva_missing_or_wrong():
    home = page({"/chi-siamo": "Chi siamo"}, lang="it")
    assert tl304(home, "it", path="index.html") == [
        "the home page shows no Partita IVA (DPR 633/1972 art. 35)"
    ]
    wrong = page({}, footer="P.IVA 01234567890", lang="it")
    found = lint_text(
        wrong, path="index.html", select=["TL304"], registry=REGISTRY, jurisdictions=["it"]
    )
    assert [f.message for f in found] == [
        "the Partita IVA 01234567890 has a wrong check digit (DPR 633/1972 art. 35)"
    ]
    assert wrong[found[0].span.start : found[0].span.end] == "01234567890"
    # Only the home page is judged.
    assert tl304(home, "it", path="prodotti.html") == []


# --- site mode ---------------------------------------------------------------------------


def test_site_impressum_within_two_clicks(tmp_path):
    pages = {
        "index.html": page({"kontakt.html": "Kontakt", "shop/index.html": "Shop"}, lang="de"),
        "kontakt.html": page({"rechtliches/impressum.html": "Impressum"}, lang="de"),
        "rechtliches/impressum.html": page({}, "<h1>Impressum</h1>", lang="de"),
        "shop/index.html": page({"a.html": "Artikel"}, lang="de"),
        "shop/a.html": page({"b.html": "Mehr"}, lang="de"),
        "shop/b.html": page({"../index.html": "Start"}, lang="de"),
    }
    found = messages(lint_site(tmp_path, pages, ["TL304"], ("de",)))
    # index -> kontakt -> impressum: 2 clicks; shop/b -> index -> kontakt -> impressum: 3.
    assert found == {
        "shop/index.html": ["5 clicks to an Impressum (§ 5 DDG; at most 2 clicks)"],
        "shop/a.html": ["4 clicks to an Impressum (§ 5 DDG; at most 2 clicks)"],
        "shop/b.html": ["3 clicks to an Impressum (§ 5 DDG; at most 2 clicks)"],
    }
    found = lint_site(tmp_path, pages, ["TL304"], ("de",), {"TL304": {"max_clicks": 5}})
    assert found == {}
    assert lint_site(tmp_path, pages, ["TL304"]) == {}


def test_site_without_imprint_and_absolute_links(tmp_path):
    pages = {
        "index.html": page({"about.html": "Über uns"}, lang="de"),
        "about.html": page({"index.html": "Start"}, lang="de"),
    }
    found = messages(lint_site(tmp_path, pages, ["TL304"], ("de",)))
    assert found["index.html"] == [
        "no page of the site leads to an Impressum (§ 5 DDG; at most 2 clicks)"
    ]
    # A link to the site's own absolute address cannot be followed: one click.
    pages["about.html"] = page({"https://lindenhof.example/impressum": "Impressum"}, lang="de")
    assert lint_site(tmp_path, pages, ["TL304"], ("de",)) == {}


def test_site_italy_home_page_only(tmp_path):
    pages = {
        "index.html": page({"chi-siamo.html": "Chi siamo"}, lang="it"),
        "chi-siamo.html": page({}, footer="P.IVA 01234567897", lang="it"),
    }
    found = messages(lint_site(tmp_path, pages, ["TL304"], ("it",)))
    assert found == {"index.html": ["the home page shows no Partita IVA (DPR 633/1972 art. 35)"]}


def test_cli_with_trustlint_toml(tmp_path):
    (tmp_path / "index.html").write_text(page({"agb.html": "AGB"}, lang="de"), encoding="utf-8")
    (tmp_path / "agb.html").write_text(page({"index.html": "Start"}, lang="de"), "utf-8")
    args = ("check", "--select", "TL304", "--format", "json", "--no-cache", ".")
    assert json.loads(out(run(*args, cwd=tmp_path))) == []
    (tmp_path / "trustlint.toml").write_text('jurisdictions = ["de"]\n', encoding="utf-8")
    found = json.loads(out(run(*args, cwd=tmp_path)))
    assert sorted(f["path"] for f in found) == ["agb.html", "index.html"]
    assert {f["severity"] for f in found} == {"error"}
