"""``trustlint server``: a Language Server Protocol server over stdio (pygls).

Editors send the text they hold; the server lints it with the same pipeline and
configuration as ``trustlint check`` and answers with diagnostics and quick fixes.

- Text sync is *full* (the client sends the whole text on each change): pygls splits
  lines on more characters than LSP does (form feed, U+2028, ...), so applying
  incremental edits itself could drift; trustlint's documents are small.
- ``didOpen`` and ``didSave`` lint at once, ``didChange`` after ``DEBOUNCE`` seconds of
  quiet, ``didClose`` clears the file's diagnostics. Linting runs in one worker thread,
  so the server keeps answering while a page is checked; a result for an outdated
  version of the text is dropped.
- Settings are resolved as in ``trustlint check``: the nearest config file above the
  file (``trustlint.job.prepare``), cached per config file and rebuilt when the config
  file or a pack file under its ``rule-paths`` changes. A config or pack error is shown
  once with ``window/showMessage`` (until it changes) and the file gets no diagnostics.
- Positions: trustlint counts 1-based lines and code-point columns; LSP counts 0-based
  lines and, by default, UTF-16 code units (or the encoding negotiated at initialize).
- Quick fixes: substitution rules (pack kind ``substitution``) offer to replace the
  match with the replacement; every finding in HTML or Markdown offers a
  ``trustlint-disable-next-line`` comment above its line.

The replacement of a substitution finding is read from ``Finding.replacement`` when
the model has such a field, else parsed from the default suggestion ``Write `X```
(or the default message ``\\`match\\`: write \\`X\\```). A pack that rewords both its
suggestion and its message gets no replacement quick fix.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from trustlint import __version__
from trustlint.document import LineIndex
from trustlint.errors import TrustlintError
from trustlint.model import FileError, Finding, Position, Severity

log = logging.getLogger(__name__)

DEBOUNCE = 0.3  # seconds of quiet after a change before the text is linted
SOURCE = "trustlint"
DOCS_URL = "https://github.com/trustlint/trustlint/blob/main/docs/rules.md#{anchor}"
# What editors call the languages trustlint reads (LSP languageId -> input kind).
LANGUAGE_KINDS = {
    "html": "html",
    "xhtml": "html",
    "markdown": "markdown",
    "mdx": "markdown",
    "plaintext": "text",
    "text": "text",
}
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
# The default suggestion and message of a substitution rule (trustlint.packs.kinds).
WRITE_SUGGESTION = re.compile(r"\AWrite `(?P<replacement>.*)`\Z", re.S)
WRITE_MESSAGE = re.compile(r"\A`.*`: write `(?P<replacement>.*)`\Z", re.S)


# -- positions ---------------------------------------------------------------------


def _units(text: str, encoding: str) -> int:
    """The length of ``text`` in the code units of a position encoding."""
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class PositionMap:
    """trustlint positions (1-based line, code-point column) to LSP positions.

    LSP lines are 0-based and break after ``\\n``, ``\\r\\n`` and ``\\r``, as
    trustlint's ``LineIndex`` does; characters count code units of ``encoding``
    (UTF-16 unless the client negotiated another).
    """

    def __init__(self, text: str, encoding: str = types.PositionEncodingKind.Utf16) -> None:
        self.lines = LineIndex(text)
        self.encoding = encoding

    def to_lsp(self, pos: Position) -> types.Position:
        line = max(1, min(pos.line, self.lines.line_count))
        text = self.lines.line_text(line)
        return types.Position(
            line=line - 1, character=_units(text[: pos.column - 1], self.encoding)
        )

    def range(self, start: Position, end: Position) -> types.Range:
        return types.Range(start=self.to_lsp(start), end=self.to_lsp(end))

    def line_text(self, line0: int) -> str:
        return self.lines.line_text(line0 + 1)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


# -- settings ----------------------------------------------------------------------


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


@dataclass
class Resolved:
    settings: Any  # trustlint.engine.Settings
    root: Path | None  # the config file's folder
    deps: dict[Path, int | None] = field(default_factory=dict)  # file -> mtime when read

    def fresh(self) -> bool:
        return all(_mtime(p) == m for p, m in self.deps.items())


class SettingsCache:
    """``Settings`` per config file, as ``trustlint check`` would resolve them."""

    def __init__(self) -> None:
        self._entries: dict[Path | None, Resolved] = {}

    def clear(self) -> None:
        self._entries.clear()

    def resolve(self, anchor: Path) -> Resolved:
        """The settings for files in folder ``anchor`` (raises ``TrustlintError``)."""
        from trustlint.config import find_config

        found = find_config(anchor)
        key = found.resolve() if found is not None else None
        entry = self._entries.get(key)
        if entry is not None and entry.fresh():
            return entry
        self._entries.pop(key, None)
        entry = self._build(key)
        self._entries[key] = entry
        return entry

    def _build(self, config_path: Path | None) -> Resolved:
        from trustlint.config import load_config
        from trustlint.job import prepare

        deps: dict[Path, int | None] = {}
        root = None
        if config_path is not None:
            deps[config_path] = _mtime(config_path)
            config = load_config(config_path)
            root = config.root
            for rule_path in config.rule_paths:
                deps[rule_path] = _mtime(rule_path)  # a folder's mtime: packs added or removed
                if rule_path.is_dir():
                    deps.update((p, _mtime(p)) for p in sorted(rule_path.glob("*.toml")))
        job = prepare([], config_path=config_path, isolated=config_path is None, use_cache=False)
        return Resolved(job.settings, root, deps)


# -- fixes -------------------------------------------------------------------------


def _is_substitution(rule: Any) -> bool:
    """A rule built by a TOML pack of kind ``substitution``.

    Packs do not record their kind on the rule, so this looks for the check function
    of ``trustlint.packs.kinds.build_substitution`` through the wrappers around it.
    """
    if not str(getattr(getattr(rule, "meta", None), "origin", "")).startswith("pack:"):
        return False
    todo, seen = [getattr(rule, "check", None)], 0
    while todo and seen < 8:
        fn = todo.pop()
        seen += 1
        if getattr(fn, "__qualname__", "").startswith("build_substitution."):
            return True
        for cell in getattr(fn, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            if callable(value) and hasattr(value, "__closure__"):
                todo.append(value)
    return False


def replacement_of(finding: Finding, rule: Any) -> str | None:
    """The replacement a substitution finding proposes, or None."""
    structured = getattr(finding, "replacement", None)
    if structured is not None:
        return structured
    if rule is None or not _is_substitution(rule):
        return None
    for pattern, text in ((WRITE_SUGGESTION, finding.suggestion), (WRITE_MESSAGE, finding.message)):
        m = pattern.match(text or "")
        if m:
            return m.group("replacement")
    return None


def match_case(replacement: str, matched: str) -> str:
    """``replacement`` in the case of ``matched`` (patterns ignore case by default)."""
    letters = [c for c in matched if c.isalpha()]
    if not letters or replacement != replacement.lower():
        return replacement  # a replacement with capitals of its own is kept as written
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    if letters[0].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


@dataclass
class Entry:
    """One published diagnostic and what its quick fixes need."""

    diagnostic: types.Diagnostic
    code: str
    replacement: str | None = None


@dataclass
class Published:
    version: int | None
    kind: str
    entries: list[Entry]
    eol: str = "\n"


# -- the server --------------------------------------------------------------------


class TrustlintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "trustlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full
        )
        self.debounce = DEBOUNCE
        self.settings_cache = SettingsCache()
        self.published: dict[str, Published] = {}
        self.pending: dict[str, asyncio.Task] = {}
        self.shown: set[str] = set()  # messages already shown with window/showMessage
        # One worker: rules and their caches are not meant to run concurrently.
        self.linter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="trustlint-lint")

    def document(self, uri: str):
        """The open document at ``uri``, or None (pygls keys them by unquoted URI)."""
        return self.workspace.text_documents.get(unquote(uri))

    # -- scheduling

    def schedule(self, uri: str, delay: float) -> None:
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()
        self.pending[uri] = asyncio.ensure_future(self._lint_later(uri, delay))

    def forget(self, uri: str) -> None:
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()
        self.published.pop(uri, None)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    async def _lint_later(self, uri: str, delay: float) -> None:
        try:
            if delay > 0:
                await asyncio.sleep(delay)
            doc = self.document(uri)
            if doc is None:
                return
            version, text = doc.version, doc.source
            path = to_fs_path(uri) if uri.startswith("file:") else None
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(
                self.linter, self.lint, uri, path, text, doc.language_id
            )
            current = self.document(uri)
            if current is None or current.version != version:
                return  # closed or changed meanwhile: a newer lint is on its way
            self.publish(uri, version, result)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the server must outlive any one file
            log.exception("linting %s failed", uri)
            self.show(types.MessageType.Error, f"trustlint: linting failed: {exc}")
        finally:
            if self.pending.get(uri) is asyncio.current_task():
                del self.pending[uri]

    # -- linting (worker thread)

    def _anchor(self, path: str | None) -> Path:
        if path is not None:
            return Path(path).parent
        for folder in self.workspace.folders.values():
            folder_path = to_fs_path(folder.uri)
            if folder_path:
                return Path(folder_path)
        root = self.workspace.root_path
        return Path(root) if root else Path.cwd()

    def lint(
        self, uri: str, path: str | None, text: str, language_id: str | None
    ) -> tuple[str, list[Finding], dict[str, Any], list[FileError]] | str:
        """(kind, findings, rule by code, file errors), or the error that stopped it."""
        from trustlint.loaders import kind_of
        from trustlint.runner import lint_one

        try:
            resolved = self.settings_cache.resolve(self._anchor(path))
        except TrustlintError as exc:
            return str(exc)
        display = self._display(uri, path, resolved.root)
        kind = self._kind(display, text, language_id, kind_of)
        findings, errors = lint_one(display, text, resolved.settings, kind)
        return kind, findings, dict(resolved.settings.registry), errors

    @staticmethod
    def _display(uri: str, path: str | None, root: Path | None) -> str:
        """The path rules and per-file-ignores see: relative to the config's folder."""
        if path is None:
            return uri.rsplit("/", 1)[-1] or "untitled"
        base = root if root is not None else Path.cwd()
        try:
            rel = os.path.relpath(path, base)
        except ValueError:
            return Path(path).as_posix()
        return Path(path).as_posix() if rel.startswith("..") else Path(rel).as_posix()

    @staticmethod
    def _kind(display: str, text: str, language_id: str | None, kind_of) -> str:
        from trustlint.loaders import SUFFIX_KIND

        if Path(display).suffix.lower() in SUFFIX_KIND:
            return kind_of(display)
        if language_id in LANGUAGE_KINDS:
            return LANGUAGE_KINDS[language_id]
        return kind_of(display, text[:512].encode("utf-8", "surrogatepass"))

    # -- publishing

    def publish(self, uri: str, version: int | None, result) -> None:
        if isinstance(result, str):  # a config or pack error
            self.show(types.MessageType.Error, f"trustlint: {result}")
            self.published.pop(uri, None)
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=[])
            )
            return
        kind, findings, registry, errors = result
        for error in errors:  # unreadable input, or a rule that crashed on this text
            level = types.MessageType.Error if error.crash else types.MessageType.Warning
            self.show(level, f"trustlint: {error.path}: {error.message}")
        doc = self.document(uri)
        if doc is None:
            return
        text = doc.source
        positions = PositionMap(text, self.workspace.position_encoding or "utf-16")
        entries = [self._entry(f, positions, registry.get(f.code), text) for f in findings]
        eol = "\r\n" if "\r\n" in text else "\r" if "\r" in text and "\n" not in text else "\n"
        self.published[uri] = Published(version, kind, entries, eol)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, version=version, diagnostics=[e.diagnostic for e in entries]
            )
        )

    @staticmethod
    def _entry(finding: Finding, positions: PositionMap, rule: Any, text: str) -> Entry:
        message = finding.message
        if finding.suggestion:
            message = f"{message}\n{finding.suggestion}"
        diagnostic = types.Diagnostic(
            range=positions.range(finding.start, finding.end),
            severity=SEVERITIES.get(finding.severity, types.DiagnosticSeverity.Warning),
            code=finding.code,
            code_description=types.CodeDescription(href=rule_docs_url(finding.code)),
            source=SOURCE,
            message=message,
            data={"name": finding.name, "category": finding.category},
        )
        replacement = replacement_of(finding, rule)
        if replacement is not None:
            replacement = match_case(replacement, text[finding.span.start : finding.span.end])
        return Entry(diagnostic, finding.code, replacement)

    def show(self, level: types.MessageType, message: str) -> None:
        """``window/showMessage`` once per distinct message; every time to the log."""
        self.window_log_message(types.LogMessageParams(type=level, message=message))
        if message not in self.shown:
            self.shown.add(message)
            self.window_show_message(types.ShowMessageParams(type=level, message=message))

    # -- code actions

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        only = params.context.only
        if only and not any(k in ("", types.CodeActionKind.QuickFix) for k in only):
            return []  # the client asked for other kinds (source actions, refactorings)
        uri = params.text_document.uri
        published = self.published.get(uri)
        doc = self.document(uri)
        if published is None or doc is None or doc.version != published.version:
            return []  # the text moved on since the last lint: ranges may be stale
        wanted = [
            (d.code, d.range) for d in params.context.diagnostics if d.source in (None, SOURCE)
        ]
        actions: list[types.CodeAction] = []
        disabled: set[tuple[str, int]] = set()
        positions = PositionMap(doc.source, self.workspace.position_encoding or "utf-16")
        for entry in published.entries:
            diag = entry.diagnostic
            if not _overlaps(diag.range, params.range) and (diag.code, diag.range) not in wanted:
                continue
            if entry.replacement is not None:
                actions.append(
                    types.CodeAction(
                        title=f"Replace with '{entry.replacement}' ({entry.code})",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diag],
                        is_preferred=True,
                        edit=self._edit(
                            uri,
                            published.version,
                            [types.TextEdit(range=diag.range, new_text=entry.replacement)],
                        ),
                    )
                )
            line = diag.range.start.line
            if published.kind in ("html", "markdown") and (entry.code, line) not in disabled:
                disabled.add((entry.code, line))
                current = positions.line_text(line)
                indent = current[: len(current) - len(current.lstrip())]
                comment = f"{indent}<!-- trustlint-disable-next-line {entry.code} -->"
                at = types.Position(line=line, character=0)
                actions.append(
                    types.CodeAction(
                        title=f"Disable {entry.code} for this line",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diag],
                        edit=self._edit(
                            uri,
                            published.version,
                            [
                                types.TextEdit(
                                    range=types.Range(start=at, end=at),
                                    new_text=comment + published.eol,
                                )
                            ],
                        ),
                    )
                )
        return actions

    def _edit(
        self, uri: str, version: int | None, edits: list[types.TextEdit]
    ) -> types.WorkspaceEdit:
        caps = self.client_capabilities
        versioned = bool(
            caps.workspace
            and caps.workspace.workspace_edit
            and caps.workspace.workspace_edit.document_changes
        )
        if versioned:  # the client refuses the edit if the text changed meanwhile
            return types.WorkspaceEdit(
                document_changes=[
                    types.TextDocumentEdit(
                        text_document=types.OptionalVersionedTextDocumentIdentifier(
                            uri=uri, version=version
                        ),
                        edits=edits,
                    )
                ]
            )
        return types.WorkspaceEdit(changes={uri: edits})


def rule_docs_url(code: str) -> str:
    """Where a rule's documentation lives: its section of docs/rules.md."""
    return DOCS_URL.format(anchor=code.lower())


def create_server() -> TrustlintServer:
    server = TrustlintServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: TrustlintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: TrustlintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    async def did_save(ls: TrustlintServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls: TrustlintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls: TrustlintServer, params: types.CodeActionParams):
        return ls.code_actions(params) or None

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(
        ls: TrustlintServer, params: types.DidChangeConfigurationParams
    ) -> None:
        ls.settings_cache.clear()  # reread config files on the next lint

    return server


def serve() -> None:
    """Run the server on stdin/stdout until the client says exit."""
    import sys

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print() must not corrupt the protocol stream
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    create_server().start_io(stdin, stdout)


if __name__ == "__main__":
    serve()
