"""The words on the export wizard's result page."""

from __future__ import annotations

from typing import Any

from evidence_app.i18n import tr
from evidence_app.ui.text import clean


def describe_result(result: Any) -> str:
    """The result page: where the packet is, what it holds, who signed, how to open it."""
    lines = [tr("ui.export.result.ok")]
    lines.append(tr("ui.export.result.path", path=clean(str(result.packet_path), 300)))
    lines.append(tr("ui.export.result.size", size=result.packet_size))
    lines.append(tr("ui.export.result.files", count=len(result.files)))
    lines.append(tr("ui.export.result.sha256", sha256=result.packet_sha256))
    lines.append(tr("ui.export.result.fingerprint", fingerprint=result.signer_fingerprint))
    if result.key_path:
        lines.append(tr("ui.export.result.key_path", path=clean(str(result.key_path), 300)))
    if result.recipients:
        lines.append(tr("ui.export.result.recipients", count=len(result.recipients)))
    if result.gaps:
        lines.append(tr("ui.export.result.gaps", count=len(result.gaps)))
    folder = getattr(result, "upload_folder", None)
    if folder is not None:
        lines.append(
            tr(
                "ui.export.result.folder",
                path=clean(str(folder.folder), 300),
                uploads=len(folder.uploads),
                unfit=len(folder.unfit),
            )
        )
    lines.append(tr("ui.export.result.next"))
    return "\n".join(lines)
