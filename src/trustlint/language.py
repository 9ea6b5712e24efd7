"""Which natural language each prose block is written in.

Order: the markup's own declaration (nearest ``lang`` attribute, Markdown front
matter ``lang:``), then ``--lang`` or config ``lang``, then a statistical detector
(py3langid, loaded only when some text carries no language at all).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trustlint.document import Block

# The detector chooses among these: our nine, and the languages most often met
# beside them, so that a Polish or Japanese page is not forced into one of ours.
# fmt: off
DETECTABLE = [
    "en", "de", "es", "it", "ru", "id", "fr", "pt", "nl", "pl", "uk", "tr", "sv", "da",
    "no", "cs", "ja", "zh", "ko", "ar", "ro", "hu", "fi", "el", "he",
]
# fmt: on
# A block this long is detected on its own; shorter ones take the page's language.
MIN_WORDS_FOR_BLOCK = 8
MIN_CONFIDENCE = 0.9
_LANG_TAG = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")


def normalize_lang(value: str | None) -> str | None:
    """'de-DE' -> 'de', 'pt_BR' -> 'pt', '' -> None."""
    if not value:
        return None
    m = _LANG_TAG.match(value)
    if not m:
        return None
    code = m.group(1).lower()
    return {"in": "id", "iw": "he", "ji": "yi", "nb": "no", "nn": "no"}.get(code, code)


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(DETECTABLE)
    # Every detection walks these two tables of the tokenizer. As lists they hold some
    # 200,000 int objects whose reference counts each worker process wrote, so copying
    # the memory it shared with its parent (7 MB per worker). An array holds plain
    # numbers, read without writing; the walk gives the same counts.
    for name in ("_rowbase", "tk_output"):
        table = getattr(identifier, name, None)
        if isinstance(table, list):
            setattr(identifier, name, array("q", table))
    return identifier


def load_model() -> None:
    """Load the language model now: a process about to fork shares it with its workers."""
    _identifier()


def detect(text: str) -> tuple[str | None, float]:
    """The most likely language of ``text`` and the detector's confidence."""
    if not re.search(r"\w\w", text):
        return None, 0.0
    lang, prob = _identifier().classify(text[:5000])
    return ("id" if lang == "ms" else lang), float(prob)


@lru_cache(maxsize=2048)  # footers and menus repeat on every page of a site
def _detect_block(text: str) -> tuple[str | None, float]:
    return detect(text)


def assign_languages(blocks: Sequence[Block], default: str | None) -> None:
    default = normalize_lang(default)
    unlabelled = []
    for block in blocks:
        declared = normalize_lang(block.lang_attr)
        if declared:
            block.lang = declared
        elif default:
            block.lang = default
        else:
            unlabelled.append(block)
    if not unlabelled:
        return
    page_lang, _ = detect(" ".join(b.text for b in unlabelled)[:5000])
    for block in unlabelled:
        block.lang = page_lang
        if len(block.text.split()) >= MIN_WORDS_FOR_BLOCK:
            lang, prob = _detect_block(block.text)
            if lang and prob >= MIN_CONFIDENCE:
                block.lang = lang
