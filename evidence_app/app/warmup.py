"""Load, ahead of use, everything that intake, check, export and verify load lazily.

Why: importing a module holds the interpreter lock for long stretches (unmarshalling code,
running class bodies, building dataclasses and attrs classes): pyhanko's signing and
validation modules and the PDF exporter together take about 0.7 s. If that first happens in
a worker thread while the user exports, the desktop window's thread cannot run and the
window stalls. The desktop app runs :func:`warm_up` in the background right after start-up,
when nobody is waiting for anything; afterwards an export or verify imports nothing.

``tests/core/test_warmup.py`` proves the list complete: after ``warm_up()`` an export and a
verify import no further module of the heavy packages.
"""

from __future__ import annotations

from evidence_app import lazy_import
from evidence_app.jobs import NEVER_CANCELLED, CancelToken

# Order matters only for speed: the big shared dependencies first.
HEAVY_MODULES = (
    "evidence_app.rules",
    "evidence_app.intake",
    "evidence_app.casefile",
    "evidence_app.channels",
    "evidence_app.crypto.identities",
    "evidence_app.crypto.age_keys",
    "evidence_app.crypto.cms",
    "evidence_app.crypto.pades",
    "evidence_app.exporters.pdf",
    "evidence_app.exporters.pdf.letter",
    "evidence_app.exporters.pdf.draft",
    "evidence_app.exporters.packet",
    "evidence_app.packet",
    "evidence_app.packet.reader",
    # Imported inside functions of crypto/pades.py and crypto/cms.py (kept lazy there so
    # that the command line starts fast).
    "pyhanko.pdf_utils.incremental_writer",
    "pyhanko.pdf_utils.reader",
    "pyhanko.pdf_utils.filters",
    "pyhanko.pdf_utils.metadata.xmp_xml",
    "lxml.etree",
    "pyhanko.sign.fields",
    "pyhanko.sign.signers",
    "pyhanko.sign.validation",
    "pyhanko.sign.validation.status",
    "pyhanko.sign.validation.generic_cms",
    "pyhanko_certvalidator",
    "pyhanko_certvalidator.registry",
    "pypdf",
    # PDF page rendering for the desktop app's previews and thumbnails (no Qt in it).
    "pypdfium2",
)


def warm_up(cancel: CancelToken = NEVER_CANCELLED) -> None:
    """Import :data:`HEAVY_MODULES`, load the rule packs and the PDF fonts. A module that
    fails to import is skipped: the feature that needs it reports the real error."""
    for name in HEAVY_MODULES:
        cancel.raise_if_cancelled()
        try:
            lazy_import.load(name)  # under the lock that lazy importers take
        except ImportError:
            pass
    from evidence_app.rules import load_packs

    load_packs()  # parsed and validated once, then cached
    from evidence_app.channels import load_profiles

    load_profiles()
    cancel.raise_if_cancelled()
    from evidence_app.exporters.pdf import fonts

    fonts.register_fonts()
