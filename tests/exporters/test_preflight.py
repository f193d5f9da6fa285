"""Preflight: a bad exhibit stops the export with a typed error naming it, before anything is
written; the corpus' odd PDFs merge with their orientation, its hostile ones are judged."""

from __future__ import annotations

import os
import stat

import pdf_case
import pikepdf
import pytest
from pdftools import pdftotext, qpdf_check, squash

from evidence_app.errors import EvidenceError
from evidence_app.exporters.pdf import ExhibitRefused, build_bundle, preflight
from evidence_app.i18n import tr

# What each hostile PDF is refused for. Two files in pdf/hostile open with an empty user
# password / have only broken outline destinations (which the bundle never copies): they merge
# like their pdf/odd siblings and are listed here so that a change is noticed.
HOSTILE = {
    "crazyones-encrypted-256.pdf": "pdf.preflight.pdf_encrypted",
    "encrypted-file.pdf": "pdf.preflight.pdf_encrypted",
    "libreoffice-writer-password.pdf": "pdf.preflight.pdf_encrypted",
    "r2-user-password.pdf": "pdf.preflight.pdf_encrypted",
    "r4-aes-user-password.pdf": "pdf.preflight.pdf_encrypted",
    "encrypted_doc_no_id.pdf": "pdf.preflight.pdf_restricted",
    "issue-297.pdf": "pdf.preflight.pdf_damaged",
    "selenium-pypdf-issue-177.pdf": "pdf.preflight.pdf_damaged",
    "r6-user-password.pdf": None,
    "outlines-with-invalid-destinations.pdf": None,
}


def _assert_nothing_written(folder):
    assert not folder.exists() or list(folder.iterdir()) == []


def test_every_hostile_pdf_is_judged(tmp_path, corpus):
    files = sorted((corpus / "pdf" / "hostile").glob("*.pdf"))
    assert {f.name for f in files} == set(HOSTILE)
    for n, path in enumerate(files):
        store = pdf_case.new_case(tmp_path / str(n))
        pdf_case.add_bytes(store, pdf_case.screenshot_png(), "ok.png", title="正常截图")
        pdf_case.add_file(store, path, title=f"文件{path.stem}")
        out_dir = tmp_path / f"out{n}"
        expected = HOSTILE[path.name]
        if expected is None:
            result = build_bundle(
                store.load(), store.blobs, out_dir / "c.pdf", clock=pdf_case.CLOCK
            )
            assert qpdf_check(out_dir / "c.pdf").returncode == 0
            assert result.exhibits[1].last_page == result.page_count
        else:
            with pytest.raises(ExhibitRefused) as info:
                preflight(store.load(), store.blobs)
            assert info.value.key == expected, path.name
            assert info.value.params["number"] == 2
            with pytest.raises(ExhibitRefused):
                build_bundle(store.load(), store.blobs, out_dir / "c.pdf", clock=pdf_case.CLOCK)
            _assert_nothing_written(out_dir)
            message = info.value.message()
            assert "证据 2" in message and f"文件{path.stem}" in message
        store.close()


def test_odd_pdfs_merge(tmp_path, corpus):
    store = pdf_case.new_case(tmp_path)
    files = sorted((corpus / "pdf" / "odd").glob("*.pdf"))
    counts = []
    for path in files:
        pdf_case.add_file(store, path, title=path.stem)
        with pikepdf.open(path) as src:
            counts.append(len(src.pages))
    out = tmp_path / "c.pdf"
    result = build_bundle(store.load(), store.blobs, out, clock=pdf_case.CLOCK)
    check = qpdf_check(out)
    assert check.returncode == 0, check.stdout + check.stderr
    assert [e.last_page - e.first_page + 1 for e in result.exhibits] == counts
    text = squash(pdftotext(out))
    for exhibit in result.exhibits:
        pages = exhibit.last_page - exhibit.first_page + 1
        assert f"证据{exhibit.number}第{pages}/{pages}页" in text
    assert "Ahoy" in text or "JPEG" in text  # some of the corpus' own text survived
    with pikepdf.open(out) as pdf:
        # Annotations were flattened or dropped; nothing points into the source files.
        for exhibit in result.exhibits:
            assert "/Annots" not in pdf.pages[exhibit.first_page - 1].obj


def _inherited_rotation_pdf() -> bytes:
    import io

    data = pdf_case.text_pdf([["Inherited rotation"]])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.Root.Pages.Rotate = 270
        del pdf.pages[0].obj["/Rotate"]
        buf = io.BytesIO()
        pdf.save(buf, static_id=True)
        return buf.getvalue()


def test_rotated_pages_keep_their_rotation_and_get_an_upright_stamp(tmp_path):
    from pdftools import render

    store = pdf_case.new_case(tmp_path)
    for angle in (90, 180, 270):
        pdf_case.add_bytes(store, pdf_case.text_pdf([[f"Rotated {angle}"]], rotate=angle), "r.pdf")
    pdf_case.add_bytes(store, _inherited_rotation_pdf(), "inherited.pdf")
    out = tmp_path / "c.pdf"
    result = build_bundle(store.load(), store.blobs, out, clock=pdf_case.CLOCK)
    with pikepdf.open(out) as pdf:
        got = [int(pdf.pages[e.first_page - 1].obj.Rotate) for e in result.exhibits]
    assert got == [90, 180, 270, 270]
    for exhibit in result.exhibits:
        page = render(out, exhibit.first_page)
        w = page.width
        mask = _red_mask(page)
        box = mask.getbbox()
        assert box is not None
        # The red stamp sits in the displayed page's top-right corner, and is wider than tall
        # (text running left to right, not sideways).
        assert box[1] < 30 and box[3] < 40, box
        assert box[2] > w - 30 and box[0] > w / 2, box
        assert box[2] - box[0] > 3 * (box[3] - box[1]), box


def _red_mask(page):
    r, g, b = page.split()
    from PIL import ImageChops

    return ImageChops.subtract(r, ImageChops.add(g, b, scale=2.0)).point(
        lambda v: 255 if v > 60 else 0
    )


def test_missing_and_changed_blobs_are_refused(tmp_path):
    store = pdf_case.new_case(tmp_path)
    first = pdf_case.add_bytes(store, pdf_case.screenshot_png(), "a.png", title="截图甲")
    second = pdf_case.add_bytes(store, pdf_case.screenshot_png(size=(640, 480)), "b.png")
    blob = store.blobs.path_for(second.sha256)
    os.chmod(blob, stat.S_IRUSR | stat.S_IWUSR)
    with open(blob, "r+b") as fh:
        fh.seek(100)
        fh.write(b"\x00")
    with pytest.raises(ExhibitRefused) as info:
        preflight(store.load(), store.blobs)
    assert info.value.key == "pdf.preflight.blob_mismatch" and info.value.params["number"] == 2
    store.blobs.path_for(first.sha256).unlink()
    with pytest.raises(EvidenceError) as info:
        build_bundle(store.load(), store.blobs, tmp_path / "o" / "c.pdf", clock=pdf_case.CLOCK)
    assert info.value.key == "pdf.preflight.blob_missing" and info.value.params["number"] == 1
    assert "截图甲" in tr(info.value.key, **info.value.params)
    _assert_nothing_written(tmp_path / "o")
    store.close()


@pytest.mark.parametrize(
    "name",
    ["truncated_image.png", "broken.png", "decompression_bomb.gif", "crash-2020-10-test.tif"],
)
def test_rejected_images_stop_the_export(tmp_path, corpus, name):
    store = pdf_case.new_case(tmp_path)
    pdf_case.add_file(
        store,
        corpus / "images" / "hostile" / name,
        title="坏图",
        media_type="image/" + name.rsplit(".", 1)[1],
    )
    out_dir = tmp_path / "o"
    with pytest.raises(ExhibitRefused) as info:
        build_bundle(store.load(), store.blobs, out_dir / "c.pdf", clock=pdf_case.CLOCK)
    assert info.value.key in ("pdf.preflight.image_unreadable", "pdf.redaction.failed")
    assert info.value.params["number"] == 1
    _assert_nothing_written(out_dir)
    store.close()


def test_existing_output_survives_a_refused_export(tmp_path, corpus):
    store = pdf_case.new_case(tmp_path)
    pdf_case.add_file(store, corpus / "pdf" / "hostile" / "r2-user-password.pdf")
    out = tmp_path / "o" / "c.pdf"
    out.parent.mkdir()
    out.write_bytes(b"previous bundle")
    with pytest.raises(ExhibitRefused):
        build_bundle(store.load(), store.blobs, out, clock=pdf_case.CLOCK)
    assert out.read_bytes() == b"previous bundle"
    assert [p.name for p in out.parent.iterdir()] == ["c.pdf"]
    store.close()


def _tamper(store, item, *, grow: bool = False):
    """Change the stored original in place (same size unless ``grow``)."""
    blob = store.blobs.path_for(item.sha256)
    os.chmod(blob, stat.S_IRUSR | stat.S_IWUSR)
    with open(blob, "r+b") as fh:
        if grow:
            fh.seek(0, 2)
            fh.write(b"\x00")
        else:
            fh.seek(60)
            fh.write(b"\x01")


def _video_case(tmp_path):
    store = pdf_case.new_case(tmp_path)
    pdf_case.add_bytes(store, pdf_case.screenshot_png(size=(320, 200)), "a.png", title="截图")
    video = pdf_case.add_bytes(
        store, b"\x00\x00\x00\x18ftypmp42" + bytes(500), "v.mp4", title="录屏视频"
    )
    assert video.media_type == "video/mp4"
    return store, video


def test_a_changed_non_page_original_is_refused_when_blobs_are_verified(tmp_path):
    store, video = _video_case(tmp_path)
    _tamper(store, video)
    for call in (
        lambda: preflight(store.load(), store.blobs),
        lambda: preflight(store.load(), store.blobs, verify_blobs=True),
        lambda: build_bundle(
            store.load(), store.blobs, tmp_path / "o" / "c.pdf", clock=pdf_case.CLOCK
        ),
    ):
        with pytest.raises(ExhibitRefused) as info:
            call()
        assert info.value.key == "pdf.preflight.blob_mismatch"
        assert info.value.params["number"] == 2
    _assert_nothing_written(tmp_path / "o")
    store.close()


def test_without_blob_verification_non_page_originals_are_checked_by_size_only(tmp_path):
    store, video = _video_case(tmp_path)
    _tamper(store, video)  # same size: only a hash would tell, and it is the caller's job
    out = tmp_path / "o" / "c.pdf"
    result = build_bundle(store.load(), store.blobs, out, clock=pdf_case.CLOCK, verify_blobs=False)
    assert result.page_count == result.exhibits[-1].last_page
    assert video.sha256 in squash(pdftotext(out))  # the placeholder shows the recorded hash
    _tamper(store, video, grow=True)  # a different size is caught without hashing
    with pytest.raises(ExhibitRefused) as info:
        preflight(store.load(), store.blobs, verify_blobs=False)
    assert info.value.key == "pdf.preflight.blob_mismatch" and info.value.params["number"] == 2
    store.close()


def test_without_blob_verification_page_originals_are_still_hashed(tmp_path):
    store, _ = _video_case(tmp_path)
    image = store.load().evidence[0]
    _tamper(store, image)
    with pytest.raises(ExhibitRefused) as info:
        build_bundle(
            store.load(),
            store.blobs,
            tmp_path / "o" / "c.pdf",
            clock=pdf_case.CLOCK,
            verify_blobs=False,
        )
    assert info.value.key == "pdf.preflight.blob_mismatch" and info.value.params["number"] == 1
    _assert_nothing_written(tmp_path / "o")
    store.close()


def test_the_first_exhibit_with_a_problem_is_named(tmp_path, corpus):
    """Originals are read on worker threads; the error still names the first bad exhibit,
    and a changed original is named rather than what the change broke."""
    store = pdf_case.new_case(tmp_path)
    first = pdf_case.add_bytes(store, pdf_case.screenshot_png(size=(320, 200)), "a.png")
    pdf_case.add_file(store, corpus / "pdf" / "hostile" / "r2-user-password.pdf")
    _tamper(store, first)  # its PNG chunks no longer check out either
    with pytest.raises(ExhibitRefused) as info:
        preflight(store.load(), store.blobs)
    assert info.value.key == "pdf.preflight.blob_mismatch" and info.value.params["number"] == 1
    store.close()
