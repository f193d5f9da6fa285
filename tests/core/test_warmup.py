"""After warm_up(), an export and a verify import nothing more of the heavy packages: the
desktop app's worker threads never compile or run module code while the user waits (module
import holds the interpreter lock and stalled the window)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from testenv import REPO

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from evidence_app.app.warmup import warm_up

    work = Path(sys.argv[1])
    from evidence_app.app.demo import write_demo_case
    from evidence_app.crypto.identities import new_signing_identity
    from evidence_app.crypto.age_keys import new_age_identity, load_age_identity
    from evidence_app.store import CaseStore

    case = write_demo_case(work)
    signing = new_signing_identity(
        "华辰智能科技股份有限公司", "91310115MA1K4B2X34", "sign-pass-1", work / "s.p12",
        lambda: __import__("datetime").datetime.now(__import__("datetime").UTC))
    recipient = new_age_identity(work / "r.age", "recipient-pass-1")
    warm_up()
    before = set(sys.modules)
    from evidence_app.exporters.packet import export_packet
    from evidence_app.packet import verify_packet
    with CaseStore.open(case) as store:
        export_packet(store, work / "p.evpkt", recipients=[recipient], passphrase=None,
                      signing=signing, allow_gaps=True)
    reader = load_age_identity(work / "r.age", "recipient-pass-1")
    report = verify_packet(work / "p.evpkt", identities=reader)
    print(json.dumps({"ok": report.ok, "new": sorted(set(sys.modules) - before)}))
    """
)
HEAVY = (
    "evidence_app",
    "pyhanko",
    "pyhanko_certvalidator",
    "reportlab",
    "pikepdf",
    "PIL",
    "pypdf",
    "img2pdf",
    "cryptography",
    "asn1crypto",
    "aiohttp",
    "lxml",
)


def test_export_and_verify_import_nothing_heavy_after_warm_up(tmp_path):
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=240,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["ok"]
    late = [m for m in out["new"] if m.split(".")[0] in HEAVY]
    assert late == [], f"add these to evidence_app.app.warmup.HEAVY_MODULES: {late}"
