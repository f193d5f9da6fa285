"""RFC 3161 trusted time through the command line: .tsq written by the app, answered by a TSA
made in the test with ``openssl ts -reply``, imported back; every bad reply refused with its
reason and leaving the case unchanged."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from tsa_helpers import NOW, make_tsa

from evidence_app.crypto import timestamps as ts
from evidence_app.intake import import_bytes
from evidence_app.store import CaseStore

PY = [sys.executable, "-m", "evidence_app"]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PY, *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def tsa(tmp_path_factory):
    return make_tsa(tmp_path_factory.mktemp("tsa"))


@pytest.fixture
def case(tmp_path) -> Path:
    path = tmp_path / "t.evcase"
    with CaseStore.create(path, "时间戳测试") as store:
        for i in (1, 2):
            import_bytes(
                store,
                f"exhibit {i}\n".encode(),
                f"note{i}.txt",
                fields={"captured_at": NOW.isoformat(timespec="seconds")},
            )
    return path


def _log(case: Path) -> list:
    with CaseStore.open(case) as store:
        return store.custody_log()


def test_request_then_import_records_trusted_time(case, tsa, tmp_path):
    out = tmp_path / "q"
    r = cli("timestamp", "request", str(case), "--exhibit", "E002", "--out", str(out), "--json")
    assert r.returncode == 0, r.stderr
    [query] = json.loads(r.stdout)
    tsq = Path(query["file"])
    assert tsq.name == "E002.tsq"
    # the query as OpenSSL reads it: SHA-256 of the original, a nonce, certReq
    text = subprocess.run(
        ["openssl", "ts", "-query", "-in", str(tsq), "-text"], capture_output=True, text=True
    ).stdout
    with CaseStore.open(case) as store:
        item = store.load().evidence[1]
    assert "Hash Algorithm: sha256" in text and "Certificate required: yes" in text
    assert item.sha256 == hashlib.sha256(b"exhibit 2\n").hexdigest()
    imprint = "".join(
        line.split("-", 1)[-1] for line in text.splitlines() if line.strip().startswith("00")
    )
    assert item.sha256[:8] in imprint.replace(" ", "")
    assert "Nonce: 0x" in text

    tsr = tsa.reply(tsq, tmp_path / "E002.tsr")
    r = cli("timestamp", "import", str(case), str(tsr), "--trust", str(tsa.root_pem))
    assert r.returncode == 0, r.stderr
    assert "已导入 E002 的可信时间" in r.stdout and "Test TSA" in r.stdout
    with CaseStore.open(case) as store:
        item = store.load().evidence[1]
        assert store.audit().ok
        entry = store.custody_log()[-1]
    [stamp] = item.timestamps
    assert entry.action == "evidence.timestamp" and entry.details["gen_time"] == stamp.gen_time
    assert entry.details["token_sha256"] == stamp.token_sha256
    assert hashlib.sha256(tsr.read_bytes()).hexdigest() == stamp.token_sha256
    assert abs(_dt.datetime.fromisoformat(stamp.gen_time) - NOW) < _dt.timedelta(hours=1)
    assert "Test TSA" in stamp.tsa and "Root CA" in stamp.root_subject
    # the same reply again is recognised, not added twice
    r = cli("timestamp", "import", str(case), str(tsr), "--trust", str(tsa.root_pem))
    assert r.returncode == 0 and "未重复导入" in r.stdout


def _refused(case: Path, tsr: Path, trust: Path, reason: str) -> None:
    before = _log(case)
    r = cli("--lang", "en", "timestamp", "import", str(case), str(tsr), "--trust", str(trust))
    assert r.returncode == 4, r.stdout + r.stderr
    assert "refused" in r.stderr and reason in r.stderr, r.stderr
    r = cli("timestamp", "import", str(case), str(tsr), "--trust", str(trust), "--json")
    assert json.loads(r.stdout)[0]["status"] == "refused"
    assert _log(case) == before  # nothing recorded


def _query_for(case: Path, tmp_path: Path) -> Path:
    r = cli("timestamp", "request", str(case), "--exhibit", "E001", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    return tmp_path / "E001.tsq"


def test_wrong_hash_refused(case, tsa, tmp_path):
    _query_for(case, tmp_path)
    # a genuine token for other data: its imprint matches no query of this case
    other = ts.build_query(hashlib.sha256(b"something else").digest())
    (tmp_path / "other.tsq").write_bytes(other.der)
    tsr = tsa.reply(tmp_path / "other.tsq", tmp_path / "other.tsr")
    _refused(case, tsr, tsa.root_pem, "matches no query of this case")


def test_untrusted_tsa_refused(case, tsa, tmp_path):
    tsq = _query_for(case, tmp_path)
    tsr = tsa.reply(tsq, tmp_path / "E001.tsr")
    stranger = make_tsa(tmp_path / "stranger", "Stranger TSA")
    _refused(case, tsr, stranger.root_pem, "does not chain to the given trust anchors")


def test_expired_tsa_certificate_refused(case, tmp_path):
    old = make_tsa(
        tmp_path / "old",
        "Expired TSA",
        not_before=NOW - _dt.timedelta(days=400),
        not_after=NOW - _dt.timedelta(days=2),
    )
    tsq = _query_for(case, tmp_path)
    tsr = old.reply(tsq, tmp_path / "E001.tsr")
    _refused(case, tsr, old.root_pem, "TSA certificate was not valid at genTime")


def test_malformed_reply_refused(case, tsa, tmp_path):
    tsq = _query_for(case, tmp_path)
    good = tsa.reply(tsq, tmp_path / "E001.tsr").read_bytes()
    cut = tmp_path / "cut.tsr"
    cut.write_bytes(good[: len(good) // 2])
    _refused(case, cut, tsa.root_pem, "not a valid RFC 3161 reply")
    flipped = bytearray(good)
    flipped[-40] ^= 0x01  # inside the signature: the DER still parses
    bad = tmp_path / "flipped.tsr"
    bad.write_bytes(bytes(flipped))
    _refused(case, bad, tsa.root_pem, "signature is invalid")


def test_altered_token_blob_fails_audit(case, tsa, tmp_path):
    tsq = _query_for(case, tmp_path)
    tsr = tsa.reply(tsq, tmp_path / "E001.tsr")
    assert (
        cli("timestamp", "import", str(case), str(tsr), "--trust", str(tsa.root_pem)).returncode
        == 0
    )
    with CaseStore.open(case) as store:
        blob = store.blobs.path_for(store.load().evidence[0].timestamps[0].token_sha256)
    blob.chmod(0o600)
    blob.write_bytes(blob.read_bytes() + b"x")
    r = cli("--lang", "en", "audit", str(case))
    assert r.returncode == 4 and "timestamp file" in r.stderr
