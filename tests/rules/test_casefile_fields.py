"""case.json carries the fields the rules read: a locator, sub-kinds, whose document an
exhibit is, and the executive categories."""

import json
import shutil

from evidence_app.casefile import init_case, parse_case_json
from evidence_app.model import DocumentHolder, SubCategory
from evidence_app.rules import check_case
from evidence_app.store import CaseStore


def test_case_json_fields_reach_the_check(tmp_path, corpus):
    png = tmp_path / "id.png"
    shutil.copy(corpus / "images/odd/hopper.png", png)
    desc = tmp_path / "case.json"
    desc.write_text(
        json.dumps(
            {
                "format": 1,
                "complainant": {"name": "甲公司", "uscc": "91110000600037341L"},
                "targets": [
                    {
                        "id": "T1",
                        "platform": "微信",
                        "content_form": "group",
                        "locator": "微信群 群号 123456789",
                        "categories": ["executive_defamation"],
                        "subcategories": ["defaced_portrait"],
                    }
                ],
                "evidence": [
                    {"file": "id.png", "kind": "id_document", "holder": "executive"},
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    path = init_case(tmp_path / "c.evcase", parse_case_json(desc))
    with CaseStore.open(path) as store:
        case = store.load()
    assert case.targets[0].locator == "微信群 群号 123456789"
    assert case.targets[0].subcategories == [SubCategory.DEFACED_PORTRAIT]
    assert case.evidence[0].holder == DocumentHolder.EXECUTIVE
    result = check_case(case)
    gaps = {g.requirement for g in result.gaps()}
    assert "art5.url" not in gaps  # located without a URL
    assert "executive_defamation.portrait" in gaps
    standing = next(g for g in result.gaps() if g.requirement == "standing.executive")
    # the executive's own ID is there; their authorisation is what is missing
    assert standing.params["missing"] == [
        {"kind": "executive_authorisation", "min_count": 1, "count": 0}
    ]
