"""(十九)/(二十) escalation when a platform misses its deadline, and the (十四) routing hint."""

import datetime as dt

from rules.rulecases import TODAY, ready_case

from evidence_app.model import Category, FollowUp
from evidence_app.rules import check_case, describe
from evidence_app.rules.escalation import describe_step, overdue


def _submitted(**kw):
    return FollowUp(
        id="F1", date="2026-11-01", channel="weibo", reference="WB-7", event="submitted", **kw
    )


def test_escalation_after_the_deadline_without_reply():
    case = ready_case(Category.RUMOUR)
    case.follow_ups = [_submitted(deadline="2026-11-10")]
    assert overdue(case, dt.date(2026, 11, 10)) == []  # on the day: not yet
    [step] = overdue(case, dt.date(2026, 11, 12))
    assert step.days_over == 2
    text = describe_step(step, "zh")
    assert "(十九)" in text and "12377" in text and "2026年11月10日" in text and "WB-7" in text
    case.follow_ups.append(FollowUp(id="F2", date="2026-11-09", channel="weibo", event="reply"))
    assert overdue(case, dt.date(2026, 11, 12)) == []


def test_escalation_from_the_channel_limit():
    case = ready_case(Category.RUMOUR)
    case.follow_ups = [_submitted()]
    assert overdue(case, dt.date(2026, 11, 20)) == []  # no deadline known
    [step] = overdue(case, dt.date(2026, 11, 20), {"weibo": 7})
    assert step.due == dt.date(2026, 11, 8)


def test_routing_hint_only_when_the_platform_is_seated_elsewhere_and_no_zone_chosen():
    case = ready_case(Category.RUMOUR)  # 微博, weibo.com
    case.complainant.province = "上海市"
    lines = [i for i in check_case(case, today=TODAY).items if i.requirement.startswith("routing")]
    assert [i.requirement for i in lines] == ["routing.remote_assumed"]
    assert lines[0].basis == "policy" and "北京" in describe(lines[0], "zh")
    assert "未核实" in describe(lines[0], "zh")
    case.complainant.province = "北京市"  # 属地: nothing to say
    assert not [
        i for i in check_case(case, today=TODAY).items if i.requirement.startswith("routing")
    ]
    case.complainant.province = "上海市"
    case.targets[0].platform, case.targets[0].url = (
        "小红书",
        "https://www.xiaohongshu.com/explore/1",
    )
    case.evidence = [e for e in case.evidence if e.kind.value != "capture"]
    lines = [i for i in check_case(case, today=TODAY).items if i.requirement.startswith("routing")]
    assert lines == []  # 小红书 is seated in Shanghai (sourced)
    case.channel = "cac-12377"
    case.complainant.province = "广东省"
    lines = [i for i in check_case(case, today=TODAY).items if i.requirement.startswith("routing")]
    assert lines == []  # a zone is chosen: the hint has nothing to add
    case.channel = ""
    [line] = [i for i in check_case(case, today=TODAY).items if i.requirement.startswith("routing")]
    assert line.requirement == "routing.remote" and line.basis == "text"
