"""A target's block in the complaint letter stays on one page (no heading left alone at the
foot of a page)."""

import datetime as _dt

from pypdf import PdfReader

from evidence_app.app.demo import write_demo_case
from evidence_app.exporters.pdf import build_bundle
from evidence_app.store import CaseStore


def test_target_blocks_are_not_split(tmp_path):
    case_dir = write_demo_case(tmp_path / "demo")
    with CaseStore.open(case_dir) as store:
        case = store.load()
        out = tmp_path / "complaint.pdf"
        clock = _dt.datetime(2026, 11, 29, 8, 30, tzinfo=_dt.UTC)
        build_bundle(case, store.blobs, out, clock=clock)
    pages = [p.extract_text() or "" for p in PdfReader(out).pages]
    for n, target in enumerate(case.targets, start=1):
        heading = f"（{n}）被举报信息 {target.id}"
        (page,) = [t for t in pages if heading in t]
        block = page[page.index(heading) :]
        # the block's last line (its evidence numbers) is on its heading's page
        assert "相关证据：证据" in block, block
