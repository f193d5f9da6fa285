"""The PDF complaint bundle (complaint.pdf) and the paperwork templates.

Public API::

    build_bundle(case, blobs, out_path, *, clock, check_result=None, progress=..., cancel=...)
        -> BundleResult
    preflight(case, blobs) -> None          # raises ExhibitRefused naming the exhibit
    render_template(case, template_id, out_path, *, clock) -> Path
"""

from evidence_app.exporters.pdf.bundle import (
    BundleResult,
    BundleWarning,
    ExhibitPages,
    build_bundle,
    preflight,
)
from evidence_app.exporters.pdf.errors import BundleError, ExhibitRefused
from evidence_app.exporters.pdf.templates import TEMPLATE_IDS, render_template

__all__ = [
    "TEMPLATE_IDS",
    "BundleError",
    "BundleResult",
    "BundleWarning",
    "ExhibitPages",
    "ExhibitRefused",
    "build_bundle",
    "preflight",
    "render_template",
]
