"""Bytes to text: BOMs, declared encodings, UTF-8, detection, binary input."""

from __future__ import annotations

import codecs
import time

import pytest

from trustlint.errors import InputError
from trustlint.loaders import decode as decode_module
from trustlint.loaders.decode import decode

# A few realistic sentences each: detectors need more than a word to go on.
RUSSIAN = (
    "Мы ценим ваше доверие и бережно относимся к персональным данным. "
    "Оформляя заказ, вы соглашаетесь с условиями доставки и возврата товара. "
    "Если у вас остались вопросы, напишите нам или позвоните в службу поддержки: "
    "мы ответим в течение одного рабочего дня.\n"
)
JAPANESE = (
    "私たちはお客様の信頼を大切にし、個人情報を慎重に取り扱います。"
    "ご注文の際には、配送と返品の条件に同意していただく必要があります。"
    "ご不明な点がございましたら、サポート窓口までお気軽にお問い合わせください。"
    "一営業日以内にご返信いたします。\n"
)
FRENCH = (
    "Nous respectons votre vie privée et protégeons vos données personnelles. "
    "En passant commande, vous acceptez nos conditions générales de vente. "
    "Pour toute question, écrivez-nous : nous répondons sous deux jours ouvrés. "
    "Le café est offert à nos clients fidèles, bien sûr.\n"
)
GERMAN = (
    "Wir schätzen Ihr Vertrauen und gehen sorgfältig mit Ihren persönlichen Daten um. "
    "Bitte wählen Sie die richtige Größe, bevor Sie die Bestellung abschließen. "
    "Rücksendungen sind innerhalb von vierzehn Tagen kostenlos möglich. "
    "Bei Fragen erreichen Sie unseren Kundendienst montags bis freitags.\n"
)
CASES = [
    pytest.param(RUSSIAN, "windows-1251", id="russian-cp1251"),
    pytest.param(JAPANESE, "shift_jis", id="japanese-shift_jis"),
    pytest.param(FRENCH, "latin-1", id="french-latin1"),
    pytest.param(GERMAN, "latin-1", id="german-latin1"),
]


def page(body: str, meta: str = "") -> str:
    return (
        "<!DOCTYPE html>\r\n<html>\r\n<head>\r\n"
        f"{meta}<title>Kontakt</title>\r\n</head>\r\n<body>\r\n"
        f"\t<p>{body}</p>\r\n</body>\r\n</html>\r\n"
    )


class TestLegacyEncodings:
    @pytest.mark.parametrize(("text", "codec"), CASES)
    def test_html_with_meta_charset(self, text, codec):
        source = page(text, f'<meta charset="{codec}">\r\n')
        decoded, _ = decode(source.encode(codec), is_html=True)
        assert decoded == source

    @pytest.mark.parametrize(("text", "codec"), CASES)
    def test_html_with_http_equiv(self, text, codec):
        meta = f'<meta http-equiv="Content-Type" content="text/html; charset={codec}">\r\n'
        source = page(text, meta)
        decoded, _ = decode(source.encode(codec), is_html=True)
        assert decoded == source

    @pytest.mark.parametrize(("text", "codec"), CASES)
    def test_html_without_meta(self, text, codec):
        source = page(text)
        decoded, _ = decode(source.encode(codec), is_html=True)
        assert decoded == source

    @pytest.mark.parametrize(("text", "codec"), CASES)
    def test_text_draft(self, text, codec):
        source = "# " + text.split(".")[0] + "\n\n" + text + "\n" + text
        decoded, _ = decode(source.encode(codec), is_html=False)
        assert decoded == source

    def test_encoding_names(self):
        assert decode(page(RUSSIAN).encode("cp1251"), is_html=True)[1] == "cp1251"
        assert decode(JAPANESE.encode("shift_jis"), is_html=False)[1] == "cp932"
        assert decode(GERMAN.encode("latin-1"), is_html=False)[1] == "cp1252"

    @pytest.mark.parametrize(
        "text", ["Größe: 42", "Le café est prêt.", "Über uns – Impressum", "Ça coûte 5 €."]
    )
    def test_short_western_text(self, text):
        # Detectors alone read these as cp1006, cp1250 or big5.
        assert decode(text.encode("cp1252"), is_html=False) == (text, "cp1252")

    def test_declared_latin1_reads_as_windows_1252(self):
        # Browsers read iso-8859-1 as windows-1252: curly quotes and the euro sign.
        source = page("„Preis“ – 5 € für Größe M", '<meta charset="iso-8859-1">')
        assert decode(source.encode("cp1252"), is_html=True) == (source, "cp1252")

    def test_xml_declaration(self):
        source = '<?xml version="1.0" encoding="windows-1251"?>\n' + page(RUSSIAN)
        assert decode(source.encode("cp1251"), is_html=True) == (source, "cp1251")

    def test_detector_sees_text_after_a_long_ascii_head(self):
        style = "<style>\n" + "p { margin: 0; padding: 0; }\n" * 4000 + "</style>\n"
        source = page(RUSSIAN * 3, style)
        assert len(style) > decode_module.DETECT_SIZE
        assert decode(source.encode("cp1251"), is_html=True) == (source, "cp1251")


class TestDeclaredEncoding:
    def test_unknown_declared_encoding_falls_through(self):
        source = page(GERMAN, '<meta charset="x-no-such-charset">')
        assert decode(source.encode("utf-8"), is_html=True) == (source, "utf-8")

    def test_wrong_declaration_falls_through(self):
        # Declared UTF-8 but saved as windows-1251: the declaration fails to decode.
        source = page(RUSSIAN, '<meta charset="utf-8">')
        assert decode(source.encode("cp1251"), is_html=True) == (source, "cp1251")

    def test_non_charset_codec_is_ignored(self):
        source = page("plain", '<meta charset="base64">')
        assert decode(source.encode(), is_html=True) == (source, "utf-8")

    def test_declared_utf16_in_ascii_page_means_utf8(self):
        source = page(FRENCH, '<meta charset="utf-16">')
        assert decode(source.encode("utf-8"), is_html=True) == (source, "utf-8")

    def test_declaration_is_ignored_for_text(self):
        source = '<meta charset="windows-1251">\n' + GERMAN
        assert decode(source.encode("utf-8"), is_html=False) == (source, "utf-8")

    def test_declaration_wins_over_utf8(self):
        # Valid as UTF-8 too, but the page says what it is.
        source = page("Ð¿Ñ€Ð¸Ð²ÐµÑ‚", '<meta charset="windows-1252">')
        assert decode(source.encode("cp1252"), is_html=True) == (source, "cp1252")


class TestUnicode:
    def test_utf8(self):
        source = page(RUSSIAN + JAPANESE + FRENCH)
        assert decode(source.encode("utf-8"), is_html=True) == (source, "utf-8")

    def test_empty(self):
        assert decode(b"", is_html=True) == ("", "utf-8")

    @pytest.mark.parametrize(
        ("bom", "codec", "name"),
        [
            (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
            (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
            (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
            (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
            (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
        ],
    )
    def test_bom_is_used_and_stripped(self, bom, codec, name):
        source = page(RUSSIAN, '<meta charset="windows-1251">')
        text, encoding = decode(bom + source.encode(codec), is_html=True)
        assert text == source  # no U+FEFF left, the meta tag ignored
        assert encoding == name

    @pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
    def test_utf16_without_bom(self, codec):
        source = page(GERMAN)
        assert decode(source.encode(codec), is_html=True) == (source, codec)

    def test_crlf_tabs_and_nbsp_are_kept(self):
        source = "a\r\n\tb\r\rc\u00a0d\n\x0ce"
        assert decode(source.encode("utf-8"), is_html=False)[0] == source
        assert decode(source.encode("utf-16"), is_html=False)[0] == source


class TestBinary:
    def test_nul_bytes(self):
        data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
        with pytest.raises(InputError) as info:
            decode(data, is_html=False)
        assert str(info.value) == "binary file, not text"

    def test_nul_after_text(self):
        with pytest.raises(InputError):
            decode(b"<p>hello</p>" + b"\x00" * 20, is_html=True)

    def test_mostly_control_characters(self):
        with pytest.raises(InputError, match="binary file, not text"):
            decode(bytes([1, 2, 3, 4, 5, 6, 7, 0x0E, 0x0F]) * 100 + b"ok", is_html=False)

    def test_a_few_control_characters_are_text(self):
        source = "Title\x07\n" + GERMAN
        assert decode(source.encode(), is_html=False)[0] == source

    def test_utf8_bom_does_not_make_binary_text(self):
        with pytest.raises(InputError):
            decode(codecs.BOM_UTF8 + b"PK\x03\x04\x00\x00\x08\x00" * 50, is_html=False)


class TestSpeed:
    def test_large_utf8_file_skips_detection(self, monkeypatch):
        import charset_normalizer

        def refuse(*args, **kwargs):
            raise AssertionError("the detector ran on valid UTF-8")

        monkeypatch.setattr(charset_normalizer, "from_bytes", refuse)
        line = "<p>" + RUSSIAN.strip() + " " + FRENCH.strip() + "</p>\r\n"
        data = ("<!doctype html>\n" + line * (50 * 1024 * 1024 // len(line.encode()))).encode()
        assert len(data) > 49 * 1024 * 1024
        start = time.perf_counter()
        text, encoding = decode(data, is_html=True)
        assert encoding == "utf-8"
        assert len(text) > 25_000_000
        assert time.perf_counter() - start < 5

    def test_large_legacy_file_detects_on_a_prefix(self, monkeypatch):
        import charset_normalizer

        seen = []
        real = charset_normalizer.from_bytes

        def spy(data, *args, **kwargs):
            seen.append(len(data))
            return real(data, *args, **kwargs)

        monkeypatch.setattr(charset_normalizer, "from_bytes", spy)
        source = (RUSSIAN * 20000).encode("cp1251")
        text, encoding = decode(source, is_html=False)
        assert encoding == "cp1251"
        assert text == RUSSIAN * 20000
        assert seen and max(seen) <= decode_module.DETECT_SIZE
