"""Every message exists in Chinese and English with the same placeholders, and every key
the code uses is in the catalogues."""

import json
import re
import string

from testenv import REPO

from evidence_app import i18n


def placeholders(text):
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_catalogues_match():
    zh = i18n.load_catalogue("zh_CN")
    en = i18n.load_catalogue("en")
    assert set(zh) == set(en), set(zh) ^ set(en)
    for key in zh:
        assert placeholders(zh[key]) == placeholders(en[key]), key


def test_every_domain_file_is_paired():
    files = sorted((REPO / "resources" / "i18n").glob("*.json"))
    domains = {f.name.split(".")[0] for f in files}
    for d in domains:
        zh = json.loads((REPO / "resources" / "i18n" / f"{d}.zh_CN.json").read_text("utf-8"))
        en = json.loads((REPO / "resources" / "i18n" / f"{d}.en.json").read_text("utf-8"))
        assert set(zh) == set(en), (d, set(zh) ^ set(en))


KEY_CALL = re.compile(
    r"""(?:\btr|\b_|Refused|Error|Failed|Problem|AuditProblem|Exception)\(\s*(?:f?)["']([a-z][a-z0-9_]*\.[a-z0-9_.]+)["']"""
)


def test_keys_used_in_code_exist():
    known = set(i18n.load_catalogue("en"))
    missing = []
    for path in (REPO / "evidence_app").rglob("*.py"):
        for key in KEY_CALL.findall(path.read_text("utf-8")):
            if key.endswith("."):
                continue
            if key not in known:
                missing.append((path.relative_to(REPO).as_posix(), key))
    assert not missing, missing


def test_enum_names_translated():
    from evidence_app import model

    en = i18n.load_catalogue("en")
    for enum in (
        model.Category,
        model.Measure,
        model.ContentForm,
        model.AccountRole,
        model.PriorityType,
        model.FilerRole,
        model.EvidenceKind,
    ):
        for member in enum:
            assert f"enum.{enum.__name__.lower()}.{member.value}" in en


def test_fallback_and_language_switch():
    assert i18n.tr("intake.empty") == "文件为空（0 字节）。"
    i18n.set_language("en")
    assert i18n.tr("intake.empty") == "The file is empty (0 bytes)."
    assert i18n.tr("no.such.key") == "no.such.key"
    i18n.set_language("zh_CN")
