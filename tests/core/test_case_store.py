import io
import itertools
import os
import sqlite3

import pytest

from evidence_app.errors import StoreError
from evidence_app.model import Category, Complainant, EvidenceItem, EvidenceKind, Target
from evidence_app.store import CaseStore
from evidence_app.store.custody import GENESIS


def make_case(tmp_path, clock):
    store = CaseStore.create(tmp_path / "c", "测试案件", clock=clock, actor="tester")
    store.set_complainant(Complainant(name="甲公司", uscc="91110000600037341L"))
    t = store.add_target(
        Target(url="https://weibo.com/1", platform="微博", categories=[Category.RUMOUR])
    )
    staged = store.blobs.stage(io.BytesIO(b"original bytes \x00\xff"))
    item = store.add_evidence(
        staged, EvidenceItem(kind=EvidenceKind.CAPTURE, title="截图", target_ids=[t.id])
    )
    return store, item


def test_create_layout_and_reopen(tmp_path, frozen_clock):
    store, item = make_case(tmp_path, frozen_clock)
    store.close()
    root = tmp_path / "c.evcase"
    assert (root / "case.sqlite").is_file()
    blob = root / "blobs" / item.sha256[:2] / item.sha256[2:]
    assert blob.read_bytes() == b"original bytes \x00\xff"
    assert not os.access(blob, os.W_OK) or os.geteuid() == 0  # read-only (root ignores modes)
    assert oct(blob.stat().st_mode & 0o222) == "0o0"
    with CaseStore.open(tmp_path / "c") as again:
        case = again.load()
        assert case.title == "测试案件"
        assert case.complainant.name == "甲公司"
        assert case.evidence[0].number == 1 and case.evidence[0].target_ids == ["T1"]
        assert again._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert again._conn.execute("PRAGMA user_version").fetchone()[0] == 1


def test_custody_chain_links_every_change(tmp_path, frozen_clock):
    store, _ = make_case(tmp_path, frozen_clock)
    log = store.custody_log()
    assert [e.action for e in log] == [
        "case.create",
        "case.title",
        "complainant.update",
        "target.add",
        "evidence.import",
    ]
    assert log[0].prev == GENESIS
    for a, b in itertools.pairwise(log):
        assert b.prev == a.hash
    assert all(e.actor == "tester" and e.at == "2026-11-29T08:30:00Z" for e in log)
    assert store.audit().ok


def test_original_cannot_change(tmp_path, frozen_clock):
    store, item = make_case(tmp_path, frozen_clock)
    item.sha256 = "0" * 64
    with pytest.raises(StoreError) as err:
        store.update_evidence(item)
    assert err.value.key == "store.original_immutable"


def test_remove_target_unlinks_evidence(tmp_path, frozen_clock):
    store, item = make_case(tmp_path, frozen_clock)
    store.remove_target("T1")
    assert store.get_evidence(item.id).target_ids == []
    assert store.audit().ok


def test_audit_names_tampered_blob(tmp_path, frozen_clock):
    store, item = make_case(tmp_path, frozen_clock)
    blob = store.blobs.path_for(item.sha256)
    os.chmod(blob, 0o600)
    blob.write_bytes(b"original bytes \x00\xfe")  # one byte changed
    report = store.audit()
    assert not report.ok
    assert [(p.key, p.params["number"]) for p in report.problems] == [("audit.blob_mismatch", 1)]


def test_audit_names_missing_blob(tmp_path, frozen_clock):
    store, item = make_case(tmp_path, frozen_clock)
    store.blobs.path_for(item.sha256).unlink()
    assert [p.key for p in store.audit().problems] == ["audit.blob_missing"]


def test_audit_names_first_tampered_log_row(tmp_path, frozen_clock):
    store, _ = make_case(tmp_path, frozen_clock)
    store.close()
    db = sqlite3.connect(tmp_path / "c.evcase" / "case.sqlite")
    db.execute("UPDATE custody SET actor='mallory' WHERE seq=3")
    db.commit()
    db.close()
    with CaseStore.open(tmp_path / "c") as again:
        report = again.audit()
    assert not report.ok
    assert (report.problems[0].key, report.problems[0].params) == ("audit.chain_hash", {"seq": 3})


def test_audit_detects_deleted_log_row(tmp_path, frozen_clock):
    store, _ = make_case(tmp_path, frozen_clock)
    store._conn.execute("DELETE FROM custody WHERE seq=2")
    report = store.audit()
    assert report.problems[0].key == "audit.chain_sequence"
    assert report.problems[0].params == {"seq": 3}


def test_audit_detects_data_changed_behind_the_log(tmp_path, frozen_clock):
    store, item = make_case(tmp_path, frozen_clock)
    store._conn.execute(
        "UPDATE evidence SET data=replace(data, '截图', '伪造') WHERE id=?", (item.id,)
    )
    report = store.audit()
    assert [(p.key, p.params) for p in report.problems] == [
        ("audit.record_changed", {"subject": f"evidence:{item.id}"})
    ]


def test_cli_audit_exit_4_and_names_entry(tmp_path, frozen_clock, capsys):
    from evidence_app.cli import main

    store, _ = make_case(tmp_path, frozen_clock)
    store._conn.execute("UPDATE custody SET details='{}' WHERE seq=4")
    store.close()
    assert main(["audit", str(tmp_path / "c.evcase")]) == 4
    err = capsys.readouterr().err
    assert "第 4 条" in err and "核验失败" in err


def test_open_missing_and_newer_schema(tmp_path, frozen_clock):
    with pytest.raises(StoreError) as err:
        CaseStore.open(tmp_path / "nope")
    assert err.value.key == "store.not_found"
    store, _ = make_case(tmp_path, frozen_clock)
    store._conn.execute("PRAGMA user_version=99")
    store.close()
    with pytest.raises(StoreError) as err:
        CaseStore.open(tmp_path / "c")
    assert err.value.key == "store.too_new"


def test_garbage_database_is_a_clear_error(tmp_path):
    root = tmp_path / "bad.evcase"
    root.mkdir()
    (root / "case.sqlite").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError) as err:
        CaseStore.open(root)
    assert err.value.key == "store.corrupt"


def test_staging_leftovers_cleaned_on_open(tmp_path, frozen_clock):
    store, _ = make_case(tmp_path, frozen_clock)
    leftover = store.blobs.root / ".stage-crash.tmp"
    leftover.write_bytes(b"half")
    store.close()
    CaseStore.open(tmp_path / "c").close()
    assert not leftover.exists()


def test_export_work_folder_removed_on_open(tmp_path, frozen_clock):
    """A killed export's plaintext work folder does not survive the next open."""
    store, _ = make_case(tmp_path, frozen_clock)
    work = store.root / ".export-tmp"
    work.mkdir()
    (work / "complaint.pdf").write_bytes(b"%PDF-1.7 plaintext")
    store.close()
    CaseStore.open(tmp_path / "c").close()
    assert not list(work.iterdir())


def test_second_opener_leaves_leftovers_alone(tmp_path, frozen_clock):
    """The desktop app's export helper opens the case the window has open: files that look
    like crash leftovers may be the window's import in progress."""
    store, _ = make_case(tmp_path, frozen_clock)
    staging = store.blobs.root / ".stage-inprogress.tmp"
    staging.write_bytes(b"being imported")
    CaseStore.open(tmp_path / "c", clean_up=False).close()
    assert staging.exists()
    store.close()


def test_removed_exhibit_restored_as_it_was(tmp_path, frozen_clock):
    store, item = make_case(tmp_path, frozen_clock)
    store.remove_evidence(item.id)
    assert store.load().evidence == []
    store.restore_evidence(item)
    (back,) = store.load().evidence
    assert (back.id, back.number, back.sha256) == (item.id, item.number, item.sha256)
    assert [e.action for e in store.custody_log()][-2:] == ["evidence.remove", "evidence.restore"]
    assert store.audit().ok


def test_restore_refused_when_number_taken_or_original_gone(tmp_path, frozen_clock):
    store, item = make_case(tmp_path, frozen_clock)
    store.remove_evidence(item.id)
    other = store.add_evidence(
        store.blobs.stage(io.BytesIO(b"another original")),
        EvidenceItem(kind=EvidenceKind.CAPTURE, title="另一张", number=item.number),
    )
    with pytest.raises(StoreError) as info:
        store.restore_evidence(item)
    assert info.value.key == "store.duplicate_exhibit"
    store.remove_evidence(other.id)
    gone = store.blobs.path_for(item.sha256)
    os.chmod(gone, 0o600)
    gone.unlink()
    with pytest.raises(StoreError) as info:
        store.restore_evidence(item)
    assert info.value.key == "store.blob_gone"
    assert store.audit().ok  # a refused restore changed nothing
