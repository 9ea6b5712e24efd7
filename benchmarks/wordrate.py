"""Findings per 1,000 words of prose: how loud trustlint is on text written well.

Clean, professionally written pages (Mozilla's legal documents, Let's Encrypt's site)
should stay nearly silent: the target is under one warning per 1,000 words in every
language. Words are counted in the prose trustlint reads (code, front matter and URLs
excluded), so the rate is per word a rule could have judged.

    python benchmarks/wordrate.py --lang de DIR [DIR ...]

Prints one line per folder: words, warnings (warning or error), infos, the rates, and
the rules that fired most. ``--show N`` prints N warnings to read.
"""

from __future__ import annotations

import argparse
import collections
import re
from pathlib import Path

from trustlint.api import lint_text
from trustlint.loaders import document_from_text
from trustlint.registry import build_registry

WORD = re.compile(r"\w+(?:[-'’]\w+)*")
KINDS = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".html": "html"}


def measure(folder: Path, lang: str, registry, show: int) -> None:
    words = warnings = infos = 0
    by_rule: collections.Counter[str] = collections.Counter()
    info_rules: collections.Counter[str] = collections.Counter()
    shown = 0
    for path in sorted(folder.rglob("*")):
        kind = KINDS.get(path.suffix.lower())
        if kind is None or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        doc = document_from_text(str(path), text, kind)
        words += sum(len(WORD.findall(b.text)) for b in doc.iter_blocks())
        for f in lint_text(text, path=str(path), kind=kind, lang=lang, registry=registry):
            if f.code.startswith("TL9"):
                continue
            if f.severity.name in ("WARNING", "ERROR"):
                warnings += 1
                by_rule[f"{f.code} {f.name}"] += 1
                if shown < show:
                    shown += 1
                    print(f"  {path.name}:{f.start.line}:{f.start.column} {f.code} {f.message}")
            else:
                infos += 1
                info_rules[f.code] += 1
    per = 1000 / max(words, 1)
    top = ", ".join(f"{k} {v}" for k, v in by_rule.most_common(4))
    top_info = ", ".join(f"{k} {v}" for k, v in info_rules.most_common(5))
    print(
        f"{folder} [{lang}]: {words} words, {warnings} warnings ({warnings * per:.2f}/1k), "
        f"{infos} info ({infos * per:.2f}/1k){'; ' + top if top else ''}"
        f"{'; info: ' + top_info if top_info else ''}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", required=True)
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("folders", nargs="+", type=Path)
    args = parser.parse_args()
    registry = build_registry(plugins=False)
    for folder in args.folders:
        measure(folder, args.lang, registry, args.show)


if __name__ == "__main__":
    main()
