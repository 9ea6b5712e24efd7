"""The ``trustlint`` command: check, rules, explain."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from trustlint import __version__
from trustlint.errors import TrustlintError
from trustlint.model import INPUT_KINDS, Severity

FAIL_ON = ("error", "warning", "info")
EPILOG = "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 bad input or config, 3 crash."


def _multi(values: tuple[str, ...]) -> list[str]:
    """Accept both `--select TL2 --select TL4` and `--select TL2,TL4`."""
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


class TrustlintGroup(click.Group):
    """Turns trustlint's own errors into one line and exit code 2, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TrustlintError as exc:
            click.echo(f"trustlint: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(
                f"trustlint: internal error: {type(exc).__name__}: {exc} "
                "(run with --debug for details)",
                err=True,
            )
            ctx.exit(3)


@click.group(
    cls=TrustlintGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(__version__, "-V", "--version", prog_name="trustlint")
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """trustlint: find what erodes a customer's trust in pages, forms and drafts."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@cli.command(epilog=EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--format",
    "fmt",
    default="text",
    show_default=True,
    type=click.Choice(["text", "json", "sarif", "github", "gitlab", "junit", "html"]),
    help="Output format.",
)
@click.option(
    "-o",
    "--output-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file.",
)
@click.option("--statistics", is_flag=True, help="Show counts per rule instead of each finding.")
@click.option("--select", multiple=True, help="Rules to run: codes, prefixes (TL2) or names.")
@click.option("--ignore", multiple=True, help="Rules to skip: codes, prefixes or names.")
@click.option("--extend-select", multiple=True, help="Rules to add to the selection.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    help="Lowest severity that fails the run [default: warning].",
)
@click.option(
    "--lang", help="Language of text that declares none (en, de, es, it, ru, id, fr, pt, nl...)."
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Use this config file.",
)
@click.option("--isolated", is_flag=True, help="Ignore every config file.")
@click.option(
    "--rules-dir",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Add TOML rule packs from this folder or file.",
)
@click.option("--exclude", multiple=True, help="Globs to skip (replaces the default list).")
@click.option("--extend-exclude", multiple=True, help="Globs to skip, added to the default list.")
@click.option("--stdin-filename", help="File name to report for input read from '-'.")
@click.option(
    "--max-file-size",
    type=click.IntRange(min=1),
    default=32,
    show_default=True,
    help="Largest file to read, in MB.",
)
@click.option(
    "--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    help="Processes to lint with; 0 means one per core.  [default: 0]",
)
@click.option(
    "--site-root",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder whose pages make up the site (default: the one folder checked).",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the results cache.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to keep the results cache [default: .trustlint_cache].",
)
def check(
    paths,
    fmt,
    output_file,
    statistics,
    select,
    ignore,
    extend_select,
    fail_on,
    lang,
    config_path,
    isolated,
    rules_dir,
    exclude,
    extend_exclude,
    stdin_filename,
    max_file_size,
    color,
    jobs,
    no_cache,
    cache_dir,
    site_root,
) -> None:
    """Check HTML, Markdown and text files and folders (default: the current folder)."""
    from trustlint import reporters
    from trustlint.job import prepare

    paths = list(paths) or ["."]
    stdin = None
    if "-" in paths:
        paths.remove("-")
        stdin = (stdin_filename or "<stdin>", _read_stdin())
    job = prepare(
        paths,
        config_path=config_path,
        isolated=isolated,
        cli={
            "select": _multi(select) or None,
            "ignore": _multi(ignore),
            "extend_select": _multi(extend_select),
            "fail_on": fail_on,
            "lang": lang,
            "rule_paths": list(rules_dir),
            "exclude": _multi(exclude) or None,
            "extend_exclude": _multi(extend_exclude),
            "cache_dir": cache_dir,
            "site_root": site_root,
        },
        use_cache=not no_cache,
        anchor=Path(stdin_filename).parent if stdin and stdin_filename else None,
    )
    from trustlint.runner import run

    result = run(
        job.files,
        job.settings,
        fail_on=job.fail_on,
        max_file_size=max_file_size * 1024 * 1024,
        jobs=jobs or os.cpu_count() or 1,
        stdin=stdin,
        errors=job.errors,
        cache=job.cache,
        site_files=job.site_files,
    )
    use_color = output_file is None and _use_color(color)
    chunks = reporters.stream(
        fmt, result, color=use_color, statistics=statistics, version=__version__
    )
    if output_file is not None:
        try:
            with output_file.open("w", encoding="utf-8") as fh:
                fh.writelines(chunks)
        except OSError as exc:
            raise TrustlintError(f"cannot write {output_file}: {exc.strerror or exc}") from None
    else:
        _echo(chunks, use_color)
    for error in result.errors:
        kind = "rule crashed" if error.crash else "error"
        click.echo(f"trustlint: {kind}: {error.path}: {error.message}", err=True)
    sys.exit(result.exit_code)


def _echo(chunks, color: bool) -> None:
    """Write a report as it is made, in pieces of about 64 kB, ending with a newline."""
    pending: list[str] = []
    size = 0
    ends_line = True  # nothing written yet: nothing to end
    for chunk in chunks:
        if chunk:
            pending.append(chunk)
            size += len(chunk)
            ends_line = chunk.endswith("\n")
        if size >= 65536:
            click.echo("".join(pending), nl=False, color=color)
            pending, size = [], 0
    if pending:
        click.echo("".join(pending), nl=False, color=color)
    if not ends_line:
        click.echo("", color=color)


def _read_stdin() -> str:
    data = click.get_binary_stream("stdin").read()
    from trustlint.loaders.decode import decode

    text, _ = decode(data, is_html=data.lstrip()[:1] == b"<")
    return text


def _use_color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


@cli.command(name="rules")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
@click.option(
    "--rules-dir",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Include TOML packs from here.",
)
def rules_cmd(fmt: str, rules_dir: tuple[Path, ...]) -> None:
    """List every rule: code, name, category, severity, languages, summary."""
    from trustlint.registry import build_registry

    registry = build_registry(list(rules_dir))
    metas = [r.meta for r in registry.values()]
    if fmt == "markdown":
        from trustlint.ruledocs import markdown

        click.echo(markdown(metas), nl=False)
        return
    if fmt == "json":
        rows = [
            {
                "code": m.code,
                "name": m.name,
                "category": m.category,
                "severity": str(m.severity),
                "inputs": sorted(m.inputs, key=INPUT_KINDS.index),
                "languages": sorted(m.langs) if m.langs is not None else None,
                "options": dict(m.options),
                "preview": m.preview,
                "origin": m.origin,
                "summary": m.summary,
            }
            for m in metas
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    width = max((len(m.name) for m in metas), default=4)
    click.echo(
        f"{'CODE':<6} {'NAME':<{width}} {'CATEGORY':<13} {'SEVERITY':<8} {'LANGUAGES':<18} SUMMARY"
    )
    for m in metas:
        langs = ",".join(sorted(m.langs)) if m.langs else "any"
        click.echo(
            f"{m.code:<6} {m.name:<{width}} {m.category:<13} {m.severity!s:<8} "
            f"{langs:<18} {m.summary}"
        )


@cli.command()
@click.argument("rule")
@click.option("--rules-dir", multiple=True, type=click.Path(path_type=Path))
def explain(rule: str, rules_dir: tuple[Path, ...]) -> None:
    """Show a rule's documentation, by code (TL202) or name (prechecked-consent)."""
    import difflib

    from trustlint.registry import build_registry

    registry = build_registry(list(rules_dir))
    wanted = rule.strip()
    match = registry.get(wanted.upper()) or next(
        (r for r in registry.values() if r.meta.name == wanted.lower()), None
    )
    if match is None:
        names = list(registry) + [r.meta.name for r in registry.values()]
        close = difflib.get_close_matches(wanted, names, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise TrustlintError(f"unknown rule {wanted!r}{hint}; `trustlint rules` lists them")
    m = match.meta
    langs = ", ".join(sorted(m.langs)) if m.langs else "any"
    click.echo(f"# {m.name} ({m.code})\n")
    click.echo(f"{m.summary}\n")
    click.echo(
        f"Category: {m.category} · Default severity: {m.severity} · "
        f"Inputs: {', '.join(sorted(m.inputs))} · Languages: {langs}"
    )
    if m.options:
        opts = ", ".join(f"{k.replace('_', '-')} = {v!r}" for k, v in m.options.items())
        click.echo(f"Options: {opts}")
    click.echo("")
    click.echo(m.docs)


@cli.command(name="server")
def server_cmd() -> None:
    """Run the language server (LSP over stdio) for editors."""
    from trustlint.server import serve

    serve()


def main() -> None:
    cli(prog_name="trustlint")


__all__ = ["Severity", "cli", "main"]
