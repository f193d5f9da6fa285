"""The command line, end to end, on real files: as a user would run it."""

import json
import subprocess
import sys

import pytest

from evidence_app.cli import main

PY = [sys.executable, "-m", "evidence_app"]


def run(*args, env=None):
    return subprocess.run([*PY, *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    d = tmp_path_factory.mktemp("demo")
    r = run("demo", str(d))
    assert r.returncode == 0, r.stderr
    assert "演示案件已生成" in r.stdout
    return d


def test_demo_then_audit(demo):
    r = run("audit", str(demo / "demo.evcase"))
    assert r.returncode == 0, r.stderr
    assert "核验通过" in r.stdout
    r = run("--lang", "en", "audit", str(demo / "demo"), "--json")
    report = json.loads(r.stdout)
    assert report["ok"] and report["blobs_checked"] == 13 and report["entries"] >= 10


def test_demo_case_content(demo):
    r = run("case", "show", str(demo / "demo.evcase"), "--json")
    case = json.loads(r.stdout)
    assert case["complainant"]["name"] == "华辰智能科技股份有限公司"
    assert {t["platform"] for t in case["targets"]} == {"微博", "抖音", "独立网站"}
    cats = {c for t in case["targets"] for c in t["categories"]}
    assert cats == {"rumour", "insult", "counterfeit_website"}
    kinds = [e["kind"] for e in case["evidence"]]
    assert "business_licence" in kinds and "audit_report" in kinds
    assert "public_platform_query" not in kinds  # the deliberate gap (ICP filing query)
    # stored blobs hash to the originals' SHA-256
    import hashlib

    files = json.loads((demo / "demo-case.json").read_text(encoding="utf-8"))["evidence"]
    by_title = {e["title"]: e["sha256"] for e in case["evidence"]}
    for entry in files:
        digest = hashlib.sha256((demo / entry["file"]).read_bytes()).hexdigest()
        assert by_title[entry["title"]] == digest


def test_show_human_readable_in_both_languages(demo):
    zh = run("case", "show", str(demo / "demo.evcase")).stdout
    en = run("--lang", "en", "case", "show", str(demo / "demo.evcase")).stdout
    assert "举报企业" in zh and "谣言性" in zh
    assert "Complainant:" in en and "Rumour" in en


def test_import_cli(tmp_path, corpus):
    case = tmp_path / "c.evcase"
    desc = tmp_path / "case.json"
    desc.write_text(
        json.dumps(
            {
                "format": 1,
                "complainant": {"name": "甲公司", "uscc": "91110000600037341L"},
                "targets": [
                    {
                        "id": "T1",
                        "url": "https://weibo.com/1",
                        "platform": "微博",
                        "categories": ["insult"],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    assert run("case", "init", str(case), "--from", str(desc)).returncode == 0
    ok = run(
        "import",
        str(case),
        str(corpus / "images/odd/hopper.png"),
        "--kind",
        "capture",
        "--target",
        "T1",
        "--source-url",
        "https://weibo.com/1",
        "--captured-at",
        "2026-11-20T10:00:00+08:00",
        "--json",
    )
    assert ok.returncode == 0, ok.stderr
    [row] = json.loads(ok.stdout)
    assert row["status"] == "imported" and row["exhibit"] == 1
    assert row["item"]["fields"]["source_url"] == "https://weibo.com/1"
    bad = run("import", str(case), str(corpus / "pdf/hostile/r2-user-password.pdf"))
    assert bad.returncode == 1
    assert "r2-user-password.pdf" in bad.stderr and "密码" in bad.stderr
    assert "Traceback" not in bad.stderr
    usage = run("import", str(case), str(corpus / "images/odd/hopper.png"), "--target", "T7")
    assert usage.returncode == 2 and "T7" in usage.stderr
    badurl = run(
        "import", str(case), str(corpus / "images/odd/hopper.png"), "--source-url", "weibo"
    )
    assert badurl.returncode == 2


def test_case_init_reports_json_path(tmp_path, capsys):
    desc = tmp_path / "case.json"
    desc.write_text(
        json.dumps(
            {
                "format": 1,
                "complainant": {"name": "甲公司", "uscc": "91110000600037341L"},
                "targets": [{"id": "T1", "platform": "微博", "categories": ["slander"]}],
            }
        ),
        encoding="utf-8",
    )
    assert main(["case", "init", str(tmp_path / "x"), "--from", str(desc)]) == 1
    err = capsys.readouterr().err
    assert "$.targets[0].categories[0]" in err
    assert not (tmp_path / "x.evcase").exists()


def test_case_init_checks_check_digits(tmp_path, capsys):
    desc = tmp_path / "case.json"
    desc.write_text(
        json.dumps(
            {
                "format": 1,
                "complainant": {"name": "甲", "uscc": "91110000600037341A"},
                "targets": [],
            }
        ),
        encoding="utf-8",
    )
    assert main(["--lang", "en", "case", "init", str(tmp_path / "x"), "--from", str(desc)]) == 1
    err = capsys.readouterr().err
    assert "$.complainant.uscc" in err and "GB 32100" in err


def test_case_init_with_refused_file_leaves_nothing(tmp_path, corpus, capsys):
    import shutil

    bomb = tmp_path / "decompression_bomb.gif"  # case.json names files inside its folder
    shutil.copyfile(corpus / "images/hostile/decompression_bomb.gif", bomb)
    desc = tmp_path / "case.json"
    desc.write_text(
        json.dumps(
            {
                "format": 1,
                "complainant": {"name": "甲", "uscc": "91110000600037341L"},
                "targets": [],
                "evidence": [{"file": bomb.name, "kind": "capture"}],
            }
        ),
        encoding="utf-8",
    )
    assert main(["case", "init", str(tmp_path / "x"), "--from", str(desc)]) == 1
    assert "解压炸弹" in capsys.readouterr().err
    assert sorted(tmp_path.iterdir()) == sorted([desc, bomb])


def test_usage_errors_exit_2(tmp_path):
    assert run("import").returncode == 2  # a required argument missing (argparse)
    assert run("export", "--frobnicate").returncode == 2  # an unknown option
    r = run("set", str(tmp_path / "c"), "E001", "--field", "no-equals-sign")
    assert r.returncode == 2 and "名称=值" in r.stderr  # our own usage error, worded


def test_missing_case_exits_1_with_message(tmp_path):
    r = run("audit", str(tmp_path / "missing"))
    assert r.returncode == 1
    assert "找不到案件" in r.stderr and "Traceback" not in r.stderr


def test_debug_shows_traceback(tmp_path):
    r = run("--debug", "audit", str(tmp_path / "missing"))
    assert "Traceback" in r.stderr
