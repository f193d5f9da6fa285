"""Helpers shared by the sub-commands: opening a case, printing JSON, reading secrets."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from evidence_app.errors import UsageError
from evidence_app.store import CaseStore, case_path


def open_case(path: str, writer: str | None = None) -> CaseStore:
    """``writer`` names what a writing command does ("import", "export" …): it takes the case
    lock (a second writer is refused, naming the first). Readers take nothing, delete
    nothing and never wait."""
    if writer is None:
        return CaseStore.open(case_path(path), clean_up=False)
    return CaseStore.open(case_path(path), lock_for=writer)


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, sort_keys=False)
    sys.stdout.write("\n")


def secret_from_env(var: str) -> str:
    """Passphrases come from the environment, never from the command line (visible in ps).
    From here on the process holds a secret: no core dumps (crypto.hardening)."""
    from evidence_app.crypto.hardening import no_core_dumps

    no_core_dumps()
    value = os.environ.get(var)
    if value is None:
        raise UsageError("cli.env_missing", var=var)
    return value


def existing_file(path: str) -> Path:
    p = Path(path)
    if not p.is_file():
        raise UsageError("cli.file_missing", path=path)
    return p
