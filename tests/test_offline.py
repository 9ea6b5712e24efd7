"""trustlint never touches the network: a run with every socket blocked works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# Loaded by Python at start-up (sitecustomize): any connection attempt raises.
GUARD = """
import socket

def _refuse(*args, **kwargs):
    raise OSError("network access attempted during an offline test")

socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
"""

UNLABELLED = {
    "en.html": "<p>We may share your personal data with trusted partners for marketing. "
    "Hurry, only 2 left in stock, the offer ends tonight at midnight.</p>",
    "de.md": "# Datenschutz\n\nWir geben Ihre Daten zwecks Optimierung an ausgewählte "
    "Partner weiter, sofern Sie nicht widersprechen.\n",
    "ru.txt": "Мы можем передавать ваши персональные данные третьим лицам в целях улучшения "
    "качества обслуживания клиентов.\n",
}


def test_check_runs_with_network_blocked(tmp_path: Path) -> None:
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD)
    pages = tmp_path / "pages"
    pages.mkdir()
    for name, text in UNLABELLED.items():
        (pages / name).write_text(text, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(guard))
    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(('127.0.0.1', 9))"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert "offline test" in probe.stderr  # the guard is really in place
    targets = [str(pages)] + ([str(EXAMPLES)] if EXAMPLES.is_dir() else [])
    proc = subprocess.run(
        [sys.executable, "-m", "trustlint", "check", "--format", "json", *targets],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert "offline test" not in proc.stderr
    json.loads(proc.stdout)
