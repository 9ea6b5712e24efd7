"""The configuration: where it is, what it may say, and how the command line overrides it.

``trustlint.toml`` and ``.trustlint.toml`` hold the keys at top level; ``pyproject.toml``
holds them under ``[tool.trustlint]``. Keys are kebab-case. Every mistake is one line
that names the file and the key.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from trustlint.errors import ConfigError, UsageError
from trustlint.model import RuleMeta, Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CONFIG_FILES = ("trustlint.toml", ".trustlint.toml", "pyproject.toml")
JURISDICTIONS = ("eu", "de", "at", "ch", "es", "it", "fr", "ru", "id", "pt", "nl", "uk", "us")
# A language tag such as "de" or "pt-BR"; which languages have lexicons is not ours to judge.
LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
TOML_LOCATION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


@dataclass(frozen=True)
class Config:
    """A resolved configuration; ``Config()`` is the default one."""

    select: tuple[str, ...] | None = None  # None: every stable rule
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] | None = None  # None: discovery.DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    fail_on: Severity = Severity.WARNING
    lang: str | None = None
    rule_paths: tuple[Path, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    # Rule name or code -> options, keys in snake_case, as written (checked later).
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    jurisdictions: tuple[str, ...] = ()
    respect_gitignore: bool = True
    cache_dir: str | None = None
    site_root: Path | None = None  # the folder whose pages make up the site
    path: Path | None = None  # the file it came from
    root: Path = field(default_factory=Path.cwd)  # that file's folder


def _shown(path: Path) -> str:
    """A config path as messages show it: relative to the current folder when inside."""
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def _table_prefix(path: Path | None) -> str:
    return "tool.trustlint." if path is not None and path.name == "pyproject.toml" else ""


def _suggest(word: str, choices: Iterable[str]) -> str:
    choices = list(choices)
    normalized = word.replace("_", "-").lower()
    if normalized != word and normalized in choices:
        return f" (did you mean '{normalized}'?)"
    import difflib  # only a config with a mistake needs it

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _type_name(value: Any) -> str:
    names = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)


class _Reader:
    """Checks one file's values; every message names the file and the key."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.prefix = _table_prefix(path)

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{_shown(self.path)}: '{self.prefix}{key}' {message}")

    def expect(self, key: str, value: Any, expected: str) -> ConfigError:
        shown = repr(value) if isinstance(value, (str, int, float, bool)) else _type_name(value)
        return self.fail(key, f"must be {expected} (got {shown})")

    def strings(self, key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.expect(key, value, "an array of strings")
        return tuple(v.strip() for v in value if v.strip())

    def string(self, key: str, value: Any) -> str:
        if not isinstance(value, str):
            raise self.expect(key, value, "a string")
        return value

    def boolean(self, key: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise self.expect(key, value, "true or false")
        return value

    def severity(self, key: str, value: Any) -> Severity:
        choices = ", ".join(str(s) for s in sorted(Severity, reverse=True))
        if not isinstance(value, str):
            raise self.expect(key, value, f"one of {choices}")
        try:
            return Severity.parse(value)
        except ValueError:
            raise self.expect(key, value, f"one of {choices}") from None

    def table(self, key: str, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.expect(key, value, "a table")
        return value

    # One method per key; the name of each is the key in snake_case.

    def read_select(self, key: str, value: Any) -> dict[str, Any]:
        return {"select": self.strings(key, value)}

    def read_ignore(self, key: str, value: Any) -> dict[str, Any]:
        return {"ignore": self.strings(key, value)}

    def read_extend_select(self, key: str, value: Any) -> dict[str, Any]:
        return {"extend_select": self.strings(key, value)}

    def read_exclude(self, key: str, value: Any) -> dict[str, Any]:
        return {"exclude": self.strings(key, value)}

    def read_extend_exclude(self, key: str, value: Any) -> dict[str, Any]:
        return {"extend_exclude": self.strings(key, value)}

    def read_fail_on(self, key: str, value: Any) -> dict[str, Any]:
        return {"fail_on": self.severity(key, value)}

    def read_lang(self, key: str, value: Any) -> dict[str, Any]:
        lang = self.string(key, value).strip()
        if not LANG_TAG.match(lang):
            raise self.expect(key, value, "a language code such as 'en' or 'de'")
        return {"lang": lang.lower()}

    def read_rule_paths(self, key: str, value: Any) -> dict[str, Any]:
        folder = self.path.parent
        paths = tuple(Path(os.path.normpath(folder / p)) for p in self.strings(key, value))
        return {"rule_paths": paths}

    def read_jurisdictions(self, key: str, value: Any) -> dict[str, Any]:
        found = []
        for item in self.strings(key, value):
            code = item.lower()
            if code not in JURISDICTIONS:
                raise self.fail(
                    key,
                    f"has unknown jurisdiction {item!r}{_suggest(code, JURISDICTIONS)} "
                    f"(one of {', '.join(JURISDICTIONS)})",
                )
            if code not in found:
                found.append(code)
        return {"jurisdictions": tuple(found)}

    def read_respect_gitignore(self, key: str, value: Any) -> dict[str, Any]:
        return {"respect_gitignore": self.boolean(key, value)}

    def read_cache_dir(self, key: str, value: Any) -> dict[str, Any]:
        return {"cache_dir": self.string(key, value)}

    def read_site_root(self, key: str, value: Any) -> dict[str, Any]:
        folder = self.path.parent
        return {"site_root": Path(os.path.normpath(folder / self.string(key, value)))}

    def read_per_file_ignores(self, key: str, value: Any) -> dict[str, Any]:
        table = self.table(key, value)
        return {
            "per_file_ignores": {
                glob: self.strings(f"{key}.{_quoted(glob)}", codes) for glob, codes in table.items()
            }
        }

    def read_severity(self, key: str, value: Any) -> dict[str, Any]:
        table = self.table(key, value)
        return {
            "severity": {
                selector: self.severity(f"{key}.{_quoted(selector)}", level)
                for selector, level in table.items()
            }
        }

    def read_rules(self, key: str, value: Any) -> dict[str, Any]:
        options: dict[str, dict[str, Any]] = {}
        for rule, table in self.table(key, value).items():
            sub = f"{key}.{_quoted(rule)}"
            options[rule] = {
                name.replace("-", "_"): option for name, option in self.table(sub, table).items()
            }
        return {"rule_options": options}


def _quoted(key: str) -> str:
    """A TOML key as it would be written: bare if it can be."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else f'"{key}"'


READERS: dict[str, Callable[[_Reader, str, Any], dict[str, Any]]] = {
    name[len("read_") :].replace("_", "-"): method
    for name, method in vars(_Reader).items()
    if name.startswith("read_")
}
KNOWN_KEYS = tuple(READERS)


def _parse_toml(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ConfigError(f"{_shown(path)}: cannot read config file: is a directory") from None
    except FileNotFoundError:
        raise ConfigError(f"{_shown(path)}: cannot read config file: no such file") from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ConfigError(f"{_shown(path)}: cannot read config file: {reason}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{_shown(path)}: not UTF-8 (byte {exc.start})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_toml_error(path, text, exc)) from None


def _toml_error(path: Path, text: str, exc: Exception) -> str:
    """``file:line:col: invalid TOML: reason``, from tomllib's or tomli's message."""
    message = str(exc).splitlines()[0] if str(exc) else "invalid TOML"
    line = getattr(exc, "lineno", None)
    column = getattr(exc, "colno", None)
    found = TOML_LOCATION.search(message)
    if found:
        line, column = int(found.group(1)), int(found.group(2))
        message = message[: found.start()]
    elif message.endswith("(at end of document)"):
        message = message[: -len("(at end of document)")].rstrip()
        line = text.count("\n") + 1
        column = len(text) - (text.rfind("\n") + 1) + 1
    if isinstance(line, int) and isinstance(column, int):
        return f"{_shown(path)}:{line}:{column}: invalid TOML: {message}"
    return f"{_shown(path)}: invalid TOML: {message}"


def _settings_table(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    if path.name != "pyproject.toml":
        return data
    tool = data.get("tool")
    if not isinstance(tool, dict) or "trustlint" not in tool:
        return None
    table = tool["trustlint"]
    if not isinstance(table, dict):
        raise ConfigError(f"{_shown(path)}: 'tool.trustlint' must be a table")
    return table


def load_config(path: Path) -> Config:
    """Read one config file; a pyproject.toml without [tool.trustlint] gives the defaults."""
    path = Path(os.path.abspath(path))
    table = _settings_table(path, _parse_toml(path)) or {}
    reader = _Reader(path)
    values: dict[str, Any] = {}
    for key, value in table.items():
        read = READERS.get(key)
        if read is None:
            prefix = _table_prefix(path)
            raise ConfigError(
                f"{_shown(path)}: unknown key '{prefix}{key}'{_suggest(key, KNOWN_KEYS)}"
            )
        values.update(read(reader, key, value))
    return Config(**values, path=path, root=path.parent)


def _has_trustlint_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "trustlint" not in text:
        return False  # spares parsing every unrelated pyproject.toml
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_toml_error(path, text, exc)) from None
    tool = data.get("tool")
    return isinstance(tool, dict) and "trustlint" in tool


def find_config(start: Path) -> Path | None:
    """The nearest config file in ``start`` or a folder above it.

    The search stops at the filesystem root, and after the folder that holds ``.git``
    (the repository root): a config above the repository is someone else's.
    """
    folder = Path(os.path.abspath(start))
    if not folder.is_dir():
        folder = folder.parent
    while True:
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml" or _has_trustlint_table(candidate):
                return candidate
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent


def merge_cli(config: Config, **cli: Any) -> Config:
    """``config`` with the command line's values on top.

    Keys: ``select``, ``ignore``, ``extend_select``, ``fail_on``, ``lang``,
    ``rule_paths``, ``exclude``, ``extend_exclude``, ``per_file_ignores``,
    ``jurisdictions``, ``respect_gitignore``, ``cache_dir``; None (or an empty list,
    for the additive ones) means "not given".

    ``--select`` starts the selection afresh, as in ruff: the config's ``select``,
    ``extend-select`` and ``ignore`` no longer apply. ``--ignore``, ``--extend-select``,
    ``--rules-dir`` and ``--extend-exclude`` add to the config's; ``--exclude``,
    ``--fail-on`` and ``--lang`` replace it.
    """
    known = {
        "select", "ignore", "extend_select", "fail_on", "lang", "rule_paths", "exclude",
        "extend_exclude", "per_file_ignores", "jurisdictions", "respect_gitignore", "cache_dir",
        "site_root",
    }  # fmt: skip
    unknown = set(cli) - known
    if unknown:
        raise TypeError(f"merge_cli() got unknown options: {', '.join(sorted(unknown))}")
    changes: dict[str, Any] = {}
    select = cli.get("select")
    ignore = tuple(cli.get("ignore") or ())
    extend_select = tuple(cli.get("extend_select") or ())
    if select is not None:
        changes.update(select=tuple(select), ignore=ignore, extend_select=extend_select)
    else:
        if ignore:
            changes["ignore"] = config.ignore + ignore
        if extend_select:
            changes["extend_select"] = config.extend_select + extend_select
    fail_on = cli.get("fail_on")
    if fail_on is not None:
        try:
            changes["fail_on"] = (
                fail_on if isinstance(fail_on, Severity) else Severity.parse(fail_on)
            )
        except ValueError as exc:
            raise UsageError(f"--fail-on: {exc}") from None
    if cli.get("lang"):
        lang = str(cli["lang"]).strip()
        if not LANG_TAG.match(lang):
            raise UsageError(f"--lang: {lang!r} is not a language code such as 'en' or 'de'")
        changes["lang"] = lang.lower()
    if cli.get("rule_paths"):
        changes["rule_paths"] = config.rule_paths + tuple(Path(p) for p in cli["rule_paths"])
    if cli.get("exclude") is not None:
        changes["exclude"] = tuple(cli["exclude"])
    if cli.get("extend_exclude"):
        changes["extend_exclude"] = config.extend_exclude + tuple(cli["extend_exclude"])
    if cli.get("per_file_ignores"):
        changes["per_file_ignores"] = {
            **config.per_file_ignores,
            **{glob: tuple(codes) for glob, codes in cli["per_file_ignores"].items()},
        }
    if cli.get("jurisdictions"):
        bad = [j for j in cli["jurisdictions"] if j.lower() not in JURISDICTIONS]
        if bad:
            raise UsageError(f"unknown jurisdiction {bad[0]!r} (one of {', '.join(JURISDICTIONS)})")
        changes["jurisdictions"] = tuple(dict.fromkeys(j.lower() for j in cli["jurisdictions"]))
    if cli.get("respect_gitignore") is not None:
        changes["respect_gitignore"] = bool(cli["respect_gitignore"])
    if cli.get("cache_dir") is not None:
        changes["cache_dir"] = str(cli["cache_dir"])
    if cli.get("site_root") is not None:
        changes["site_root"] = Path(cli["site_root"])
    return replace(config, **changes)


def _rules_table(config: Config) -> str:
    return f"{_table_prefix(config.path)}rules"


def _where(config: Config) -> str:
    return f"{_shown(config.path)}: " if config.path is not None else ""


def validate_rules(config: Config, rules: Mapping[str, RuleMeta]) -> dict[str, dict[str, Any]]:
    """Every rule's options: its defaults with the config's values, checked.

    A table may name a rule by name or by code. Each value must have the type of the
    option's default: an int option takes an int (not a bool), a float option an int
    or a float, a list option a list of strings. An option whose default is None
    takes any value.
    """
    by_name = {meta.name: code for code, meta in rules.items()}
    merged = {code: dict(meta.options) for code, meta in rules.items()}
    seen: dict[str, str] = {}
    table = _rules_table(config)
    for key, values in config.rule_options.items():
        code = key.upper() if key.upper() in rules else by_name.get(key.lower())
        if code is None:
            hint = _suggest(key, [*by_name, *rules])
            raise ConfigError(f"{_where(config)}unknown rule '{key}' in [{table}]{hint}")
        if code in seen:
            raise ConfigError(
                f"{_where(config)}rule {code} is configured twice in [{table}] "
                f"(as '{seen[code]}' and '{key}')"
            )
        seen[code] = key
        meta = rules[code]
        label = f"[{table}.{_quoted(key)}]"
        for option, value in values.items():
            snake = option.replace("-", "_")
            kebab = snake.replace("_", "-")
            if snake not in meta.options:
                valid = ", ".join(k.replace("_", "-") for k in meta.options) or "none"
                hint = _suggest(kebab, [k.replace("_", "-") for k in meta.options])
                raise ConfigError(
                    f"{_where(config)}unknown option '{kebab}' in {label}{hint}; "
                    f"{meta.name} ({code}) options: {valid}"
                )
            default = meta.options[snake]
            checked = _check_option(default, value)
            if checked is _BAD:
                raise ConfigError(
                    f"{_where(config)}option '{kebab}' in {label} must be "
                    f"{_expected(default)} (got {_described(value)})"
                )
            merged[code][snake] = checked
    return merged


_BAD = object()


def _check_option(default: Any, value: Any) -> Any:
    """``value`` converted to the default's type, or ``_BAD``."""
    if default is None:
        return value
    if isinstance(default, bool):
        return value if isinstance(value, bool) else _BAD
    if isinstance(default, int):
        return value if isinstance(value, int) and not isinstance(value, bool) else _BAD
    if isinstance(default, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return float(value) if ok else _BAD
    if isinstance(default, str):
        return value if isinstance(value, str) else _BAD
    if isinstance(default, (list, tuple, frozenset, set)):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return _BAD
        return type(default)(value)
    if isinstance(default, Mapping):
        return dict(value) if isinstance(value, dict) else _BAD
    return value if isinstance(value, type(default)) else _BAD


def _expected(default: Any) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, int):
        return "an integer"
    if isinstance(default, float):
        return "a number"
    if isinstance(default, str):
        return "a string"
    if isinstance(default, (list, tuple, frozenset, set)):
        return "an array of strings"
    if isinstance(default, Mapping):
        return "a table"
    return type(default).__name__


def _described(value: Any) -> str:
    return repr(value) if isinstance(value, (str, int, float, bool)) else _type_name(value)
