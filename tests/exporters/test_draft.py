"""Gaps are never silent: --pdf-only with required gaps refuses (exit 3); with --allow-gaps the
PDF is marked 草稿 — 材料不全 on every page and its last page lists what is missing."""

from __future__ import annotations

import subprocess
import sys

from evidence_app.cli import main

PY = [sys.executable, "-m", "evidence_app"]


def page_texts(pdf):
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [p for p in text.split("\f") if p.strip()]


def test_pdf_only_with_gaps_refuses_then_marks_every_page(tmp_path):
    assert main(["demo", str(tmp_path)]) == 0
    case = tmp_path / "demo.evcase"
    out = tmp_path / "draft.pdf"
    refused = subprocess.run(
        [*PY, "export", str(case), "--pdf-only", str(out)], capture_output=True, text=True
    )
    assert refused.returncode == 3 and not out.exists()
    made = subprocess.run(
        [*PY, "export", str(case), "--pdf-only", str(out), "--allow-gaps"],
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    assert "草稿" in made.stderr
    pages = page_texts(out)
    assert all("草稿 — 材料不全" in page for page in pages)
    assert "尚缺的必备材料" in pages[-1] and "网站无备案的查询结果" in pages[-1]
    qpdf = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True)
    assert qpdf.returncode == 0, qpdf.stdout


def test_complete_selection_is_not_a_draft(tmp_path):
    assert main(["demo", str(tmp_path)]) == 0
    out = tmp_path / "weibo.pdf"
    made = subprocess.run(
        [*PY, "export", str(tmp_path / "demo.evcase"), "--pdf-only", str(out), "--target", "T1"],
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    assert not any("草稿" in page for page in page_texts(out))
