"""Trust that means something, and every malformed input a named exit 4 (issue: a packet
whose every member was re-signed with an unrelated self-signed key "passed" without --trust;
deep JSON in manifest.json or custody.jsonl gave exit 1 "RecursionError" and no JSON)."""

from __future__ import annotations

import hashlib
import json

import pytest
from packet_helpers import decrypt_zip, frozen, reencrypt, rezip, zip_entries

from evidence_app.cli import main
from evidence_app.crypto.cms import sign_detached
from evidence_app.crypto.pades import sign_pdf
from evidence_app.exporters.packet import export_packet
from evidence_app.packet import layout
from evidence_app.store import CaseStore


@pytest.fixture
def ident(age_identity, tmp_path):
    path = tmp_path / "id.txt"
    path.write_text(str(age_identity) + "\n")
    return path


@pytest.fixture(scope="module")
def foreign_packet(case_path, other_signing, age_identity, tmp_path_factory):
    """Every member signed (CMS and PAdES) by a certificate naming another organisation."""
    out = tmp_path_factory.mktemp("foreign") / "foreign.evpkt"
    with CaseStore.open(case_path, clock=frozen) as store:
        export_packet(
            store,
            out,
            recipients=[str(age_identity.to_public())],
            passphrase=None,
            signing=other_signing,
            allow_gaps=True,
            clock=frozen,
        )
    return out


def _verify(packet, ident, *extra):
    return main(["verify", str(packet), "--identity", str(ident), *map(str, extra)])


def test_signer_not_naming_the_complainant_fails_without_trust(foreign_packet, ident, capsys):
    assert _verify(foreign_packet, ident) == 4
    captured = capsys.readouterr()
    assert "签名证书与举报人不符" in captured.err
    assert "另一家公司" in captured.err
    assert _verify(foreign_packet, ident, "--json") == 4
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["reason"]["key"] == "packet.signer_not_complainant"
    assert report["trust"]["level"] == "none" and report["trust"]["matches_complainant"] is False


def test_trust_anchors_a_signer_the_user_chose(foreign_packet, other_signing, ident, tmp_path):
    cert = tmp_path / "other.pem"
    from cryptography.hazmat.primitives import serialization

    cert.write_bytes(other_signing.cert.public_bytes(serialization.Encoding.PEM))
    assert _verify(foreign_packet, ident, "--trust", cert) == 0


def test_trust_level_in_words_and_json(exported, signing, ident, tmp_path, capsys):
    assert _verify(exported.packet_path, ident) == 0
    assert "仅与举报人相符" in capsys.readouterr().out
    assert _verify(exported.packet_path, ident, "--json") == 0
    trust = json.loads(capsys.readouterr().out)["trust"]
    assert trust["level"] == "complainant" and trust["matches_complainant"] is True
    from cryptography.hazmat.primitives import serialization

    cert = tmp_path / "own.pem"
    cert.write_bytes(signing.cert.public_bytes(serialization.Encoding.PEM))
    assert _verify(exported.packet_path, ident, "--trust", cert, "--json") == 0
    assert json.loads(capsys.readouterr().out)["trust"]["level"] == "anchored"
    assert _verify(exported.packet_path, ident, "--trust", cert) == 0
    assert "已锚定" in capsys.readouterr().out


def _forge(exported, age_identity, signing, tmp_path, change):
    """Rebuild the packet with ``change`` applied to the member dict, manifest hashes
    updated and re-signed by the real signer (the worst case: a valid signature)."""
    entries = dict(zip_entries(decrypt_zip(exported.packet_path, age_identity)))
    change(entries)
    manifest = json.loads(entries[layout.MANIFEST])
    for f in manifest["files"]:
        data = entries[f["path"]]
        f.update(size=len(data), sha256=hashlib.sha256(data).hexdigest())
    raw = entries.get("__raw_manifest__") or (json.dumps(manifest) + "\n").encode()
    entries.pop("__raw_manifest__", None)
    entries[layout.MANIFEST] = raw
    entries[layout.SIGNATURE] = sign_detached(raw, signing)
    order = [layout.MANIFEST, layout.SIGNATURE] + [
        n for n in entries if n not in (layout.MANIFEST, layout.SIGNATURE)
    ]
    return reencrypt(rezip([(n, entries[n]) for n in order]), age_identity, tmp_path / "f.evpkt")


def _deep_custody(entries):
    entries[layout.CUSTODY] = b'{"seq": ' + b"[" * 200_000 + b"]" * 200_000 + b"}\n"


def _deep_manifest(entries):
    manifest = json.loads(entries[layout.MANIFEST])
    text = json.dumps(manifest)[:-1] + ', "x": ' + "[" * 200_000 + "]" * 200_000 + "}"
    entries["__raw_manifest__"] = text.encode()


def _huge_number(entries):
    manifest = json.loads(entries[layout.MANIFEST])
    text = json.dumps(manifest)[:-1] + ', "x": ' + "7" * 5000 + "}"
    entries["__raw_manifest__"] = text.encode()


def _custody_not_objects(entries):
    entries[layout.CUSTODY] = b'[1, 2]\n"text"\n'


@pytest.mark.parametrize(
    "change",
    [_deep_custody, _deep_manifest, _huge_number, _custody_not_objects],
    ids=["deep-custody", "deep-manifest", "5000-digits", "custody-not-objects"],
)
def test_malformed_json_is_exit_4_with_a_reason(
    change, exported, age_identity, signing, ident, tmp_path, capsys
):
    forged = _forge(exported, age_identity, signing, tmp_path, change)
    assert _verify(forged, ident) == 4
    err = capsys.readouterr().err
    assert "Unexpected" not in err and "意外" not in err and "RecursionError" not in err
    assert _verify(forged, ident, "--json") == 4
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["reason"]["key"].startswith("packet.")


def test_re_signed_pdf_and_manifest_by_a_stranger(
    exported, age_identity, other_signing, ident, tmp_path, capsys
):
    """The forger re-signs both the manifest and complaint.pdf (PAdES) with their own key."""

    def resign_pdf(entries):
        src, dst = tmp_path / "in.pdf", tmp_path / "out.pdf"
        src.write_bytes(entries[layout.COMPLAINT])
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter()
        for page in PdfReader(src).pages:
            writer.add_page(page)
        unsigned = tmp_path / "unsigned.pdf"
        with open(unsigned, "wb") as fh:
            writer.write(fh)
        sign_pdf(unsigned, dst, other_signing)
        entries[layout.COMPLAINT] = dst.read_bytes()

    forged = _forge(exported, age_identity, other_signing, tmp_path, resign_pdf)
    assert _verify(forged, ident) == 4
    assert "签名证书与举报人不符" in capsys.readouterr().err
