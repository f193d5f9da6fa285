"""Rule packs: the shipped ones are sound and cite real clauses; broken ones are refused with
the file, the entry and the problem; packs compose."""

import copy
import json
import re
from pathlib import Path

import pytest
from rules.rulecases import TODAY, K, ready_case

from evidence_app.model import Category, EvidenceKind
from evidence_app.rules import (
    RulePackError,
    UnknownPackError,
    check_case,
    describe,
    load_pack_file,
    load_packs,
)
from evidence_app.rules.loader import rules_dir

GUIDANCE = (Path(__file__).parent / "data" / "cac-2023-guidance.zh.md").read_text("utf-8")

MINIMAL = {
    "format": 1,
    "pack": {
        "id": "test-pack",
        "version": "0.1.0",
        "title": {"zh": "测试", "en": "Test"},
        "source": {
            "title": {"zh": "测试", "en": "Test"},
            "issuer": {"zh": "测试", "en": "Test"},
            "date": "2026-01-01",
        },
        "clause_numbering": {"style": "article_item", "example": "第一条"},
        "effective_date": "2026-01-01",
    },
    "requirements": [
        {
            "id": "t.licence",
            "name": {"zh": "营业执照", "en": "Licence"},
            "clauses": ["第一条"],
            "evidence": {"all_of": ["business_licence"]},
        }
    ],
    "categories": {
        "rumour": {
            "clauses": ["第二条"],
            "requirements": [
                {
                    "id": "t.rumour.sealed",
                    "name": {"zh": "盖章情况说明", "en": "Sealed statement"},
                    "clauses": ["第二条（一）"],
                    "evidence": {
                        "any_of": ["situation_statement", {"kind": "legal_opinion", "min_count": 2}]
                    },
                }
            ],
        }
    },
}


def write(tmp_path, data, name="pack.json"):
    path = tmp_path / name
    path.write_text(
        data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), "utf-8"
    )
    return path


def refused(tmp_path, data):
    with pytest.raises(RulePackError) as info:
        load_pack_file(write(tmp_path, data))
    err = info.value
    assert err.file.endswith("pack.json")
    text = err.message("zh_CN")
    assert "pack.json" in text and err.path in text  # the message names file and entry
    return err


# --- the shipped packs -----------------------------------------------------------------------


def test_shipped_packs_load_and_compose_in_order():
    packs = load_packs()
    assert [p.id for p in packs] == ["cac-2023", "cac-2023-norm-art5"]
    for p in packs:
        assert (
            p.version
            and p.effective_date
            and p.source["title"]["zh"]
            and p.clause_numbering["style"]
        )
    assert [p.id for p in load_packs(["cac-2023-norm-art5", "cac-2023"])] == [
        "cac-2023",
        "cac-2023-norm-art5",
    ]


def test_guidance_pack_covers_every_category_and_kind():
    pack = load_packs(["cac-2023"])[0]
    assert set(pack.categories) == {c.value for c in Category}
    assert set(pack.evidence_kinds) == {k.value for k in EvidenceKind}
    for cat in pack.categories.values():
        assert cat.clauses and cat.name
    # with the norm, every category has something required of it (Art. 5(5) at least)
    from evidence_app.rules.compose import compose

    merged = compose(load_packs())
    for cid in pack.categories:
        assert any(r.severity == "required" for r in merged.categories[cid].requirements), cid
    kinds = pack.evidence_kinds
    assert kinds["capture"].required_fields == ("source_url", "captured_at")
    assert set(kinds["legal_opinion"].required_fields) == {"issuer", "issued_at"}
    assert set(kinds["audit_report"].required_fields) == {"issuer", "issued_at"}
    assert set(kinds["public_platform_query"].required_fields) == {"platform", "queried_at"}


def test_guidance_clauses_exist_in_the_regulator_text():
    """Every clause cac-2023 cites is a numbered paragraph of the 2023 guidance, and each
    paragraph says what the pack uses it for."""
    data = json.loads((rules_dir() / "cac-2023.json").read_text("utf-8"))
    cited = set(
        re.findall(r'"(\([一二三四五六七八九十]+\))"', json.dumps(data, ensure_ascii=False))
    )
    assert cited
    for clause in cited:
        assert re.search(rf"^{re.escape(clause)}", GUIDANCE, re.M), clause
    paragraph = {c: re.search(rf"^{re.escape(c)}(.*)$", GUIDANCE, re.M).group(1) for c in cited}
    assert (
        "显性网络侵权类别" in paragraph["(十五)"]
        and "无需司法、行政等国家机构举证" in paragraph["(十五)"]
    )
    assert "拟上市" in paragraph["(十三)"] and "专精特新" in paragraph["(十三)"]
    assert "限时加私" in paragraph["(二十一)"] and "争议标签" in paragraph["(二十一)"]
    for word in ("劳资", "合同", "股权", "产权", "债务", "消费", "舆论监督"):
        assert word in paragraph["(十七)"]
    assert "敲诈勒索" in paragraph["(十二)"] and "网络水军" in paragraph["(十二)"]
    # the dispute advisory has exactly the six kinds of (十七)
    dispute = next(r for r in data["requirements"] if r["id"] == "advisory.dispute")
    assert [g["id"] for g in dispute["keywords"]["groups"]] == [
        "labour",
        "contract",
        "equity",
        "property",
        "debt",
        "consumer",
    ]


def test_norm_pack_cites_the_six_items_of_article_5():
    pack = load_packs(["cac-2023-norm-art5"])[0]
    clauses = {c for r in pack.requirements for c in r.clauses}
    assert {f"规范第五条（{n}）" for n in "一二三四五六"} <= clauses


def test_every_field_path_in_the_packs_has_a_name():
    from evidence_app.i18n import load_catalogue

    zh, en = load_catalogue("zh_CN"), load_catalogue("en")
    paths = set()

    def walk(node, in_fields=False):
        if isinstance(node, dict):
            if in_fields and "path" in node:
                paths.add(node["path"])
            for key, value in node.items():
                walk(value, in_fields or key in ("fields", "fix"))
        elif isinstance(node, list):
            for value in node:
                walk(value, in_fields)

    for pack in ("cac-2023.json", "cac-2023-norm-art5.json"):
        walk(json.loads((rules_dir() / pack).read_text("utf-8")))
    assert "complainant.uscc" in paths and "target.url" in paths
    for path in paths:
        assert f"rules.path.{path}" in zh and f"rules.path.{path}" in en, path


# --- broken packs ----------------------------------------------------------------------------


def test_bad_json(tmp_path):
    err = refused(tmp_path, '{"format": 1,\n  "pack": {,}\n}')
    assert err.path == "$" and err.problem_key == "rules.pack.problem.bad_json"
    assert err.params["problem_params"]["line"] == 2
    assert "第 2 行" in err.message("zh_CN") and "line 2" in err.message("en")


def test_duplicate_key(tmp_path):
    err = refused(tmp_path, '{"format": 1, "format": 1}')
    assert err.problem_key == "rules.pack.problem.duplicate_key"


def test_schema_violation_names_the_path(tmp_path):
    data = copy.deepcopy(MINIMAL)
    data["categories"]["rumour"]["requirements"][0]["severity"] = "mandatory"
    err = refused(tmp_path, data)
    assert err.problem_key == "rules.pack.problem.schema"
    assert err.path == "$.categories.rumour.requirements[0].severity"
    assert "mandatory" in err.message("en")


def test_missing_metadata(tmp_path):
    data = copy.deepcopy(MINIMAL)
    del data["pack"]["effective_date"]
    err = refused(tmp_path, data)
    assert err.path == "$.pack" and "effective_date" in err.message("en")


def test_unknown_evidence_kind(tmp_path):
    data = copy.deepcopy(MINIMAL)
    data["categories"]["rumour"]["requirements"][0]["evidence"]["any_of"][1]["kind"] = "selfie"
    err = refused(tmp_path, data)
    assert err.problem_key == "rules.pack.problem.unknown_kind"
    assert err.path == "$.categories.rumour.requirements[0].evidence.any_of[1].kind"
    assert "selfie" in err.message("zh_CN") and "legal_opinion" in err.message("zh_CN")


def test_unknown_category(tmp_path):
    data = copy.deepcopy(MINIMAL)
    data["categories"]["gossip"] = data["categories"].pop("rumour")
    err = refused(tmp_path, data)
    assert err.problem_key == "rules.pack.problem.unknown_category"
    assert err.path == "$.categories.gossip"


@pytest.mark.parametrize(
    ("mutate", "path", "problem"),
    [
        (
            lambda d: d["requirements"][0].update(when={"path": "filer.agent", "is": True}),
            "$.requirements[0].when.path",
            "unknown_condition_path",
        ),
        (
            lambda d: d["requirements"][0].update(
                when={"path": "target.time_sensitive", "is": True}
            ),
            "$.requirements[0].when.path",
            "needs_target",
        ),
        (
            lambda d: d["requirements"][0].update(when={"path": "filer.role", "eq": "lawyer"}),
            "$.requirements[0].when.eq",
            "unknown_value",
        ),
        (
            lambda d: d["requirements"][0].update(clauses=["(十五)"]),
            "$.requirements[0].clauses[0]",
            "clause_format",
        ),
        (
            lambda d: d["requirements"].append(copy.deepcopy(d["requirements"][0])),
            "$.requirements[1].id",
            "duplicate_id",
        ),
        (lambda d: d["requirements"][0].pop("name"), "$.requirements[0]", "needs_name_and_clause"),
        (
            lambda d: d.update(
                evidence_kinds={
                    "capture": {"name": {"zh": "截图", "en": "Capture"}, "required_fields": ["url"]}
                }
            ),
            "$.evidence_kinds.capture.required_fields[0]",
            "unknown_evidence_field",
        ),
        (
            lambda d: d["requirements"][0].update(
                evidence=None, fields={"all_of": [{"path": "complainant.usc"}]}
            ),
            "$.requirements[0].fields.all_of[0].path",
            "unknown_field_path",
        ),
    ],
    ids=[
        "condition-path",
        "target-path-in-case-scope",
        "enum-value",
        "clause-style",
        "duplicate-id",
        "no-name",
        "evidence-field",
        "field-path",
    ],
)
def test_cross_reference_problems(tmp_path, mutate, path, problem):
    data = copy.deepcopy(MINIMAL)
    mutate(data)
    if data["requirements"][0].get("evidence", 1) is None:
        del data["requirements"][0]["evidence"]
    err = refused(tmp_path, data)
    assert (err.path, err.problem_key) == (path, f"rules.pack.problem.{problem}")


def test_unknown_pack_id():
    with pytest.raises(UnknownPackError) as info:
        load_packs(["cac-2099"])
    assert "cac-2023" in info.value.message()


def test_pack_cache_sees_edits(tmp_path):
    path = write(tmp_path, MINIMAL)
    assert load_pack_file(path).version == "0.1.0"
    changed = copy.deepcopy(MINIMAL)
    changed["pack"]["version"] = "0.2.10"
    write(tmp_path, changed)
    assert load_pack_file(path).version == "0.2.10"


# --- composition -----------------------------------------------------------------------------


def test_two_packs_compose(tmp_path):
    """A channel pack on top of the guidance: adds a requirement, tightens one, drops one."""
    channel = copy.deepcopy(MINIMAL)
    channel["pack"]["id"] = "channel-x"
    channel["pack"]["compose_after"] = ["cac-2023-norm-art5"]
    channel["requirements"] = [
        # redefine the norm's licence requirement: licence AND a sealed statement
        {
            "id": "standing.licence",
            "name": {"zh": "营业执照及盖章情况说明", "en": "Licence and sealed statement"},
            "clauses": ["第一条"],
            "evidence": {"all_of": ["business_licence", "situation_statement"]},
        },
    ]
    packs = [load_pack_file(write(tmp_path, channel)), *load_packs()]
    case = ready_case(Category.RUMOUR)
    result = check_case(case, packs, today=TODAY)
    # compose_after orders them
    assert list(result.pack_versions) == ["cac-2023", "cac-2023-norm-art5", "channel-x"]
    gaps = {g.requirement: g for g in result.gaps()}
    assert set(gaps) == {"standing.licence", "t.rumour.sealed"}
    # the redefined requirement keeps the norm's citation beside the channel's
    assert gaps["standing.licence"].clauses == ("规范第五条（二）", "第一条")
    assert gaps["standing.licence"].pack == "channel-x"
    assert gaps["standing.licence"].params["missing"] == [
        {"kind": "situation_statement", "min_count": 1, "count": 0}
    ]
    # the category gains the channel's requirement and citation
    assert result.categories["rumour"].clauses == ("(十二)", "规范第四条（三）", "第二条")
    sealed = gaps["t.rumour.sealed"]
    assert sealed.target_id == "T1" and sealed.category == "rumour"
    assert "以下任一" in describe(sealed, "zh") and "至少 2 件" in describe(sealed, "zh")
    # adding the statement satisfies both
    from rules.rulecases import Builder

    b = Builder()
    b.n = 100
    case.evidence.append(b.item(K.SITUATION_STATEMENT, "T1"))
    assert check_case(case, packs, today=TODAY).ready


def test_disabled_requirement_is_dropped(tmp_path):
    from evidence_app.model import PriorityType

    channel = copy.deepcopy(MINIMAL)
    channel["pack"]["compose_after"] = ["cac-2023-norm-art5"]
    channel["requirements"] = [{"id": "advisory.priority", "disabled": True}]
    channel["categories"] = {}
    case = ready_case(Category.RUMOUR)
    case.complainant.priority_types = [PriorityType.HIGH_TECH]
    guidance = load_packs(["cac-2023"])
    assert any(
        i.requirement == "advisory.priority" for i in check_case(case, guidance, today=TODAY).items
    )
    packs = [*guidance, load_pack_file(write(tmp_path, channel))]
    assert not any(
        i.requirement == "advisory.priority" for i in check_case(case, packs, today=TODAY).items
    )


def test_category_without_rules_is_flagged():
    case = ready_case(Category.RUMOUR)
    # The guidance alone states no evidence for a rumour (the norm's Art. 5(5) does).
    result = check_case(case, load_packs(["cac-2023"]), today=TODAY)
    [adv] = [i for i in result.items if i.requirement == "engine.category_uncovered"]
    assert adv.status == "advisory" and adv.category == "rumour"
    assert "谣言性" in describe(adv, "zh")
