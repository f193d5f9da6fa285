"""Fixtures for the PDF bundle tests: a case built through the store, and a bundle of it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# Appended, not prepended: ``import conftest`` elsewhere must still find tests/conftest.py.
sys.path.append(str(Path(__file__).resolve().parent))

import pdf_case

from evidence_app.exporters.pdf import build_bundle


@pytest.fixture
def full_store(tmp_path, corpus):
    store = pdf_case.full_case(tmp_path, corpus)
    yield store
    store.close()


@pytest.fixture
def full_bundle(full_store, tmp_path):
    out = tmp_path / "out" / "complaint.pdf"
    result = build_bundle(full_store.load(), full_store.blobs, out, clock=pdf_case.CLOCK)
    return full_store, out, result
