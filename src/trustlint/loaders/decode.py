"""Bytes to text: find the encoding a page or draft was written in, and nothing more.

The order, first hit wins:

1. a byte order mark (UTF-8, UTF-16, UTF-32), which is stripped;
2. UTF-16/32 without a BOM, recognised by where its NUL bytes sit;
3. for HTML, the encoding the page declares (``<meta charset>``, ``http-equiv``
   content type, XML declaration) in its first 4 KB, with the WHATWG upgrades
   browsers apply (``iso-8859-1`` reads as windows-1252, ``shift_jis`` as cp932...),
   and latin-1 for a declared windows-1252 that has bytes it leaves undefined;
4. strict UTF-8;
5. detection on 64 KB from the first non-ASCII line: windows-1252 when its reading
   looks like Western European prose, else charset_normalizer's candidates in order;
6. windows-1252, or latin-1 for the five bytes windows-1252 leaves undefined.

An encoding that Python does not know, or that fails on the data, falls through to
the next step. The text is never changed otherwise: CRLF, tabs and NBSPs stay.
"""

from __future__ import annotations

import codecs
import re

from trustlint.errors import InputError

# Binary sniffing and the declared encoding look at this much; detection at more.
SNIFF_SIZE = 8 * 1024
DETECT_SIZE = 64 * 1024
# Above this share of control characters, a file is not text.
MAX_CONTROL_RATIO = 0.3

# UTF-32-LE's BOM starts with UTF-16-LE's, so it is tested first.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# C0 controls other than \t \n \v \f \r and ESC, DEL, and the C1 controls.
CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
NON_ASCII = re.compile(rb"[\x80-\xff]")
CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])

# What browsers actually use for some declared labels (WHATWG Encoding Standard):
# the superset, so that pages that declare the narrow encoding still read right.
WHATWG_UPGRADES = {
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "tis-620": "cp874",
    "iso-8859-11": "cp874",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "big5": "big5hkscs",
    "iso-8859-8-i": "iso8859-8",
    "x-mac-cyrillic": "mac-cyrillic",
    "x-mac-roman": "mac-roman",
}
# Windows-1252 leaves five bytes undefined, which browsers read as latin-1 does.
LEGACY_FALLBACK = {"cp1252": "latin-1"}
# Python codecs that decode bytes but are no character set a page could be in.
NOT_CHARSETS = frozenset(
    {"idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined", "mbcs", "oem"}
)

# Western European prose in windows-1252: accented letters inside mostly-ASCII words,
# and typographic punctuation. Cyrillic, Greek or CJK bytes read as windows-1252 give
# long runs of accented letters or symbols such as '±' and '³' instead.
WESTERN_PUNCTUATION = frozenset("€„“”‘’–—…•«»‹›¡¿°§©®™£¥¢·\xa0\xad")
MAX_WESTERN_RUN = 3
MAX_WESTERN_SHARE = 0.4


def decode(data: bytes, *, is_html: bool) -> tuple[str, str]:
    """Decode ``data`` to ``(text, encoding)``; raise InputError for binary data.

    ``encoding`` is Python's codec name (``utf-8``, ``cp1252``, ``cp1251``, ``cp932``...);
    a UTF-8 byte order mark gives ``utf-8-sig``.
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            text = _try(data[len(bom) :], encoding)
            if text is not None:
                return _checked(text), "utf-8-sig" if encoding == "utf-8" else encoding
            break  # a broken BOM'd file: let the steps below judge the bytes

    head = data[:SNIFF_SIZE]
    if b"\0" in head:
        wide = _bomless_wide_encoding(head)
        text = _try(data, wide) if wide else None
        if text is None:
            raise InputError("binary file, not text")
        return _checked(text), wide
    if head and len(head) - len(head.translate(None, CONTROL_BYTES)) > MAX_CONTROL_RATIO * len(
        head
    ):
        raise InputError("binary file, not text")

    tried: set[str] = set()
    if is_html:
        for encoding in _declared_encodings(head):
            tried.add(encoding)
            text = _try(data, encoding)
            if text is not None:
                return _checked(text), encoding

    if "utf-8" not in tried:
        text = _try(data, "utf-8")
        if text is not None:
            return _checked(text), "utf-8"

    found = _detect(data, tried)
    if found is not None:
        return _checked(found[0]), found[1]

    text = _try(data, "cp1252")
    if text is not None:
        return _checked(text), "cp1252"
    return _checked(data.decode("latin-1")), "latin-1"


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _checked(text: str) -> str:
    """``text``, unless its start is mostly control characters (a binary file)."""
    head = text[:SNIFF_SIZE]
    if "\0" in head or len(CONTROL_CHARS.findall(head)) > MAX_CONTROL_RATIO * len(head):
        raise InputError("binary file, not text")
    return text


def _bomless_wide_encoding(head: bytes) -> str | None:
    """UTF-16 or UTF-32 without a BOM, told apart from binary by its NUL bytes.

    ASCII-range characters in UTF-16-LE put a NUL at every odd offset; binary files
    have NULs in runs (which decode to U+0000) or scattered over both parities.
    """
    even_nuls = head[0::2].count(0)
    odd_nuls = head[1::2].count(0)
    order = ("le", "be") if odd_nuls >= even_nuls else ("be", "le")
    for width in ("32", "16"):
        for endian in order:
            encoding = f"utf-{width}-{endian}"
            decoder = codecs.getincrementaldecoder(encoding)()
            unit = 4 if width == "32" else 2
            try:
                text = decoder.decode(head[: len(head) - len(head) % unit], final=False)
            except UnicodeDecodeError:
                continue
            if text and "\0" not in text and not CONTROL_CHARS.search(text):
                return encoding
    return None


def _declared_encodings(head: bytes) -> list[str]:
    """The codecs to try for the encoding the page declares, best first.

    w3lib reads the declaration as the WHATWG prescan does (a ``charset`` attribute,
    or ``charset=`` in a content attribute beside the http-equiv pragma; comments
    skipped; nothing after ``<body``) in the first 4 KB, and resolves the label to a
    Python codec with the browsers' upgrades. It replaced bs4's ``EncodingDetector``
    here: importing bs4 for it was a third of a one-page run.
    """
    from w3lib.encoding import html_body_declared_encoding

    label = html_body_declared_encoding(head)
    if not label:
        return []
    label = label.lower()
    # A page that is ASCII-compatible enough to be read cannot be UTF-16/32 (WHATWG).
    if label.startswith(("utf-16", "utf-32", "ucs-2", "ucs-4", "unicode")):
        return []
    names: list[str] = []
    for candidate in (WHATWG_UPGRADES.get(label), label, LEGACY_FALLBACK.get(label)):
        name = _codec_name(candidate) if candidate else None
        if name and name not in names:
            names.append(name)
    return names


def _codec_name(label: str) -> str | None:
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    # Codecs such as base64 or rot13 are bytes-to-bytes or text-to-text, not charsets.
    if not getattr(info, "_is_text_encoding", True) or info.name in NOT_CHARSETS:
        return None
    return info.name


def _detect(data: bytes, tried: set[str]) -> tuple[str, str] | None:
    """Guess from ``DETECT_SIZE`` bytes, then decode all of ``data``.

    The sample starts at the line of the first non-ASCII byte: a page whose first
    64 KB are ASCII markup would tell a detector nothing.
    """
    first = NON_ASCII.search(data)
    start = data.rfind(b"\n", 0, first.start()) + 1 if first else 0
    sample = data[start : start + DETECT_SIZE]
    if start + DETECT_SIZE < len(data):
        # Cut at a line end, so that no multi-byte character is split in two.
        cut = sample.rfind(b"\n")
        if cut > DETECT_SIZE // 2:
            sample = sample[: cut + 1]

    # Detectors misread short Western European text (as cp1250, big5, cp1006...), and
    # the languages trustlint reads are mostly Western, so windows-1252 goes first
    # when its reading is plausible.
    western = _try(sample, "cp1252")
    if western is not None and _looks_western(western):
        text = _try(data, "cp1252")
        if text is not None:
            return text, "cp1252"

    from charset_normalizer import from_bytes

    for match in from_bytes(sample):
        name = _codec_name(match.encoding)
        if name is None or name in tried:
            continue
        tried.add(name)
        text = _try(data, name)
        if text is not None:
            return text, name
    return None


def _looks_western(text: str) -> bool:
    """Whether ``text`` reads like English, German, French, Spanish... prose."""
    letters = 0
    accented = 0
    run = 0
    for char in text:
        if char.isascii():
            run = 0
            if char.isalpha():
                letters += 1
            continue
        if char.isalpha() and char != "ƒ":
            letters += 1
            accented += 1
            run += 1
            if run > MAX_WESTERN_RUN:
                return False
        elif char in WESTERN_PUNCTUATION:
            run = 0
        else:
            return False
    return accented > 0 and accented <= MAX_WESTERN_SHARE * letters
