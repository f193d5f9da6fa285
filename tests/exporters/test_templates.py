"""Paperwork templates: 情况说明, 授权委托书, 真实性承诺书."""

from __future__ import annotations

import pdf_case
import pytest
from pdftools import pdffonts, pdftotext, squash

from evidence_app.exporters.pdf import TEMPLATE_IDS, BundleError, render_template


@pytest.mark.parametrize("template", TEMPLATE_IDS)
def test_templates_render_deterministically_in_embedded_chinese(tmp_path, template):
    from evidence_app.model import Executive

    store = pdf_case.new_case(tmp_path, agent=True)
    pdf_case.add_bytes(store, pdf_case.screenshot_png(), "a.png", title="微博截图")
    case = store.load()
    case.complainant.executives = [Executive(name="林晓峰", title="董事长")]
    if template == "channel_notice":
        case.channel = "toutiao"  # a channel that asks for its own sealed notice
    a = render_template(case, template, tmp_path / "a.pdf", clock=pdf_case.CLOCK)
    b = render_template(case, template, tmp_path / "b.pdf", clock=pdf_case.CLOCK)
    assert a.read_bytes() == b.read_bytes()
    text = squash(pdftotext(a))
    assert pdf_case.COMPANY in text
    assert {
        "situation_statement": "情况说明",
        "power_of_attorney": "授权委托书",
        "truth_guarantee": "真实性承诺书",
        "executive_authorisation": "授权书",
        "channel_notice": "权利通知书",
    }[template] in text
    assert ("签字" if template == "executive_authorisation" else "盖章") in text
    if template == "power_of_attorney":
        assert "王律师" in text and "11010519491231002X" in text
    if template == "truth_guarantee":
        assert case.evidence[0].sha256 in text
    if template == "situation_statement":
        assert pdf_case.TARGET_URLS[0] in text
    assert all(row[-5] == "yes" for row in pdffonts(a))
    store.close()


def test_power_of_attorney_needs_an_agent_and_unknown_ids_are_refused(tmp_path):
    store = pdf_case.new_case(tmp_path)
    with pytest.raises(BundleError) as info:
        render_template(store.load(), "power_of_attorney", tmp_path / "p.pdf", clock=pdf_case.CLOCK)
    assert info.value.key == "pdf.template.no_agent"
    with pytest.raises(BundleError) as info:
        render_template(store.load(), "nope", tmp_path / "p.pdf", clock=pdf_case.CLOCK)
    assert info.value.key == "pdf.template.unknown"
    assert not (tmp_path / "p.pdf").exists()
    store.close()
