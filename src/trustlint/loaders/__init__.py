"""Turn a file's bytes into a ``Document``: decode, pick the loader by kind."""

from __future__ import annotations

from pathlib import PurePath

from trustlint.document import Document

SUFFIX_KIND = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
}
_LOADERS: dict = {}


def kind_of(path: str, head: bytes = b"") -> str:
    """The input kind from the suffix; for other names, sniff the first bytes."""
    kind = SUFFIX_KIND.get(PurePath(path).suffix.lower())
    if kind:
        return kind
    sniff = head.lstrip()[:15].lower()
    if sniff.startswith((b"<!doctype html", b"<html", b"<?xml", b"<!--", b"<head", b"<body")):
        return "html"
    return "text"


def load_document(path: str, data: bytes, *, default_lang: str | None = None) -> Document:
    """Build the document for ``data`` read from ``path`` (raises InputError)."""
    kind = kind_of(path, data[:512])
    from trustlint.loaders.decode import decode

    text, encoding = decode(data, is_html=kind == "html")
    return document_from_text(path, text, kind, encoding=encoding, default_lang=default_lang)


def document_from_text(
    path: str, text: str, kind: str, *, encoding: str = "utf-8", default_lang: str | None = None
) -> Document:
    doc = Document(path, kind, text, encoding=encoding, default_lang=default_lang)
    loader = _loader(kind)
    doc._loader = loader
    if kind == "markdown":
        doc.front_matter = loader.front_matter(text)
    return doc


def _loader(kind: str):
    """The loader for ``kind``, imported on first use: a check of HTML pages need not
    compile the Markdown loader's twenty patterns."""
    if kind not in _LOADERS:
        if kind == "html":
            from trustlint.loaders.html import HtmlLoader as Loader
        elif kind == "markdown":
            from trustlint.loaders.markdown import MarkdownLoader as Loader
        else:
            from trustlint.loaders.text import TextLoader as Loader
        _LOADERS[kind] = Loader()
    return _LOADERS[kind]
