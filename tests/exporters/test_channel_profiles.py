"""Channel profiles: one per channel of the research, every fact sourced or marked an
assumption, notes written for legal staff, platform inferred from a URL's host, and a
channel's default targets."""

from __future__ import annotations

import json

import pytest

from evidence_app.app.demo import write_demo_case
from evidence_app.channels import FACT_KEYS, infer_platform, load_profiles
from evidence_app.errors import UsageError
from evidence_app.exporters.selection import channel_targets
from evidence_app.resources import resource_path
from evidence_app.store import CaseStore

EXPECTED = {
    "cac-12377", "cac-sichuan", "cac-beijing", "cac-shanghai", "weibo", "douyin", "wechat",
    "wechat-channels", "tencent-wenxi", "baidu", "xiaohongshu", "zhihu", "bilibili",
    "kuaishou", "toutiao", "generic",
}  # fmt: skip


def test_one_profile_per_channel_each_fact_with_provenance():
    profiles = load_profiles()
    assert set(profiles) == EXPECTED
    for pid, profile in profiles.items():
        facts = [profile.addressee, *(profile.facts[k] for k in FACT_KEYS)]
        facts += [r.fact for r in profile.requirements]
        for fact in facts:
            assert fact.sourced != bool(fact.assumption), pid  # exactly one of the two
            if fact.sourced:
                assert all(fact.source[k] for k in ("title", "date", "url")), pid
        for lang in ("zh_CN", "en"):
            assert "resources/channels" not in profile.note(lang)  # notes speak to legal staff
    assert profiles["wechat"].processing_days() == 7
    assert profiles["tencent-wenxi"].processing_days() == 7
    assert profiles["weibo"].processing_days() is None
    assert profiles["cac-12377"].is_regulator and not profiles["weibo"].is_regulator
    raw = json.loads(resource_path("channels", "wechat.json").read_text("utf-8"))
    assert raw["notice_form"]["source"]["date"]


@pytest.mark.parametrize(
    ("url", "platform"),
    [
        ("https://weibo.com/123/abc", "微博"),
        ("https://m.weibo.cn/status/1", "微博"),
        ("https://www.douyin.com/video/1", "抖音"),
        ("https://mp.weixin.qq.com/s/x", "微信公众号"),
        ("https://www.xiaohongshu.com/explore/1", "小红书"),
        ("https://www.bilibili.com/video/BV1", "哔哩哔哩"),
        ("https://www.toutiao.com/article/1", "今日头条"),
        ("https://example.com/", ""),
        ("not a url", ""),
    ],
)
def test_platform_inferred_from_the_host(url, platform):
    assert infer_platform(url) == platform


def test_default_targets_per_channel(tmp_path):
    with CaseStore.open(write_demo_case(tmp_path / "demo")) as store:
        case = store.load()
    assert channel_targets(case, "cac-12377") == ["T1", "T2", "T3"]
    assert channel_targets(case, "weibo") == ["T1"]
    assert channel_targets(case, "douyin") == ["T2"]
    case.targets[0].platform = ""  # the URL's host still places it
    assert channel_targets(case, "weibo") == ["T1"]
    with pytest.raises(UsageError):
        channel_targets(case, "zhihu")
