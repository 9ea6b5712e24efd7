"""``trustlint server``: the LSP server, end to end over stdio, and its helpers.

The end-to-end tests start ``python -m trustlint.server`` and speak JSON-RPC with
Content-Length framing through a small client below (no LSP client dependency).
Every wait has a timeout, and the server process is killed if a test fails.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("pygls")

from lsprotocol import types

from trustlint.model import Finding, Position, Severity, Span
from trustlint.server import (
    PositionMap,
    match_case,
    replacement_of,
    rule_docs_url,
)

TIMEOUT = 30.0  # seconds for any one answer; the first lint builds the rule registry

PACK = """\
[pack]
name = "test-plain"

[[rule]]
code = "TL990"
name = "test-utilize"
kind = "substitution"
category = "jargon"
severity = "info"
summary = "A plainer word exists"
swap.en = { 'utilize' = "use" }
"""

PRETICKED_LINE = (
    '<p>😀 Hi</p> <input type="checkbox" name="newsletter" checked> <label>Send me offers</label>'
)
HTML = f"""<!doctype html>
<html lang="en"><body>
<form action="/subscribe" method="post">
{PRETICKED_LINE}
<button>Subscribe</button>
</form>
</body></html>
"""
MARKDOWN = "---\nlang: en\n---\n# Guide\n\nYou can utilize the form. Utilize it.\n"


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class LspClient:
    """Just enough of an LSP client: framing, requests, notifications, a mailbox."""

    def __init__(self, cwd: Path) -> None:
        self.stderr = (cwd / "server-stderr.log").open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "trustlint.server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            cwd=cwd,
        )
        self.inbox: queue.Queue[dict] = queue.Queue()
        self.seen: list[dict] = []  # notifications read so far, in order
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            headers: dict[str, str] = {}
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = out.read(int(headers["content-length"]))
            self.inbox.put(json.loads(body.decode("utf-8")))

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict | None = None) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params or {}})

    def request(self, method: str, params: dict | None = None) -> object:
        self.next_id += 1
        ident = self.next_id
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        reply = self._wait(lambda m: m.get("id") == ident and "method" not in m)
        assert "error" not in reply, reply
        return reply.get("result")

    def _next(self, deadline: float) -> dict:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        message = self.inbox.get(timeout=left)
        if "method" in message and "id" in message:  # a request from the server
            self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
        elif "method" in message:
            self.seen.append(message)
        return message

    def _wait(self, match, timeout: float = TIMEOUT) -> dict:
        deadline = time.monotonic() + timeout
        try:
            while True:
                message = self._next(deadline)
                if match(message):
                    return message
        except (TimeoutError, queue.Empty):
            pytest.fail(f"no answer from the server within {timeout:g} s")

    def diagnostics(self, uri: str, version: int, timeout: float = TIMEOUT) -> list[dict]:
        """The diagnostics published for ``uri`` at ``version``."""
        message = self._wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and m["params"].get("version") == version
            ),
            timeout,
        )
        return message["params"]["diagnostics"]

    def messages(self, method: str) -> list[dict]:
        return [m["params"] for m in self.seen if m.get("method") == method]

    def drain(self, seconds: float) -> None:
        """Read whatever arrives for ``seconds``."""
        deadline = time.monotonic() + seconds
        try:
            while True:
                self._next(deadline)
        except (TimeoutError, queue.Empty):
            pass

    def open(self, uri: str, language_id: str, text: str, version: int = 1) -> None:
        self.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": uri,
                    "languageId": language_id,
                    "version": version,
                    "text": text,
                }
            },
        )

    def change(self, uri: str, text: str, version: int) -> None:
        self.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": text}],
            },
        )

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self.request("shutdown")
                self.notify("exit")
                assert self.proc.wait(timeout=10) == 0
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(timeout=10)
            self.stderr.close()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()  # the config search stops here
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "plain.toml").write_text(PACK, encoding="utf-8")
    (tmp_path / "trustlint.toml").write_text(
        'rule-paths = ["packs"]\nselect = ["TL202", "TL990"]\n', encoding="utf-8"
    )
    return tmp_path


@pytest.fixture
def client(workspace: Path):
    client = LspClient(workspace)
    try:
        result = client.request(
            "initialize",
            {
                "processId": None,
                "rootUri": workspace.as_uri(),
                "workspaceFolders": [{"uri": workspace.as_uri(), "name": "site"}],
                "capabilities": {
                    "workspace": {"workspaceEdit": {"documentChanges": True}},
                    "textDocument": {"publishDiagnostics": {"versionSupport": True}},
                },
            },
        )
        assert isinstance(result, dict)
        assert result["serverInfo"]["name"] == "trustlint"
        assert result["capabilities"]["codeActionProvider"]
        client.notify("initialized")
        yield client
    finally:
        client.close()


def test_diagnostics_follow_the_text(client: LspClient, workspace: Path) -> None:
    uri = (workspace / "signup.html").as_uri()
    client.open(uri, "html", HTML)
    diagnostics = client.diagnostics(uri, 1)
    assert [d["code"] for d in diagnostics] == ["TL202"]
    (diag,) = diagnostics
    # Line 4 (1-based) holds the box; the emoji before it is 2 UTF-16 units.
    start = PRETICKED_LINE.index("<input")
    end = PRETICKED_LINE.index(">", start) + 1
    assert diag["range"] == {
        "start": {"line": 3, "character": utf16(PRETICKED_LINE[:start])},
        "end": {"line": 3, "character": utf16(PRETICKED_LINE[:end])},
    }
    assert diag["range"]["start"]["character"] == start + 1  # not the code-point column
    assert diag["severity"] == types.DiagnosticSeverity.Warning
    assert diag["source"] == "trustlint"
    assert diag["codeDescription"]["href"] == rule_docs_url("TL202")
    assert diag["message"].startswith('consent box "Send me offers" ships ticked\n')

    # The quick fix that silences the rule for that line.
    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": diag["range"],
            "context": {"diagnostics": [diag]},
        },
    )
    assert isinstance(actions, list)
    (disable,) = [a for a in actions if a["title"] == "Disable TL202 for this line"]
    (change,) = disable["edit"]["documentChanges"]
    assert change["textDocument"] == {"uri": uri, "version": 1}
    (edit,) = change["edits"]
    assert edit["range"]["start"] == edit["range"]["end"] == {"line": 3, "character": 0}
    assert edit["newText"] == "<!-- trustlint-disable-next-line TL202 -->\n"

    # Unticking the box (debounced) clears the diagnostics.
    client.change(uri, HTML.replace(" checked>", ">"), 2)
    assert client.diagnostics(uri, 2) == []

    # Ticked again but suppressed by the quick fix's comment: still nothing.
    lines = HTML.splitlines(keepends=True)
    lines.insert(3, edit["newText"])
    client.change(uri, "".join(lines), 3)
    assert client.diagnostics(uri, 3) == []

    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    message = client._wait(
        lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
    )
    assert message["params"]["diagnostics"] == []
    assert not client.messages("window/showMessage")


def test_substitution_quick_fix(client: LspClient, workspace: Path) -> None:
    (workspace / "docs").mkdir()
    uri = (workspace / "docs" / "guide.md").as_uri()
    client.open(uri, "markdown", MARKDOWN, version=7)
    diagnostics = client.diagnostics(uri, 7)
    assert [d["code"] for d in diagnostics] == ["TL990", "TL990"]
    first, second = diagnostics
    line = MARKDOWN.splitlines()[5]
    at = line.index("utilize")
    assert first["range"] == {
        "start": {"line": 5, "character": at},
        "end": {"line": 5, "character": at + len("utilize")},
    }
    assert first["severity"] == types.DiagnosticSeverity.Information

    def fixes(diag: dict) -> list[dict]:
        actions = client.request(
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": diag["range"],
                "context": {"diagnostics": [diag], "only": ["quickfix"]},
            },
        )
        assert isinstance(actions, list)
        return actions

    actions = fixes(first)
    replace = [a for a in actions if a["title"].startswith("Replace with")]
    assert len(replace) == 1
    assert replace[0]["kind"] == "quickfix"
    assert replace[0]["isPreferred"] is True
    (change,) = replace[0]["edit"]["documentChanges"]
    assert change["textDocument"] == {"uri": uri, "version": 7}
    assert change["edits"] == [{"range": first["range"], "newText": "use"}]
    assert any(a["title"] == "Disable TL990 for this line" for a in actions)

    # At the start of a sentence the replacement keeps the capital.
    (replace,) = [a for a in fixes(second) if a["title"].startswith("Replace with")]
    (change,) = replace["edit"]["documentChanges"]
    assert change["edits"][0]["newText"] == "Use"

    # Other kinds of action were asked for: none of ours.
    none = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": first["range"],
            "context": {"diagnostics": [first], "only": ["source.organizeImports"]},
        },
    )
    assert not none


def test_config_error_is_shown_once(client: LspClient, workspace: Path) -> None:
    (workspace / "trustlint.toml").write_text('select = ["TL202"\n', encoding="utf-8")
    uri = (workspace / "page.html").as_uri()
    client.open(uri, "html", HTML)
    assert client.diagnostics(uri, 1) == []
    client.change(uri, HTML + "\n", 2)
    assert client.diagnostics(uri, 2) == []
    shown = client.messages("window/showMessage")
    assert len(shown) == 1
    assert shown[0]["type"] == types.MessageType.Error
    assert "trustlint.toml" in shown[0]["message"]

    # Fixed config: linting resumes without a restart.
    (workspace / "trustlint.toml").write_text('select = ["TL202"]\n', encoding="utf-8")
    client.change(uri, HTML, 3)
    assert [d["code"] for d in client.diagnostics(uri, 3)] == ["TL202"]


# -- helpers -------------------------------------------------------------------------


def test_positions_count_utf16_units() -> None:
    text = "a😀b\r\nx\ty😀z\rend"
    positions = PositionMap(text)
    assert positions.to_lsp(Position(1, 3)) == types.Position(line=0, character=3)
    assert positions.to_lsp(Position(2, 5)) == types.Position(line=1, character=5)
    assert positions.to_lsp(Position(3, 1)) == types.Position(line=2, character=0)
    utf8 = PositionMap(text, types.PositionEncodingKind.Utf8)
    assert utf8.to_lsp(Position(1, 3)) == types.Position(line=0, character=5)
    utf32 = PositionMap(text, types.PositionEncodingKind.Utf32)
    assert utf32.to_lsp(Position(2, 5)) == types.Position(line=1, character=4)


def test_match_case() -> None:
    assert match_case("use", "utilize") == "use"
    assert match_case("use", "Utilize") == "Use"
    assert match_case("use", "UTILIZE") == "USE"
    assert match_case("GDPR", "gdpr") == "GDPR"


def _finding(suggestion: str | None, message: str = "m") -> Finding:
    return Finding(
        path="a.md",
        code="TL990",
        name="n",
        category="jargon",
        severity=Severity.INFO,
        message=message,
        span=Span(0, 1),
        start=Position(1, 1),
        end=Position(1, 2),
        suggestion=suggestion,
    )


def test_replacement_only_for_substitution_rules() -> None:
    from trustlint.packs.schema import parse_pack

    (rule,) = parse_pack(
        {
            "pack": {"name": "t"},
            "rule": [
                {
                    "code": "TL990",
                    "name": "test-utilize",
                    "kind": "substitution",
                    "category": "jargon",
                    "summary": "s",
                    "swap": {"en": {"utilize": "use"}},
                }
            ],
        },
        "t.toml",
    )
    assert replacement_of(_finding("Write `use`"), rule) == "use"
    assert replacement_of(_finding("Reword", "`utilize`: write `use`"), rule) == "use"
    assert replacement_of(_finding("Reword"), rule) is None
    assert replacement_of(_finding("Write `use`"), None) is None
