"""Value parsers: examples for every printed format, and the contract as properties (a value
or ValueParseError, nothing else, on any text)."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from models.errors import ValueParseError
from models.values import (
    USCC_ALPHABET,
    addresses_equal,
    chinese_numeral,
    edit_distance,
    find_usccs,
    name_distance,
    normalise_name,
    ocr_repair,
    parse_amount,
    parse_date,
    parse_email,
    parse_int,
    parse_number,
    parse_percent,
    parse_phone,
    parse_term,
    repair_uscc,
    uscc_check_char,
    uscc_is_valid,
)

D = dt.date
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------- examples


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,234.5", 1234.5),
        ("1，234", 1234.0),
        ("１２３", 123.0),
        (" 12 ", 12.0),
        ("-12", -12.0),
        ("＋3.5", 3.5),
        ("−7", -7.0),
        ("15人", 15.0),
        ("12.5万元", 12.5),
        ("120平方米", 120.0),
        ("3项", 3.0),
        ("35%", 35.0),
        ("三", 3.0),
        ("一百零五", 105.0),
        ("", None),
        ("  ", None),
        ("—", None),
        ("——", None),
        ("-", None),
        ("/", None),
        ("无", None),
        (None, None),
    ],
)
def test_parse_number(raw: str | None, expected: float | None) -> None:
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["见审计报告", "1,23", "12a", "约12", "1.2.3", "%"])
def test_parse_number_rejects(raw: str) -> None:
    with pytest.raises(ValueParseError):
        parse_number(raw)


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        ("1234500元", "万元", 123.45),
        ("12.3万元", "万元", 12.3),
        ("12.3", "万元", 12.3),
        ("1.2亿元", "万元", 12000.0),
        ("贰拾万元整", "万元", 20.0),
        ("人民币壹佰贰拾叁万肆仟伍佰元整", "万元", 123.45),
        ("伍佰万元", "万元", 500.0),
        ("捌仟万元整", "万元", 8000.0),
        ("三万五千元", "万元", 3.5),
        ("两百万元", "万元", 200.0),
        ("壹拾万零伍佰元", "万元", 10.05),
        ("壹佰元伍角", "万元", 0.01005),
        ("500万元人民币", "万元", 500.0),
        ("人民币伍佰万元整（小写：500万元）", "万元", 500.0),
        ("￥1,000,000.00元", "万元", 100.0),
        ("500万", "万元", 500.0),
        ("1000", "元", 0.1),
        ("-35.2", "万元", -35.2),
        ("", "万元", None),
        ("—", "万元", None),
    ],
)
def test_parse_amount(raw: str, unit: str, expected: float | None) -> None:
    result = parse_amount(raw, unit)
    assert result == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize("raw", ["500万美元", "见附件", "元", "1,2万元"])
def test_parse_amount_rejects(raw: str) -> None:
    with pytest.raises(ValueParseError):
        parse_amount(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("35%", 35.0), ("35", 35.0), ("35.5％", 35.5), ("-12.3%", -12.3), ("0.35", 0.35)],
)
def test_parse_percent(raw: str, expected: float) -> None:
    assert parse_percent(raw) == expected


def test_parse_int() -> None:
    assert parse_int("12人") == 12
    assert parse_int("十二") == 12
    assert parse_int("") is None
    with pytest.raises(ValueParseError):
        parse_int("12.5")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2021年3月5日", D(2021, 3, 5)),
        ("2021年03月05日", D(2021, 3, 5)),
        ("2021.3.5", D(2021, 3, 5)),
        ("2021-03-05", D(2021, 3, 5)),
        ("2021/3/5", D(2021, 3, 5)),
        ("20210305", D(2021, 3, 5)),
        ("二〇二二年十二月十九日", D(2022, 12, 19)),
        ("二零二二年十二月十九日", D(2022, 12, 19)),
        ("二〇二一年三月", D(2021, 3, 1)),
        ("2021年3月", D(2021, 3, 1)),
        ("2021 年 3 月 5 日", D(2021, 3, 5)),
        ("２０２１年３月５日", D(2021, 3, 5)),
        ("2021-03-05 00:00:00", D(2021, 3, 5)),
        ("", None),
    ],
)
def test_parse_date(raw: str, expected: dt.date | None) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["2021年2月30日", "2021年13月1日", "2021年", "明年", "2021-3"])
def test_parse_date_rejects(raw: str) -> None:
    if raw == "2021-3":  # year-month with a separator is accepted as day 1
        assert parse_date(raw) == D(2021, 3, 1)
        return
    with pytest.raises(ValueParseError):
        parse_date(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2010年01月01日至长期", (D(2010, 1, 1), None, True)),
        ("2010年1月1日 至 2030年12月31日", (D(2010, 1, 1), D(2030, 12, 31), False)),
        ("长期", (None, None, True)),
        ("自2010年1月1日至2040年1月1日", (D(2010, 1, 1), D(2040, 1, 1), False)),
        ("2010-01-01至2030-12-31", (D(2010, 1, 1), D(2030, 12, 31), False)),
        ("2010-01-01-2030-12-31", (D(2010, 1, 1), D(2030, 12, 31), False)),
        ("2010年1月1日起", (D(2010, 1, 1), None, False)),
        ("2010年01月01日至长期有效", (D(2010, 1, 1), None, True)),
        ("无固定期限", (None, None, True)),
        ("至2030年12月31日", (None, D(2030, 12, 31), False)),
        ("", (None, None, False)),
    ],
)
def test_parse_term(raw: str, expected: tuple[dt.date | None, dt.date | None, bool]) -> None:
    assert parse_term(raw) == expected


def test_parse_term_rejects() -> None:
    with pytest.raises(ValueParseError):
        parse_term("见副本")
    with pytest.raises(ValueParseError):
        parse_term("2010年1月1日至2010年2月30日")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0351-2022229", "0351-2022229"),
        ("0351－2022229", "0351-2022229"),
        ("（0351）2022229", "0351-2022229"),
        ("0351 2022229", "0351-2022229"),
        ("03512022229", "0351-2022229"),
        ("010-12345678", "010-12345678"),
        ("15635390920", "15635390920"),
        ("156 3539 0920", "15635390920"),
        ("+86 156 3539 0920", "15635390920"),
        ("0351-2022229转8001", "0351-2022229"),
        ("电话：0351-2022229、15635390920", "0351-2022229"),
        ("", None),
    ],
)
def test_parse_phone(raw: str, expected: str | None) -> None:
    assert parse_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "无人接听", "95588"])
def test_parse_phone_rejects(raw: str) -> None:
    with pytest.raises(ValueParseError):
        parse_phone(raw)


def test_parse_email() -> None:
    assert parse_email("abc＠qq．com") == "abc@qq.com"
    assert parse_email("邮箱：Zhang.San@163。COM") == "Zhang.San@163.com"
    assert parse_email(" ") is None
    with pytest.raises(ValueParseError):
        parse_email("zhangsan")


KNOWN_USCC = "91110000600037341L"  # python-stdnum's documented example


def test_uscc_examples() -> None:
    assert uscc_is_valid(KNOWN_USCC)
    assert uscc_is_valid("9111 0000 6000 3734 1l")  # spaces and case ignored
    assert not uscc_is_valid("91110000600037341M")  # check character
    assert not uscc_is_valid("01110000600037341L")  # 0 is no registration authority
    assert not uscc_is_valid("9111000060003734")  # length
    assert not uscc_is_valid("911100006000373I1L")  # I is not in the alphabet


def test_repair_uscc() -> None:
    assert repair_uscc(KNOWN_USCC) == KNOWN_USCC
    assert repair_uscc("9111 0000 6OOO 3734 1L") == KNOWN_USCC  # O read for 0
    assert repair_uscc("统一社会信用代码：9lll0000600037341L") == KNOWN_USCC  # l for 1
    assert repair_uscc("91110000600037341M") is None
    assert repair_uscc("") is None


def test_find_usccs() -> None:
    text = f"统一社会信用代码{KNOWN_USCC}，电话 135123456789012345，身份证110101199003074514"
    assert find_usccs(text) == [KNOWN_USCC]
    assert find_usccs("代码 9111 0000 6000 3734 1L 号") == [KNOWN_USCC]
    assert find_usccs("") == []


# ---------------------------------------------------------------- properties

PARSERS: list[Callable[[str], object]] = [
    parse_number,
    parse_amount,
    parse_percent,
    parse_int,
    parse_date,
    parse_term,
    parse_phone,
    parse_email,
]
NOISY = st.text(
    alphabet=st.sampled_from(list("0123456789０１２３.,，-—/%％ 年月日至元万亿整零〇一二两三十百千壹贰拾佰仟长期@."))
    | st.characters(),
    max_size=30,
)


@SETTINGS
@given(text=NOISY, index=st.integers(0, len(PARSERS) - 1))
def test_parsers_return_or_raise_value_parse_error(text: str, index: int) -> None:
    with contextlib.suppress(ValueParseError):
        PARSERS[index](text)


@SETTINGS
@given(text=NOISY)
def test_uscc_functions_never_raise(text: str) -> None:
    assert isinstance(uscc_is_valid(text), bool)
    fixed = repair_uscc(text)
    assert fixed is None or uscc_is_valid(fixed)
    assert all(uscc_is_valid(code) for code in find_usccs(text))


CN_DIGITS = "〇一二三四五六七八九"


def _cn_small(n: int) -> str:
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def _styles(d: dt.date) -> list[str]:
    y, m, day = d.year, d.month, d.day
    return [
        f"{y}年{m}月{day}日",
        f"{y}年{m:02d}月{day:02d}日",
        f"{y} 年 {m} 月 {day} 日",
        f"{y}.{m}.{day}",
        f"{y}-{m:02d}-{day:02d}",
        f"{y}/{m}/{day}",
        f"{y}{m:02d}{day:02d}",
        "".join(CN_DIGITS[int(c)] for c in str(y)) + f"年{_cn_small(m)}月{_cn_small(day)}日",
        f"{y}年{m}月{day}日".translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    ]


@SETTINGS
@given(d=st.dates(min_value=D(1950, 1, 1), max_value=D(2099, 12, 31)))
def test_date_round_trip(d: dt.date) -> None:
    for text in _styles(d):
        assert parse_date(text) == d, text


@SETTINGS
@given(
    a=st.dates(min_value=D(1990, 1, 1), max_value=D(2099, 1, 1)),
    b=st.dates(min_value=D(1990, 1, 1), max_value=D(2099, 1, 1)),
)
def test_term_round_trip(a: dt.date, b: dt.date) -> None:
    assert parse_term(f"{_styles(a)[0]}至{_styles(b)[1]}") == (a, b, False)
    assert parse_term(f"自{_styles(a)[4]}至长期") == (a, None, True)


@SETTINGS
@given(cents=st.integers(0, 10**12))
def test_amount_round_trip(cents: int) -> None:
    yuan = cents / 100
    assert parse_amount(f"{yuan:,.2f}元") == pytest.approx(yuan / 10_000)
    assert parse_amount(f"{yuan:,.2f}", unit="元") == pytest.approx(yuan / 10_000)
    wan = cents / 10_000
    assert parse_amount(f"{wan:.4f}万元") == pytest.approx(wan)
    assert parse_number(f"{yuan:,.2f}".replace(",", "，")) == pytest.approx(yuan)


CAPITAL = "零壹贰叁肆伍陆柒捌玖"
CAP_UNITS = ["", "拾", "佰", "仟"]


def _capital_section(n: int) -> str:
    """0 < n < 10000 in 大写, with the 零 rules of bank notes."""
    out, zero = "", False
    for power in (3, 2, 1, 0):
        digit = n // 10**power % 10
        if digit == 0:
            zero = bool(out)
            continue
        out += ("零" if zero else "") + CAPITAL[digit] + CAP_UNITS[power]
        zero = False
    return out


def _capital(n: int) -> str:
    high, low = divmod(n, 10_000)
    text = _capital_section(high) + "万" if high else ""
    if low:
        text += ("零" if high and low < 1000 else "") + _capital_section(low)
    return text + "元整"


@SETTINGS
@given(n=st.integers(1, 99_999_999))
def test_capital_amount_round_trip(n: int) -> None:
    assert parse_amount(_capital(n)) == pytest.approx(n / 10_000)


EVERYDAY = str.maketrans("壹贰叁肆伍陆柒捌玖拾佰仟", "一二三四五六七八九十百千")


def test_chinese_numeral_reads_every_number_below_ten_thousand() -> None:
    """The address reader (一号 = 1号) is the amount reader: written out or digit by digit."""
    for n in range(1, 10_000):
        text = _capital_section(n).translate(EVERYDAY)
        assert chinese_numeral(text) == n, text
        assert chinese_numeral("".join("〇一二三四五六七八九"[int(d)] for d in str(n))) == n
    assert chinese_numeral("十五") == 15
    assert chinese_numeral("两百") == 200


def test_chinese_numeral_reads_colloquial_numbers_and_refuses_the_rest() -> None:
    assert [chinese_numeral(t) for t in ("一千五", "三百五", "一百一")] == [1500, 350, 110]
    assert [chinese_numeral(t) for t in ("十十", "一二十", "", "长治", "壹", "5")] == [None] * 6
    assert addresses_equal("太原市长治路一千五号", "太原市长治路1500号")
    assert not addresses_equal("太原市长治路一千五号", "太原市长治路1005号")


@st.composite
def usccs(draw: st.DrawFn) -> str:
    first = draw(st.sampled_from("159Y"))
    kind = draw(st.sampled_from("123"))
    region = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    org = draw(st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9))
    body = first + kind + region + org
    return body + uscc_check_char(body)


@SETTINGS
@given(code=usccs())
def test_generated_uscc_valid(code: str) -> None:
    assert uscc_is_valid(code)
    if code[0].isdigit():  # python-stdnum only knows numeric authority codes
        assert stdnum_uscc.is_valid(code)
    assert find_usccs(f"信用代码：{code}。") == [code] or code in find_usccs(code)
    assert repair_uscc(code.replace("0", "O")) in (code, None)


@SETTINGS
@given(code=usccs(), pos=st.integers(0, 17), data=st.data())
def test_one_changed_char_invalid(code: str, pos: int, data: st.DataObject) -> None:
    new = data.draw(st.sampled_from(USCC_ALPHABET.replace(code[pos], "")))
    changed = code[:pos] + new + code[pos + 1 :]
    # A single substitution changes the weighted sum mod 31 (31 is prime and no weight is a
    # multiple of it), so the check character no longer fits: every such change is caught.
    assert not uscc_is_valid(changed)


# ---------------------------------------------------------------- OCR repairs (issue 9)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("-3.5.", -3.5),
        (".65.9", 65.9),
        ("5309.", 5309.0),
        ("5309。", 5309.0),
        ("-4:7", -4.7),
        ("-4：7", -4.7),
        ("-4,7", -4.7),
        ("3，5", 3.5),
        ("1O0", 100.0),
        ("2o2l", 2021.0),
        ("l2", 12.0),
        ("1I", 11.0),
        ("1..5", 1.5),
        ("5309.人", 5309.0),
    ],
)
def test_parse_number_repairs_ocr_punctuation(raw: str, expected: float) -> None:
    """Regression: scanned cells a person reads as numbers gave VALUE_NOT_NUMERIC."""
    assert parse_number(raw) == pytest.approx(expected)
    with pytest.raises(ValueParseError):
        parse_number(raw, repair=False)


@pytest.mark.parametrize("raw", ["1.2.3", "1,23", "1,2万元", "lOO", "O", "..", "1:2:3", "1,5.3"])
def test_ocr_repair_leaves_two_readings_alone(raw: str) -> None:
    with contextlib.suppress(ValueParseError):
        assert parse_number(raw, repair=False) == parse_number(raw)
        return
    with pytest.raises(ValueParseError):
        parse_number(raw)


def test_repaired_amounts_and_percents() -> None:
    assert parse_amount("5309.") == 5309.0 and parse_amount("5309.万元") == 5309.0
    assert parse_amount("1O0000元") == pytest.approx(10.0)
    assert parse_percent("12.5%.") == 12.5 and parse_percent("-4:7") == -4.7
    assert parse_int("32O") == 320
    with pytest.raises(ValueParseError):
        parse_amount("5309.", repair=False)
    with pytest.raises(ValueParseError):
        parse_percent("-4:7", repair=False)


def test_ocr_repair_gives_none_when_nothing_to_undo() -> None:
    assert ocr_repair("5309") is None and ocr_repair("1,234.5") is None
    assert ocr_repair("见审计报告") is None and ocr_repair("") is None
    assert ocr_repair("-3.5.") == "-3.5"


@SETTINGS
@given(text=NOISY)
def test_ocr_repair_never_raises(text: str) -> None:
    fixed = ocr_repair(text)
    assert fixed is None or isinstance(fixed, str)


@SETTINGS
@given(
    value=st.decimals(min_value=-(10**6), max_value=10**6, places=1, allow_nan=False, allow_infinity=False),
    noise=st.sampled_from(["{}.", "{}。", ".{}", "{}.."]),
)
def test_stray_dots_keep_the_number(value: object, noise: str) -> None:
    """A stray dot before (when the number has its own) or after a number read by OCR
    never changes the number."""
    text = f"{value}"
    if noise.startswith(".") and ("." not in text or text.startswith("-")):
        return
    assert parse_number(noise.format(text)) == pytest.approx(float(text))


@SETTINGS
@given(whole=st.integers(-9999, 9999), tenth=st.integers(0, 9), mark=st.sampled_from([":", "：", ","]))
def test_a_colon_or_comma_read_for_the_dot(whole: int, tenth: int, mark: str) -> None:
    text = f"{whole}{mark}{tenth}"
    assert parse_number(text) == pytest.approx(float(f"{whole}.{tenth}"))


def _dp_distance(a: str, b: str) -> int:
    """The dynamic-programming Levenshtein written by hand in three places of the code base
    (license._edits, common._edit_distance, ocr_bench.cer): the reference they are replaced by."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@SETTINGS
@given(a=st.text("有限责任公司山西0O1l", max_size=12), b=st.text("有限责任公司山西0O1l", max_size=12))
def test_edit_distance_is_the_hand_written_one(a: str, b: str) -> None:
    assert edit_distance(a, b) == _dp_distance(a, b)
    assert name_distance(a, b) == _dp_distance(normalise_name(a), normalise_name(b))
