"""``python -m trustlint`` and the ``trustlint`` script.

``--version`` is answered before click and the rules are imported, so that it costs
little more than starting Python.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from trustlint import __version__

        print(f"trustlint, version {__version__}")
        return
    from trustlint.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
