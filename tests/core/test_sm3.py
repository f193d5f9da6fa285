"""SM3 (GB/T 32905) beside SHA-256: computed at import in the same pass, equal to what the
reference tool computes, logged on the custody log, and as immutable as the SHA-256."""

from __future__ import annotations

import dataclasses
import subprocess

import pytest

from evidence_app.errors import StoreError
from evidence_app.intake import import_files
from evidence_app.store import CaseStore


def test_sm3_recorded_logged_and_immutable(tmp_path):
    source = tmp_path / "截图.bin"
    source.write_bytes(bytes(range(256)) * 5000)
    with CaseStore.create(tmp_path / "s.evcase", "SM3") as store:
        [outcome] = import_files(store, [source])
        item = outcome.item
        entry = store.custody_log()[-1]
        assert entry.action == "evidence.import" and entry.details["sm3"] == item.sm3
        with pytest.raises(StoreError) as refused:
            store.update_evidence(dataclasses.replace(item, sm3="0" * 64))
        assert refused.value.key == "store.original_immutable"
        assert store.audit().ok
    openssl = subprocess.run(
        ["openssl", "dgst", "-sm3", "-r", str(source)], capture_output=True, text=True, check=True
    )
    assert openssl.stdout.split()[0] == item.sm3 and len(item.sm3) == 64
