"""Judging a detached CMS signature with the reference tool: ``openssl cms -verify``."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def openssl_cms_verify(
    signature: Path, content: Path, *, ca: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``openssl cms -verify`` of a DER detached signature over ``content``, trusting ``ca``
    (any purpose); without ``ca`` the signer chain is not checked (``-noverify``), only the
    signature over the bytes. The caller asserts on the return code and stderr."""
    trust = ["-CAfile", str(ca), "-purpose", "any"] if ca is not None else ["-noverify"]
    return subprocess.run(
        [
            "openssl", "cms", "-verify", "-binary", "-inform", "DER",
            "-in", str(signature), "-content", str(content), *trust, "-out", os.devnull,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
