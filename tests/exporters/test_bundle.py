"""complaint.pdf as a reviewer gets it: text, fonts, structure, stamps, outline, links."""

from __future__ import annotations

import hashlib
import itertools

import pdf_case
import pikepdf
import pytest
from pdftools import pdffonts, pdftotext, pypdf_text, qpdf_check, squash

from evidence_app.cli import main
from evidence_app.errors import Cancelled
from evidence_app.exporters.pdf import build_bundle
from evidence_app.jobs import CancelToken


def test_text_extracts_in_chinese_with_both_extractors(full_bundle):
    store, out, _ = full_bundle
    case = store.load()
    for text in (squash(pdftotext(out)), squash(pypdf_text(out))):
        assert pdf_case.COMPANY in text
        for url in pdf_case.TARGET_URLS:
            assert url in text
        for item in case.evidence:
            assert squash(item.title) in text
            assert item.sha256 in text
        assert "证据目录" in text
        assert "第1页/共" in text


def test_every_font_is_embedded_and_qpdf_is_clean(full_bundle):
    _, out, result = full_bundle
    fonts = pdffonts(out)
    assert fonts, "no fonts listed"
    for row in fonts:
        # name type encoding emb sub uni object ID: emb is the 4th field from the right end
        assert row[-5] == "yes", row
    check = qpdf_check(out)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout
    assert result.pdfa
    assert not result.warnings


def test_page_count_outline_and_links_match_the_case(full_bundle):
    store, out, result = full_bundle
    case = store.load()
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == result.page_count
        page_index = {p.objgen: i for i, p in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            top = [(o.title, o) for o in outline.root]
            titles = [t for t, _ in top]
            assert titles == ["封面", "举报书", "证据目录", "证据材料"]
            children = top[3][1].children
            assert len(children) == len(case.evidence)

            def page_of(item):
                dest = item.destination
                return page_index[dest[0].objgen]

            assert page_of(top[0][1]) == 0
            for child, exhibit in zip(children, result.exhibits, strict=True):
                assert child.title.startswith(f"证据 {exhibit.number}")
                assert page_of(child) == exhibit.first_page - 1
        # Every index link points at the first page of its exhibit.
        firsts = {e.first_page - 1 for e in result.exhibits}
        linked = set()
        front = result.exhibits[0].first_page - 1
        for page in list(pdf.pages)[:front]:
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") == "/Link":
                    linked.add(page_index[annot.Dest[0].objgen])
        assert linked == firsts
    # Page ranges are continuous and cover the whole bundle.
    pages = [(e.first_page, e.last_page) for e in result.exhibits]
    for (_, last), (first, _) in itertools.pairwise(pages):
        assert first == last + 1
    assert pages[-1][1] == result.page_count
    by_number = {e.number: e for e in result.exhibits}  # the bundle's order is by section
    assert [by_number[n].last_page - by_number[n].first_page + 1 for n in sorted(by_number)] == [
        1,
        1,
        2,
        1,
    ]


def test_merged_pdf_pages_carry_their_stamp_and_page_numbers(full_bundle):
    _, out, result = full_bundle
    audit = next(e for e in result.exhibits if e.number == 3)
    first = squash(pdftotext(out, audit.first_page, audit.first_page))
    second = squash(pdftotext(out, audit.last_page, audit.last_page))
    assert "证据3第1/2页" in first and "Auditreportpageone" in first
    assert "证据3第2/2页" in second and "Pagetwosigned" in second
    assert f"第{audit.last_page}页/共{result.page_count}页" in second


def test_video_gets_a_placeholder_page_with_its_hash(full_bundle):
    store, out, result = full_bundle
    video = store.load().evidence[3]
    pages = next(e for e in result.exhibits if e.number == video.number)
    page = squash(pdftotext(out, pages.first_page, pages.first_page))
    assert video.sha256 in page and "录屏视频" in page and "video/mp4" in page


def test_same_case_and_clock_give_identical_bytes(full_store, tmp_path):
    case = full_store.load()
    a = build_bundle(case, full_store.blobs, tmp_path / "a.pdf", clock=pdf_case.CLOCK)
    b = build_bundle(case, full_store.blobs, tmp_path / "b.pdf", clock=pdf_case.CLOCK)
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert a.sha256 == b.sha256
    assert a.sha256 == hashlib.sha256((tmp_path / "a.pdf").read_bytes()).hexdigest()
    later = pdf_case.CLOCK.replace(day=30)
    c = build_bundle(case, full_store.blobs, tmp_path / "c.pdf", clock=later)
    assert c.sha256 != a.sha256


def test_unembedded_fonts_of_an_exhibit_are_reported(tmp_path):
    store = pdf_case.new_case(tmp_path)
    pdf_case.add_bytes(store, pdf_case.text_pdf([["Helvetica text"]], embed=False), "h.pdf")
    result = build_bundle(store.load(), store.blobs, tmp_path / "c.pdf", clock=pdf_case.CLOCK)
    assert [w.key for w in result.warnings] == ["pdf.warn.unembedded_fonts"]
    assert "Helvetica" in result.warnings[0].params["fonts"]
    assert not result.pdfa
    # Only the exhibit's own font is not embedded: ours all are.
    unembedded = [row[0] for row in pdffonts(tmp_path / "c.pdf") if row[-5] == "no"]
    assert unembedded == ["Helvetica"]
    store.close()


def test_characters_missing_from_the_font_are_marked_and_reported(tmp_path):
    store = pdf_case.new_case(tmp_path)
    pdf_case.add_bytes(store, pdf_case.screenshot_png(), "a.png", title="𠮷野家门店截图")
    result = build_bundle(store.load(), store.blobs, tmp_path / "c.pdf", clock=pdf_case.CLOCK)
    assert "[U+20BB7]野家门店截图" in squash(pdftotext(tmp_path / "c.pdf"))
    keys = [w.key for w in result.warnings]
    assert "pdf.warn.missing_glyph" in keys
    assert any("U+20BB7" in w.params.get("detail", "") for w in result.warnings)
    store.close()


def test_cancel_leaves_nothing_behind(full_store, tmp_path):
    out_dir = tmp_path / "cancelled"
    out_dir.mkdir()
    token = CancelToken()

    def progress(done, total, label):
        if done >= 2:
            token.cancel()

    with pytest.raises(Cancelled):
        build_bundle(
            full_store.load(),
            full_store.blobs,
            out_dir / "complaint.pdf",
            clock=pdf_case.CLOCK,
            progress=progress,
            cancel=token,
        )
    assert list(out_dir.iterdir()) == []


def test_cli_pdf_only(full_store, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(pdf_case.CLOCK.timestamp())))
    out = tmp_path / "cli" / "complaint.pdf"
    root = str(full_store.root)
    full_store.close()
    assert main(["export", root, "--pdf-only", str(out), "--allow-gaps"]) == 0
    assert out.is_file()
    assert pdf_case.COMPANY in squash(pdftotext(out))
    again = tmp_path / "cli" / "again.pdf"
    assert main(["export", root, "--pdf-only", str(again), "--allow-gaps"]) == 0
    assert out.read_bytes() == again.read_bytes()


def test_long_statement_and_index_flow_over_several_pages(tmp_path):
    from evidence_app.model import Statement

    store = pdf_case.new_case(tmp_path)
    store.set_statement(Statement(facts="多个账号持续发布不实信息。" * 400, reasons="理由" * 50))
    for n in range(60):
        pdf_case.add_bytes(
            store, pdf_case.screenshot_png(size=(320, 200 + n)), f"s{n}.png", title=f"截图{n}"
        )
    out = tmp_path / "c.pdf"
    result = build_bundle(store.load(), store.blobs, out, clock=pdf_case.CLOCK)
    front = result.exhibits[0].first_page - 1
    assert front >= 5  # cover, a statement over pages, an index over pages
    assert result.page_count == front + 60
    import re

    text = re.sub(r"第\d+页/共\d+页", "", squash(pdftotext(out, 1, front)))
    assert "截图59" in text and text.count("多个账号持续发布不实信息。") == 400
    # The index's page numbers agree with where the exhibits really are.
    last = result.exhibits[-1]
    page = squash(pdftotext(out, last.first_page, last.first_page))
    assert "证据60第1/1页" in page and "截图59" in page
    store.close()
