"""The other cases in a case's folder, read-only: consulted for earlier submissions of the
same item (the duplicate-report guard of the rule engine)."""

from __future__ import annotations

import os

from evidence_app.errors import StoreError
from evidence_app.model import Case
from evidence_app.store.case_store import DB_NAME, CaseStore, case_path


def sibling_cases(path: str | os.PathLike[str]) -> list[tuple[str, Case]]:
    """(folder name, case) of every other case in the folder that holds ``path``, read without
    cleaning anything up (another session may have them open). Unreadable ones are skipped:
    they are only consulted for earlier submissions (the duplicate-report guard)."""
    root = case_path(path).resolve()
    out: list[tuple[str, Case]] = []
    for other in sorted(root.parent.glob("*.evcase")):
        if other.resolve() == root or not (other / DB_NAME).is_file():
            continue
        try:
            store = CaseStore.open(other, clean_up=False)
        except StoreError:
            continue
        try:
            out.append((other.name, store.load()))
        finally:
            store.close()
    return out
