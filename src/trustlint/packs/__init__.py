"""Declarative TOML rule packs: word lists and structural checks without Python.

A pack is a TOML file with a ``[pack]`` table and ``[[rule]]`` entries. Each rule has
one ``kind`` (see ``trustlint.packs.kinds``). Loading is strict: an unknown key, a value
of the wrong type, a bad regular expression or CSS selector fails with one line that
names the file and the rule's code. The built-in packs live in the repository's
``rules/`` folder and ship inside the wheel as ``trustlint/_packs``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from trustlint.errors import PackError
from trustlint.packs.schema import parse_pack

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["builtin_pack_files", "load_pack", "parse_pack"]


def _builtin_dir() -> Path | None:
    # A wheel: next to the package's modules (importlib.resources would find the same
    # folder, and cost a pre-commit run the import of zipfile).
    shipped = Path(__file__).resolve().parents[1] / "_packs"
    if shipped.is_dir():
        return shipped
    # A source checkout (editable install): the top-level rules/ folder.
    checkout = Path(__file__).resolve().parents[3] / "rules"
    return checkout if checkout.is_dir() else None


def builtin_pack_files() -> list[Path]:
    folder = _builtin_dir()
    return sorted(folder.glob("*.toml")) if folder else []


def load_pack(path: Path, *, builtin: bool = False):
    """The rules of one pack file; every problem is a one-line ``PackError``."""
    shown = f"rules/{path.name}" if builtin else str(path)
    try:
        data = _parsed(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PackError(f"{shown}: cannot read pack: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise PackError(f"{shown}: pack is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{shown}: invalid TOML: {exc}") from None
    return parse_pack(data, shown, trusted=builtin)


def _parsed(text: str) -> dict:
    """The pack's TOML, parsed; kept in ``cache.derived`` by its text between runs
    (``tomllib`` takes about 20 ms for the built-in packs, a pickle a tenth of it)."""
    from trustlint import cache

    data = text.encode("utf-8", "surrogatepass")
    return cache.kept("pack", data, lambda: tomllib.loads(text), dict)
