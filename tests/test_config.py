"""The configuration: finding it, reading it, its one-line errors, the CLI on top."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pytest

from trustlint.config import (
    CONFIG_FILES,
    Config,
    find_config,
    load_config,
    merge_cli,
    validate_rules,
)
from trustlint.errors import ConfigError, TrustlintError, UsageError
from trustlint.model import RuleMeta, Severity

FULL = """
select = ["TL2", "TL4"]
extend-select = ["TL101"]
ignore = ["placeholder-as-label"]
fail-on = "error"
lang = "de"
exclude = ["vendor/**"]
extend-exclude = ["drafts/old/**"]
rule-paths = ["style/trust-rules", "../shared/pack.toml"]
jurisdictions = ["eu", "DE"]
respect-gitignore = false
cache-dir = ".cache/trustlint"

[per-file-ignores]
"legal/*.html" = ["TL1"]
"*.txt" = []

[severity]
prechecked-consent = "error"
TL4 = "info"

[rules.form-too-many-fields]
info-from = 8
warning-from = 10

[rules.TL401]
words = ["partners"]
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "\n" not in message
    return message


def meta(code: str, name: str, options: dict | None = None) -> RuleMeta:
    return RuleMeta(
        code=code,
        name=name,
        summary=name,
        category="forms",
        severity=Severity.WARNING,
        options=MappingProxyType(dict(options or {})),
    )


RULES = {
    "TL201": meta(
        "TL201",
        "form-too-many-fields",
        {"info_from": 6, "warning_from": 9, "ratio": 0.5, "skip_hidden": True},
    ),
    "TL202": meta("TL202", "prechecked-consent"),
    "TL401": meta("TL401", "vague-data-sharing", {"words": ["trusted partners"], "label": "x"}),
    "TL402": meta("TL402", "free-form", {"anything": None}),
}


class TestLoad:
    def test_defaults(self):
        config = Config()
        assert config.select is None
        assert config.exclude is None
        assert config.fail_on is Severity.WARNING
        assert config.respect_gitignore is True
        assert config.root == Path.cwd()

    def test_every_key(self, tmp_path):
        path = write(tmp_path, "trustlint.toml", FULL)
        config = load_config(path)
        assert config.select == ("TL2", "TL4")
        assert config.extend_select == ("TL101",)
        assert config.ignore == ("placeholder-as-label",)
        assert config.fail_on is Severity.ERROR
        assert config.lang == "de"
        assert config.exclude == ("vendor/**",)
        assert config.extend_exclude == ("drafts/old/**",)
        assert config.rule_paths == (
            tmp_path / "style" / "trust-rules",
            tmp_path.parent / "shared" / "pack.toml",
        )
        assert config.jurisdictions == ("eu", "de")
        assert config.respect_gitignore is False
        assert config.cache_dir == ".cache/trustlint"
        assert config.per_file_ignores == {"legal/*.html": ("TL1",), "*.txt": ()}
        assert config.severity == {"prechecked-consent": Severity.ERROR, "TL4": Severity.INFO}
        assert config.rule_options == {
            "form-too-many-fields": {"info_from": 8, "warning_from": 10},
            "TL401": {"words": ["partners"]},
        }
        assert config.path == path
        assert config.root == tmp_path

    def test_pyproject_table(self, tmp_path):
        text = "[project]\nname = 'x'\n\n[tool.trustlint]\nfail-on = 'info'\n"
        text += "[tool.trustlint.rules.TL201]\ninfo-from = 3\n"
        config = load_config(write(tmp_path, "pyproject.toml", text))
        assert config.fail_on is Severity.INFO
        assert config.rule_options == {"TL201": {"info_from": 3}}

    def test_pyproject_without_table_gives_defaults(self, tmp_path):
        path = write(tmp_path, "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
        config = load_config(path)
        assert config.select is None
        assert config.path == path

    def test_hidden_config_file(self, tmp_path):
        config = load_config(write(tmp_path, ".trustlint.toml", 'lang = "ru"\n'))
        assert config.lang == "ru"

    def test_relative_path_is_made_absolute(self, tmp_path, monkeypatch):
        write(tmp_path, "conf/trustlint.toml", 'rule-paths = ["packs"]\n')
        monkeypatch.chdir(tmp_path)
        config = load_config(Path("conf/trustlint.toml"))
        assert config.root == tmp_path / "conf"
        assert config.rule_paths == (tmp_path / "conf" / "packs",)


class TestErrors:
    def test_invalid_toml_has_line_and_column(self, tmp_path):
        path = write(tmp_path, "trustlint.toml", 'select = ["TL2"]\nfail-on = \n')
        message = error_of(path)
        assert message.startswith(f"{path}:2:")
        assert "invalid TOML" in message

    def test_invalid_toml_at_end_of_document(self, tmp_path):
        path = write(tmp_path, "trustlint.toml", 'select = ["TL2"')
        message = error_of(path)
        assert message.startswith(f"{path}:1:")
        assert "invalid TOML" in message

    def test_invalid_toml_in_pyproject(self, tmp_path):
        path = write(tmp_path, "pyproject.toml", "[tool.trustlint\nselect = []\n")
        assert error_of(path).startswith(f"{path}:1:")

    def test_unknown_key_with_suggestion(self, tmp_path):
        path = write(tmp_path, "trustlint.toml", 'fail_on = "error"\n')
        assert error_of(path) == f"{path}: unknown key 'fail_on' (did you mean 'fail-on'?)"

    def test_unknown_key_typo(self, tmp_path):
        path = write(tmp_path, "trustlint.toml", 'selcet = ["TL2"]\n')
        assert error_of(path) == f"{path}: unknown key 'selcet' (did you mean 'select'?)"

    def test_unknown_key_in_pyproject_names_the_table(self, tmp_path):
        path = write(tmp_path, "pyproject.toml", "[tool.trustlint]\nextend-ignore = []\n")
        message = error_of(path)
        assert message.startswith(f"{path}: unknown key 'tool.trustlint.extend-ignore'")

    def test_unknown_key_without_suggestion(self, tmp_path):
        path = write(tmp_path, "trustlint.toml", "colour = true\n")
        assert error_of(path) == f"{path}: unknown key 'colour'"

    def test_bad_fail_on_value(self, tmp_path):
        path = write(tmp_path, "trustlint.toml", 'fail-on = "fatal"\n')
        assert error_of(path) == (
            f"{path}: 'fail-on' must be one of error, warning, info (got 'fatal')"
        )

    def test_fail_on_wrong_type(self, tmp_path):
        path = write(tmp_path, "trustlint.toml", "fail-on = 2\n")
        assert "'fail-on' must be one of error, warning, info (got 2)" in error_of(path)

    def test_select_must_be_a_list(self, tmp_path):
        path = write(tmp_path, "trustlint.toml", 'select = "TL2"\n')
        assert error_of(path) == f"{path}: 'select' must be an array of strings (got 'TL2')"

    def test_list_items_must_be_strings(self, tmp_path):
        path = write(tmp_path, "pyproject.toml", "[tool.trustlint]\nignore = ['TL2', 3]\n")
        assert error_of(path) == (
            f"{path}: 'tool.trustlint.ignore' must be an array of strings (got an array)"
        )

    def test_bool_must_be_bool(self, tmp_path):
        path = write(tmp_path, "trustlint.toml", 'respect-gitignore = "no"\n')
        assert "'respect-gitignore' must be true or false (got 'no')" in error_of(path)

    def test_per_file_ignores_values(self, tmp_path):
        path = write(tmp_path, "trustlint.toml", '[per-file-ignores]\n"a/*.html" = "TL1"\n')
        assert (
            "'per-file-ignores.\"a/*.html\"' must be an array of strings (got 'TL1')"
            in error_of(path)
        )

    def test_severity_values(self, tmp_path):
        path = write(tmp_path, "trustlint.toml", '[severity]\nTL201 = "loud"\n')
        assert "'severity.TL201' must be one of error, warning, info (got 'loud')" in error_of(path)

    def test_rules_must_hold_tables(self, tmp_path):
        path = write(tmp_path, "trustlint.toml", "[rules]\nTL201 = 3\n")
        assert "'rules.TL201' must be a table (got 3)" in error_of(path)

    def test_unknown_jurisdiction(self, tmp_path):
        path = write(tmp_path, "trustlint.toml", 'jurisdictions = ["eu", "gb"]\n')
        message = error_of(path)
        assert "unknown jurisdiction 'gb'" in message
        assert "uk" in message

    def test_bad_lang(self, tmp_path):
        path = write(tmp_path, "trustlint.toml", 'lang = "German language"\n')
        assert "'lang' must be a language code" in error_of(path)

    def test_unreadable_file(self, tmp_path):
        message = error_of(tmp_path / "missing.toml")
        assert message.endswith("cannot read config file: no such file")
        assert error_of(tmp_path).endswith("cannot read config file: is a directory")

    def test_not_utf8(self, tmp_path):
        path = tmp_path / "trustlint.toml"
        path.write_bytes('lang = "d\xe9"\n'.encode("latin-1"))
        assert "not UTF-8" in error_of(path)

    def test_errors_are_trustlint_errors(self, tmp_path):
        path = write(tmp_path, "trustlint.toml", "x = 1\n")
        with pytest.raises(TrustlintError) as info:
            load_config(path)
        assert info.value.exit_code == 2


class TestFind:
    def test_walks_up(self, tmp_path):
        path = write(tmp_path, "trustlint.toml", "")
        (tmp_path / "a" / "b").mkdir(parents=True)
        assert find_config(tmp_path / "a" / "b") == path

    def test_start_may_be_a_file(self, tmp_path):
        path = write(tmp_path, ".trustlint.toml", "")
        page = write(tmp_path, "site/index.html", "")
        assert find_config(page) == path

    def test_nearest_wins_and_order_within_a_folder(self, tmp_path):
        write(tmp_path, "trustlint.toml", "")
        inner = tmp_path / "inner"
        for name in CONFIG_FILES:
            write(inner, name, "[tool.trustlint]\n" if name == "pyproject.toml" else "")
        assert find_config(inner) == inner / "trustlint.toml"
        (inner / "trustlint.toml").unlink()
        assert find_config(inner) == inner / ".trustlint.toml"
        (inner / ".trustlint.toml").unlink()
        assert find_config(inner) == inner / "pyproject.toml"

    def test_pyproject_counts_only_with_table(self, tmp_path):
        outer = write(tmp_path, "trustlint.toml", "")
        write(tmp_path, "proj/pyproject.toml", "[project]\nname = 'trustlint-site'\n")
        assert find_config(tmp_path / "proj") == outer
        write(tmp_path, "proj/pyproject.toml", "[tool.trustlint.severity]\nTL2 = 'error'\n")
        assert find_config(tmp_path / "proj") == tmp_path / "proj" / "pyproject.toml"

    def test_stops_after_repository_root(self, tmp_path):
        write(tmp_path, "trustlint.toml", "")
        (tmp_path / "repo" / ".git").mkdir(parents=True)
        (tmp_path / "repo" / "site").mkdir()
        assert find_config(tmp_path / "repo" / "site") is None
        inside = write(tmp_path, "repo/trustlint.toml", "")
        assert find_config(tmp_path / "repo" / "site") == inside

    def test_none_found(self, tmp_path):
        (tmp_path / ".git").mkdir()
        assert find_config(tmp_path) is None

    def test_broken_pyproject_about_trustlint_is_an_error(self, tmp_path):
        write(tmp_path, "pyproject.toml", "[tool.trustlint\n")
        (tmp_path / ".git").mkdir()
        with pytest.raises(ConfigError, match=r"pyproject\.toml:1:"):
            find_config(tmp_path)

    def test_broken_unrelated_pyproject_is_skipped(self, tmp_path):
        write(tmp_path, "pyproject.toml", "[tool.black\n")
        (tmp_path / ".git").mkdir()
        assert find_config(tmp_path) is None


class TestMergeCli:
    def base(self) -> Config:
        return Config(
            select=("TL2",),
            ignore=("TL202",),
            extend_select=("TL101",),
            exclude=("vendor",),
            extend_exclude=("old",),
            rule_paths=(Path("/packs"),),
            lang="de",
        )

    def test_nothing_given_changes_nothing(self):
        config = self.base()
        empty = dict(
            select=None,
            ignore=[],
            extend_select=[],
            fail_on=None,
            lang=None,
            rule_paths=[],
            exclude=None,
            extend_exclude=[],
        )
        assert merge_cli(config, **empty) == config

    def test_select_starts_afresh(self):
        merged = merge_cli(self.base(), select=["TL4"], ignore=["TL401"])
        assert merged.select == ("TL4",)
        assert merged.ignore == ("TL401",)
        assert merged.extend_select == ()

    def test_ignore_and_extend_select_add(self):
        merged = merge_cli(self.base(), ignore=["TL203"], extend_select=["TL301"])
        assert merged.select == ("TL2",)
        assert merged.ignore == ("TL202", "TL203")
        assert merged.extend_select == ("TL101", "TL301")

    def test_scalars_replace(self):
        merged = merge_cli(self.base(), fail_on="info", lang="RU")
        assert merged.fail_on is Severity.INFO
        assert merged.lang == "ru"

    def test_paths_and_excludes(self):
        merged = merge_cli(
            self.base(), rule_paths=[Path("mine")], exclude=["x"], extend_exclude=["y"]
        )
        assert merged.rule_paths == (Path("/packs"), Path("mine"))
        assert merged.exclude == ("x",)
        assert merged.extend_exclude == ("old", "y")
        assert merge_cli(self.base(), exclude=[]).exclude == ()

    def test_bad_fail_on(self):
        with pytest.raises(UsageError, match="--fail-on"):
            merge_cli(Config(), fail_on="fatal")

    def test_unknown_option_is_a_programming_error(self):
        with pytest.raises(TypeError):
            merge_cli(Config(), colour="always")


class TestValidateRules:
    def config(self, tmp_path: Path, text: str) -> Config:
        return load_config(write(tmp_path, "trustlint.toml", text))

    def test_defaults_for_every_rule(self):
        options = validate_rules(Config(), RULES)
        assert set(options) == set(RULES)
        assert options["TL201"] == {
            "info_from": 6,
            "warning_from": 9,
            "ratio": 0.5,
            "skip_hidden": True,
        }
        assert options["TL202"] == {}

    def test_merge_by_name_and_code(self, tmp_path):
        config = self.config(
            tmp_path,
            "[rules.form-too-many-fields]\ninfo-from = 8\nratio = 1\n"
            "[rules.tl401]\nwords = ['partners', 'affiliates']\n",
        )
        options = validate_rules(config, RULES)
        assert options["TL201"] == {
            "info_from": 8,
            "warning_from": 9,
            "ratio": 1.0,
            "skip_hidden": True,
        }
        assert isinstance(options["TL201"]["ratio"], float)
        assert options["TL401"]["words"] == ["partners", "affiliates"]
        assert RULES["TL201"].options["info_from"] == 6  # the defaults are untouched

    def test_unknown_rule(self, tmp_path):
        config = self.config(tmp_path, "[rules.form-too-many-field]\ninfo-from = 8\n")
        with pytest.raises(ConfigError) as info:
            validate_rules(config, RULES)
        assert str(info.value) == (
            f"{config.path}: unknown rule 'form-too-many-field' in [rules] "
            "(did you mean 'form-too-many-fields'?)"
        )

    def test_unknown_option_lists_valid_ones(self, tmp_path):
        config = self.config(tmp_path, "[rules.TL201]\ninfo-form = 8\n")
        with pytest.raises(ConfigError) as info:
            validate_rules(config, RULES)
        assert str(info.value) == (
            f"{config.path}: unknown option 'info-form' in [rules.TL201] "
            "(did you mean 'info-from'?); form-too-many-fields (TL201) options: "
            "info-from, warning-from, ratio, skip-hidden"
        )

    def test_rule_without_options(self, tmp_path):
        config = self.config(tmp_path, "[rules.prechecked-consent]\nstrict = true\n")
        with pytest.raises(ConfigError, match=r"options: none$"):
            validate_rules(config, RULES)

    @pytest.mark.parametrize(
        ("line", "expected"),
        [
            ("info-from = true", "must be an integer (got True)"),
            ("info-from = 8.5", "must be an integer (got 8.5)"),
            ("info-from = '8'", "must be an integer (got '8')"),
            ("ratio = 'half'", "must be a number (got 'half')"),
            ("ratio = false", "must be a number (got False)"),
            ("skip-hidden = 1", "must be true or false (got 1)"),
        ],
    )
    def test_option_types(self, tmp_path, line, expected):
        config = self.config(tmp_path, f"[rules.TL201]\n{line}\n")
        with pytest.raises(ConfigError) as info:
            validate_rules(config, RULES)
        assert expected in str(info.value)
        assert str(info.value).startswith(f"{config.path}: option ")

    @pytest.mark.parametrize(
        ("line", "expected"),
        [
            ("words = 'partners'", "must be an array of strings (got 'partners')"),
            ("words = [1, 2]", "must be an array of strings (got an array)"),
            ("label = 3", "must be a string (got 3)"),
        ],
    )
    def test_list_and_str_options(self, tmp_path, line, expected):
        config = self.config(tmp_path, f"[rules.TL401]\n{line}\n")
        with pytest.raises(ConfigError, match=r"vague-data-sharing|TL401") as info:
            validate_rules(config, RULES)
        assert expected in str(info.value)

    def test_none_default_takes_anything(self, tmp_path):
        config = self.config(tmp_path, "[rules.TL402]\nanything = {a = 1}\n")
        assert validate_rules(config, RULES)["TL402"] == {"anything": {"a": 1}}

    def test_configured_twice(self, tmp_path):
        config = self.config(
            tmp_path, "[rules.TL201]\ninfo-from = 1\n[rules.form-too-many-fields]\nratio = 1\n"
        )
        with pytest.raises(ConfigError, match="configured twice"):
            validate_rules(config, RULES)

    def test_pyproject_names_the_full_table(self, tmp_path):
        path = write(tmp_path, "pyproject.toml", "[tool.trustlint.rules.nope]\nx = 1\n")
        with pytest.raises(ConfigError, match=r"in \[tool\.trustlint\.rules\]"):
            validate_rules(load_config(path), RULES)

    def test_without_a_file(self):
        config = Config(rule_options={"nope": {}})
        with pytest.raises(ConfigError) as info:
            validate_rules(config, RULES)
        assert str(info.value) == "unknown rule 'nope' in [rules]"
