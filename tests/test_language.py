"""The language detector that trustlint wraps around py3langid."""

from __future__ import annotations

from array import array

import pytest

from trustlint import language

SAMPLES = {
    "en": "We may share your data with trusted partners to improve our services.",
    "de": "Wir geben Ihre Daten an vertrauenswürdige Partner weiter, um den Service zu verbessern.",
    "es": "Podemos compartir sus datos con socios de confianza para mejorar nuestros servicios.",
    "it": "Possiamo condividere i tuoi dati con partner fidati per migliorare i nostri servizi.",
    "ru": "Мы можем передавать ваши данные надёжным партнёрам, чтобы улучшить наши услуги.",
    "id": "Kami dapat membagikan data Anda kepada mitra tepercaya untuk meningkatkan layanan kami.",
    "fr": "Nous pouvons partager vos données avec des partenaires de confiance pour nos services.",
    "pt": "Podemos partilhar os seus dados com parceiros de confiança para melhorar os serviços.",
    "nl": "Wij kunnen uw gegevens delen met vertrouwde partners om onze diensten te verbeteren.",
}


def test_tokenizer_tables_are_arrays_that_detect_as_the_lists_did():
    """The tables are arrays (workers then read them without copying shared memory),
    and every score is what py3langid's own lists give."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ours = language._identifier()
    plain = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    plain.set_languages(language.DETECTABLE)
    for name in ("_rowbase", "tk_output"):
        if isinstance(getattr(plain, name, None), list):
            assert isinstance(getattr(ours, name), array)
            assert list(getattr(ours, name)) == getattr(plain, name)
    for text in [*SAMPLES.values(), "", "1234", "ok"]:
        assert ours.classify(text) == plain.classify(text)


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_detect_names_the_language(lang):
    assert language.detect(SAMPLES[lang])[0] == lang
