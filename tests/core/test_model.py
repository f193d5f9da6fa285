from evidence_app import model
from evidence_app.model import (
    Case,
    Category,
    Complainant,
    EvidenceItem,
    Filer,
    FilerRole,
    PriorityType,
    Redaction,
    Target,
)


def keys(problems):
    return {(p.path, p.key) for p in problems}


def test_complainant_validation_names_fields():
    c = Complainant(name="甲公司", uscc="91110000600037341A", contact_phone="abc")
    found = keys(c.validate())
    assert ("complainant.uscc", "validation.uscc") in found
    assert ("complainant.contact_phone", "validation.phone") in found
    assert ("complainant.legal_representative", "validation.required") in found


def test_listed_company_needs_stock_code():
    c = Complainant(priority_types=[PriorityType.LISTED])
    assert ("complainant.stock_code", "validation.listed_needs_code") in keys(c.validate())


def test_agent_needs_identity():
    f = Filer(role=FilerRole.LAW_FIRM, name="张律师", id_number="110105194912310021")
    found = keys(f.validate())
    assert ("filer.id_number", "validation.id_number") in found
    assert ("filer.organisation", "validation.required") in found
    assert Filer().validate() == []  # the enterprise filing itself needs no agent data


def test_target_validation():
    t = Target(id="T1", url="weibo.com/x", published_at="yesterday")
    found = keys(t.validate("targets[0]"))
    assert ("targets[0].url", "validation.url") in found
    assert ("targets[0].published_at", "validation.datetime") in found
    assert ("targets[0].categories", "validation.required") in found


def test_evidence_fields_and_redactions_validated():
    e = EvidenceItem(
        title="x",
        fields={"captured_at": "not a date", "source_url": "nope"},
        redactions=[Redaction(x=0.9, y=0.1, w=0.5, h=0.1)],
    )
    found = keys(e.validate("evidence[0]"))
    assert ("evidence[0].fields.captured_at", "validation.datetime") in found
    assert ("evidence[0].fields.source_url", "validation.url") in found
    assert ("evidence[0].redactions[0]", "validation.redaction") in found


def test_case_detects_dangling_target_link():
    case = Case(
        targets=[
            Target(id="T1", url="https://a.cn/1", platform="微博", categories=[Category.INSULT])
        ],
        evidence=[EvidenceItem(title="x", target_ids=["T9"])],
    )
    assert ("evidence[0].target_ids", "validation.unknown_target") in keys(case.validate())


def test_round_trip_and_unknown_keys_ignored():
    case = Case(
        title="案",
        targets=[Target(id="T1", categories=[Category.RUMOUR, Category.TROLL_CAMPAIGN])],
        evidence=[EvidenceItem(id="E1", number=1, redactions=[Redaction(0, 0.1, 0.1, 0.2, 0.2)])],
    )
    data = model.to_dict(case)
    data["future_field"] = 1
    data["targets"][0]["another"] = "x"
    assert model.from_dict(Case, data) == case


def test_unknown_enum_value_is_an_error():
    import pytest

    with pytest.raises(ValueError):
        model.from_dict(Target, {"categories": ["no_such_category"]})
