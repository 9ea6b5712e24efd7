"""Declarative TOML rule packs (placeholder until the pack engine lands)."""

from __future__ import annotations

from pathlib import Path


def builtin_pack_files() -> list[Path]:
    return []


def load_pack(path: Path) -> list:
    return []
