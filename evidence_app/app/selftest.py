"""Check this installation end to end, offline, in a temporary folder: resources, crypto,
the PDF pipeline, PDF page rendering, and the helper process the desktop app exports in.

For support ("does the app work on this machine?") and for the packaged app's smoke test
(packaging/build.sh), which otherwise could not reach the helper-process and rendering code
paths without a display. Nothing outside the temporary folder is read or written.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from evidence_app.errors import EvidenceError
from evidence_app.i18n import tr
from evidence_app.jobs import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress

ORG = "自检测试有限公司"
USCC = "91110000600037341L"


@dataclass
class CheckOutcome:
    name: str  # message key suffix: cli.selftest.check.<name>
    ok: bool
    detail: str
    ms: float


def _resources(_work: Path) -> str:
    from evidence_app.channels import load_profiles
    from evidence_app.exporters.pdf.fonts import register_fonts
    from evidence_app.i18n import LANGUAGES, load_catalogue
    from evidence_app.rules import load_packs

    register_fonts()
    keys = [set(load_catalogue(lang)) for lang in LANGUAGES]
    if any(k != keys[0] for k in keys):
        raise RuntimeError("translation catalogues differ")
    return tr(
        "selftest.detail.resources",
        packs=len(load_packs()),
        channels=len(load_profiles()),
        messages=len(keys[0]),
    )


def _crypto(work: Path) -> str:
    from evidence_app.crypto import age_keys, age_stream
    from evidence_app.crypto.cms import sign_detached, verify_detached
    from evidence_app.crypto.identities import new_signing_identity

    now = _dt.datetime.now(_dt.UTC)
    signing = new_signing_identity(ORG, USCC, "selftest-pass", work / "s.p12", lambda: now)
    data = os.urandom(200_000)
    signer = verify_detached(data, sign_detached(data, signing))
    if signer.uscc != USCC:
        raise RuntimeError("CMS signer mismatch")
    recipient = age_keys.new_age_identity(work / "r.age", "selftest-pass")
    sealed, opened = io.BytesIO(), io.BytesIO()
    age_stream.encrypt_stream(io.BytesIO(data), sealed, [recipient])
    sealed.seek(0)
    reader = age_keys.load_age_identity(work / "r.age", "selftest-pass")
    age_stream.decrypt_stream(sealed, opened, reader)
    if opened.getvalue() != data:
        raise RuntimeError("age round trip differs")
    return tr("selftest.detail.crypto")


def _pdf(work: Path) -> str:
    from evidence_app.app.demo import write_demo_case
    from evidence_app.exporters.pdf import build_bundle
    from evidence_app.store import CaseStore

    case_path = write_demo_case(work / "demo")
    with CaseStore.open(case_path) as store:
        case = store.load()
        result = build_bundle(
            case, store.blobs, work / "bundle.pdf", clock=_dt.datetime.now(_dt.UTC)
        )
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(result.path))
    try:
        bitmap = pdf[0].render(scale=0.5)
        image = bitmap.to_pil().convert("L")
        extrema = image.getextrema()
    finally:
        pdf.close()
    if result.page_count < 1 or extrema[0] == extrema[1]:
        raise RuntimeError("the bundle's first page renders blank")
    return tr("selftest.detail.pdf", pages=result.page_count)


def helper_echo(
    value: int, *, progress: ProgressCallback = no_progress, cancel: CancelToken = NEVER_CANCELLED
) -> tuple[int, int]:
    """Runs in the helper process: proves it started, imported the core, and answered."""
    progress(1, 1, "echo")
    return value, os.getpid()


def _helper_process(_work: Path) -> str:
    from evidence_app.app.process_job import run_in_process

    value, pid = run_in_process(helper_echo, 42)
    if value != 42 or pid == os.getpid():
        raise RuntimeError("the helper process did not answer")
    return tr("selftest.detail.helper_process", pid=pid)


CHECKS: list[tuple[str, Callable[[Path], str]]] = [
    ("resources", _resources),
    ("crypto", _crypto),
    ("pdf", _pdf),
    ("helper_process", _helper_process),
]


def run_selftest(progress: ProgressCallback = no_progress) -> list[CheckOutcome]:
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="evidence-selftest-") as tmp:
        for done, (name, check) in enumerate(CHECKS, start=1):
            work = Path(tmp) / name
            work.mkdir()
            start = time.perf_counter()
            try:
                detail, ok = check(work), True
            except EvidenceError as exc:  # every failure is reported; the next check runs
                detail, ok = exc.message(), False
            except Exception as exc:
                detail, ok = f"{type(exc).__name__}: {exc}", False
            outcomes.append(CheckOutcome(name, ok, detail, (time.perf_counter() - start) * 1000))
            progress(done, len(CHECKS), name)
    return outcomes
