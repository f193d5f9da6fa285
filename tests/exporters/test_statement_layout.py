"""A target's heading and its table stay on one page (no lone row on the next page)."""

import datetime as _dt

from pypdf import PdfReader

from evidence_app.app.demo import write_demo_case
from evidence_app.exporters.pdf import build_bundle
from evidence_app.store import CaseStore


def test_target_tables_are_not_split(tmp_path):
    case_dir = write_demo_case(tmp_path / "demo")
    with CaseStore.open(case_dir) as store:
        case = store.load()
        out = tmp_path / "complaint.pdf"
        clock = _dt.datetime(2026, 11, 29, 8, 30, tzinfo=_dt.UTC)
        build_bundle(case, store.blobs, out, clock=clock)
    pages = [p.extract_text() or "" for p in PdfReader(out).pages]
    statement = [t for t in pages if "被投诉信息 T" in t or "相关证据编号" in t]
    for text in statement:
        # every table's last row sits on the page of its own heading
        assert text.count("被投诉信息 T") == text.count("相关证据编号"), text
    for target in case.targets:
        assert sum(f"被投诉信息 {target.id}" in t for t in pages) == 1
