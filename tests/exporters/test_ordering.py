"""Exhibit order: sections first (主体资格, 授权, 侵权证据, 证明不实的材料, 其他), then the user's
order; a move renumbers consistently, the bundle and its index follow, and a move after an
export needs confirmation and is logged."""

from __future__ import annotations

import datetime as _dt
import subprocess

import pytest

from evidence_app.app.demo import write_demo_case
from evidence_app.errors import UsageError
from evidence_app.exporters.ordering import move_exhibit
from evidence_app.exporters.pdf import build_bundle
from evidence_app.exporters.upload_folder import export_upload_folder
from evidence_app.store import CaseStore

CLOCK = _dt.datetime(2026, 11, 29, 8, 30, tzinfo=_dt.UTC)


def test_move_renumbers_and_the_bundle_follows(tmp_path):
    path = write_demo_case(tmp_path / "demo")
    with CaseStore.open(path) as store:
        before = {e.id: e for e in store.load().evidence}
        site = next(e for e in before.values() if "T3" in e.target_ids)
        weibo = next(
            e for e in before.values() if e.kind.value == "capture" and "T1" in e.target_ids
        )
        assert weibo.number < site.number
        case = move_exhibit(store, site.id, weibo.number)
        numbers = sorted(e.number for e in case.evidence)
        assert numbers == list(range(1, len(before) + 1))  # no gaps, no duplicates
        moved = {e.id: e.number for e in case.evidence}
        assert moved[site.id] == weibo.number and moved[weibo.id] == weibo.number + 1
        out = tmp_path / "c.pdf"
        result = build_bundle(case, store.blobs, out, clock=CLOCK)
        assert store.audit().ok
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("\n", "")
    # Index and letter list the moved exhibit first, under its new number.
    assert text.index(f"证据 {moved[site.id]}：仿冒官网") < text.index(
        f"证据 {moved[weibo.id]}：微博"
    )
    pages = {e.number: e.first_page for e in result.exhibits}
    assert pages[moved[site.id]] < pages[moved[weibo.id]]
    # Sections before numbers: the licence (主体资格) first, the truth guarantee (其他) last.
    kinds = {e.number: e.kind.value for e in case.evidence}
    order = sorted(pages, key=pages.get)
    assert kinds[order[0]] == "business_licence" and kinds[order[-1]] == "truth_guarantee"


def test_move_after_an_export_asks_and_is_logged(tmp_path):
    path = write_demo_case(tmp_path / "demo")
    with CaseStore.open(path) as store:
        export_upload_folder(store, tmp_path / "f", allow_gaps=True)
        last = max(store.load().evidence, key=lambda e: e.number)
        with pytest.raises(UsageError):
            move_exhibit(store, last.id, 1)
        case = move_exhibit(store, last.id, 1, confirmed=True)
        assert next(e for e in case.evidence if e.id == last.id).number == 1
        entry = store.custody_log()[-1]
        assert entry.action == "evidence.reorder" and entry.details["after_export"] is True
        assert store.audit().ok
