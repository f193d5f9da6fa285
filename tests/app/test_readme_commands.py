"""The README's command list and `--help` stay true to the command table."""

from __future__ import annotations

import re
from pathlib import Path

from evidence_app.cli import COMMANDS, main

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_command_is_in_readme_and_help(capsys):
    text = README.read_text("utf-8")
    listed = set(re.findall(r"^evidence-app ([a-z-]+)", text, re.MULTILINE))
    assert set(COMMANDS) - {"gui"} <= listed, set(COMMANDS) - listed
    assert listed <= set(COMMANDS)  # nothing listed that does not exist
    assert main(["--lang", "en", "--help"]) == 0
    shown = capsys.readouterr().out
    for name in COMMANDS:
        assert re.search(rf"^\s+{re.escape(name)}\s", shown, re.MULTILINE), name


def test_help_of_an_edit_command_lists_the_models_fields(capsys):
    assert main(["--lang", "en", "set", "--help"]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    for field in ("issuer", "issued_at", "queried_at", "proves", "kind"):
        assert field in shown
