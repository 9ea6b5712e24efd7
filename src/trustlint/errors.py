"""Errors a user can cause; ``str(exc)`` is the one line the CLI prints."""

from __future__ import annotations


class TrustlintError(Exception):
    """Base of every error that ends a run with one line and exit code 2."""

    exit_code = 2

    def __str__(self) -> str:
        # One line, always: a path or a TOML message with a newline must not break it.
        return " ".join(super().__str__().split("\n"))


class ConfigError(TrustlintError):
    """A bad configuration file or value."""


class InputError(TrustlintError):
    """An input that cannot be read as text (unreadable, binary, undecodable)."""


class PackError(TrustlintError):
    """A rule pack or plugin that cannot be loaded."""


class UsageError(TrustlintError):
    """A bad command-line call."""
