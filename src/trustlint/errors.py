"""Errors a user can cause; ``str(exc)`` is the one line the CLI prints."""

from __future__ import annotations


class TrustlintError(Exception):
    exit_code = 2


class ConfigError(TrustlintError):
    """A bad configuration file or value."""


class InputError(TrustlintError):
    """An input that cannot be read as text."""


class PackError(TrustlintError):
    """A rule pack or plugin that cannot be loaded."""


class UsageError(TrustlintError):
    """A bad command-line call."""
