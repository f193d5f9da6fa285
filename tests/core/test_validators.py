import pytest

from evidence_app import validators as v

# Published examples (GB 11643-1999 gives both IDs; the USCCs are widely cited real codes).
VALID_USCC = ["91110000600037341L", "91350100M000100Y43", "91310115MA1K4B2X34"]
VALID_IDS = ["11010519491231002X", "440524188001010014"]


@pytest.mark.parametrize("code", VALID_USCC)
def test_valid_uscc(code):
    assert v.is_valid_uscc(code)
    assert v.is_valid_uscc(code.lower())  # users type lower case; accept it


@pytest.mark.parametrize(
    "code",
    [
        "91110000600037341A",  # wrong check character
        "91110000600037341",  # 17 characters
        "9111000060003734IL",  # I is not in the alphabet
        "91110000600O37341L",  # O is not in the alphabet
        "",
    ],
)
def test_invalid_uscc(code):
    assert not v.is_valid_uscc(code)


def test_uscc_every_single_character_change_is_caught():
    code = VALID_USCC[0]
    for i in range(18):
        for c in v.USCC_ALPHABET:
            if c != code[i]:
                assert not v.is_valid_uscc(code[:i] + c + code[i + 1 :])


@pytest.mark.parametrize("number", VALID_IDS)
def test_valid_id(number):
    assert v.is_valid_resident_id(number)


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # wrong check digit
        "11010519491331002X",  # month 13
        "11010517991231002X",  # before 1800
        "1101051949123100",
        "11010519491231002Y",
    ],
)
def test_invalid_id(number):
    assert not v.is_valid_resident_id(number)


def test_id_future_birth_date_refused():
    first17 = "11010530001231002"
    assert not v.is_valid_resident_id(first17 + v.resident_id_check_character(first17))


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://weibo.com/123/abc", True),
        ("http://例子.中国/路径", True),
        ("weibo.com/123", False),
        ("ftp://example.com/x", False),
        ("https:///nohost", False),
        ("https://exa mple.com", False),
    ],
)
def test_url(url, ok):
    assert v.is_valid_url(url) is ok


def test_datetime():
    assert v.is_valid_datetime("2026-11-29")
    assert v.is_valid_datetime("2026-11-29T10:00:00+08:00")
    assert not v.is_valid_datetime("29/11/2026")
