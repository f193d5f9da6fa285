"""The encrypted packet keeps a redacted exhibit's original and adds the derivative that the
unencrypted outputs carry; the manifest ties the two together; the packet still verifies."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

from packet_helpers import decrypt_zip, frozen, make_case

from evidence_app.exporters.packet import export_packet
from evidence_app.model import Redaction
from evidence_app.packet import layout, verify_packet
from evidence_app.store import CaseStore


def test_packet_keeps_original_and_adds_derivative(tmp_path, signing, age_identity):
    path = make_case(tmp_path)
    with CaseStore.open(path, clock=frozen) as store:
        item = next(e for e in store.load().evidence if e.is_image)
        item.redactions = [Redaction(page=0, x=0.0, y=0.0, w=0.5, h=0.5)]
        store.update_evidence(item)
        out = tmp_path / "p.evpkt"
        export_packet(
            store,
            out,
            recipients=[str(age_identity.to_public())],
            passphrase=None,
            signing=signing,
            allow_gaps=True,
            clock=frozen,
        )
    with zipfile.ZipFile(io.BytesIO(decrypt_zip(out, age_identity))) as z:
        names = z.namelist()
        manifest = json.loads(z.read(layout.MANIFEST))
        (row,) = [e for e in manifest["case"]["exhibits"] if e["id"] == item.id]
        assert row["path"] == layout.evidence_member(item) and row["path"] in names
        assert hashlib.sha256(z.read(row["path"])).hexdigest() == item.sha256
        derivative = row["redacted"]["path"]
        assert derivative in names and derivative.endswith("-redacted.png")
        assert hashlib.sha256(z.read(derivative)).hexdigest() == row["redacted"]["sha256"]
    assert verify_packet(out, identities=[age_identity]).ok
