"""The command line can finish a case: every edit the app's forms make has a command, and a
case completed with commands alone reaches ready and exports without --allow-gaps."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from kit.files import make_pdf, make_png

PY = [sys.executable, "-m", "evidence_app"]
USCC = "91310115MA1K4B2X34"


def cli(*args, env=None, ok=True):
    r = subprocess.run([*PY, *map(str, args)], capture_output=True, text=True, env=env, timeout=300)
    if ok:
        assert r.returncode == 0, r.stderr
    return r


def test_case_completed_and_exported_by_the_cli_alone(tmp_path):
    env = {**os.environ, "SIGN_PASS": "sign-pass-1"}
    cli("demo", tmp_path)
    case = tmp_path / "demo.evcase"
    assert cli("check", case, ok=False).returncode == 3  # T3 lacks its ICP query

    # Parties, statement, a new target and its removal: the forms' edits, as commands.
    cli("complainant", "set", case, "--field", "contact_email=legal@example.com")
    cli("filer", "set", case, "--field", "role=enterprise", "--field", "name=王敏")
    (tmp_path / "statement.json").write_text(
        json.dumps({"facts": "经查，上述账号持续发布不实信息。", "demands": "删除并处置"}), "utf-8"
    )
    cli("statement", "set", case, "--from", tmp_path / "statement.json")
    added = json.loads(
        cli(
            "target", "add", case, "--field", "url=https://example.com/post/9",
            "--field", "platform=微博", "--field", "categories=rumour", "--json",
        ).stdout
    )  # fmt: skip
    new_id = added["record"]["id"]
    cli("target", "set", case, new_id, "--field", "account_name=某账号")
    bad = cli("target", "set", case, new_id, "--field", "url=not a url", ok=False)
    assert bad.returncode != 0  # the model's validation refuses it; nothing written
    cli("target", "remove", case, new_id)

    # The missing ICP query: imported bare, then completed with `set`.
    query = make_png(tmp_path / "icp.png")
    imported = json.loads(
        cli(
            "import", case, query, "--kind", "public_platform_query", "--target", "T3",
            "--title", "ICP备案查询结果", "--json",
        ).stdout
    )  # fmt: skip
    exhibit = f"E{imported[0]['exhibit']:03d}"
    assert cli("check", case, ok=False).returncode == 3  # platform and query time missing
    cli(
        "set", case, exhibit, "--field", "platform=ICP/IP地址/域名信息备案管理系统",
        "--field", "queried_at=2026-11-28T10:00:00+08:00",
    )  # fmt: skip
    ready = cli("check", case, "--json")
    assert json.loads(ready.stdout)["ready"]

    # An import that sets its fields at once, then renumbered and withdrawn.
    extra = make_pdf(tmp_path / "report.pdf")
    more = json.loads(
        cli(
            "import", case, extra, "--kind", "third_party_report", "--field", "issuer=某鉴定所",
            "--field", "issued_at=2026-11-01", "--json",
        ).stdout
    )  # fmt: skip
    assert more[0]["item"]["fields"] == {"issuer": "某鉴定所", "issued_at": "2026-11-01"}
    cli("evidence", "move", case, f"E{more[0]['exhibit']:03d}", "--to", 99)
    cli("evidence", "remove", case, "E099")

    cli(
        "keys", "new-signing", "--out", tmp_path / "sign.p12", "--name", "华辰智能科技股份有限公司",
        "--uscc", USCC, "--pass-env", "SIGN_PASS", env=env,
    )  # fmt: skip
    cli(
        "export",
        case,
        "--out",
        tmp_path / "p.evpkt",
        "--passphrase-env",
        "SIGN_PASS",
        "--sign",
        tmp_path / "sign.p12",
        "--sign-pass-env",
        "SIGN_PASS",
        "--json",
        env=env,
    )  # fmt: skip  (no --allow-gaps: the case is ready)
    assert (tmp_path / "p.evpkt").is_file()

    cli("follow-up", "add", case, "--field", "event=submitted", "--field", "deadline=2026-12-01")
    due = json.loads(cli("follow-up", "due", case, "--today", "2026-12-05", "--json").stdout)
    assert [d["days_left"] for d in due] == [-4]
    assert cli("audit", case).returncode == 0  # every edit is in the custody log, intact
