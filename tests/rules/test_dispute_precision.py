"""(十七): the dispute advisory measured on a set of statements written as data
(tests/rules/data/dispute-precision.json: half rights disputes, half infringement, with the
demo case's texts and the false alarms of issue 11). Precision is asserted as a floor."""

import json
from pathlib import Path

from rules.rulecases import TODAY, ready_case

from evidence_app.model import Category
from evidence_app.rules import check_case, load_packs
from evidence_app.rules.compose import compose
from evidence_app.rules.phrases import find

SET = json.loads((Path(__file__).parent / "data" / "dispute-precision.json").read_text("utf-8"))
# Measured on the 68 statements: 26 fired on disputes, 1 on infringement (precision 26/27 =
# 0.963), 8 disputes missed (recall 26/34 = 0.765). On round 3 alone, written after the phrase
# list was last changed, 0 of 6 disputes were found and 1 of 6 infringements fired: phrases are
# precise on what they know and blind to disputes worded otherwise.
PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.75


def _fires(text: str) -> bool:
    rules = compose(load_packs())
    req = next(r for r in rules.general if r.id == "advisory.dispute")
    assert req.keywords is not None
    return bool(find(req.keywords, text))


def test_the_set_is_large_and_balanced():
    statements = SET["statements"]
    assert len(statements) >= 60
    disputes = sum(s["dispute"] for s in statements)
    assert disputes == len(statements) - disputes


def test_precision_and_recall_floors():
    tp = fp = fn = 0
    for s in SET["statements"]:
        fired = _fires(s["text"])
        tp += fired and s["dispute"]
        fp += fired and not s["dispute"]
        fn += (not fired) and s["dispute"]
    assert tp / (tp + fp) >= PRECISION_FLOOR, (tp, fp)
    assert tp / (tp + fn) >= RECALL_FLOOR, (tp, fn)


def test_the_matched_words_are_shown_in_context():
    case = ready_case(Category.RUMOUR)
    case.targets[0].excerpt = "本人入职两年，公司拖欠工资三个月，已申请劳动仲裁。"
    [line] = [i for i in check_case(case, today=TODAY).items if i.requirement == "advisory.dispute"]
    assert line.params["keywords"] == ["拖欠工资", "劳动仲裁"]
    assert line.params["snippets"] == ["公司拖欠工资三个月", "已申请劳动仲裁"]


def test_the_demo_false_alarms_are_gone():
    for text in (
        "华辰智能资金链断裂，已拖欠员工工资三个月，老板准备跑路！",
        "经审计报告证实我公司经营正常、无欠薪情形",
        "该账号发布的视频误导消费者",
        "曝光！华辰智能产品有毒",
        "双方签订了合作协议",
    ):
        assert not _fires(text), text
