"""Credit codes and ID-card numbers: the check characters are python-stdnum's, and the two
checks kept local (models/values/codes.py) are kept because the library refuses valid
numbers. Each test here is that evidence: if a python-stdnum release stops refusing them,
the local check can go."""

from __future__ import annotations

import pytest
from stdnum.cn import ric
from stdnum.cn import uscc as stdnum_uscc

from models.values import (
    USCC_ALPHABET,
    find_usccs,
    repair_uscc,
    uscc_check_char,
    uscc_is_valid,
    uscc_problem,
)

# 农业 (N), 其他 (Y) and 中央军委改革和编制办公室 (A) register organisations too (GB 32100-2015
# and its amendments); the check character is the library's own.
LETTER_AUTHORITIES = ["N2140105MA0K12345N", "Y1140105MA0K1234XU", "A1110000MA0K12345C"]


@pytest.mark.parametrize("code", LETTER_AUTHORITIES)
def test_stdnum_refuses_codes_of_the_letter_authorities(code: str) -> None:
    assert stdnum_uscc.calc_check_digit(code[:17]) == code[17]
    assert not stdnum_uscc.is_valid(code)  # why the shape check is local
    assert uscc_is_valid(code)
    assert uscc_problem(code) is None
    assert find_usccs(f"统一社会信用代码：{code}") == [code]


def test_stdnum_takes_0_for_an_authority_and_we_do_not() -> None:
    body = "01110000600037341"
    code = body + stdnum_uscc.calc_check_digit(body)
    assert stdnum_uscc.is_valid(code)
    assert not uscc_is_valid(code)
    assert uscc_problem(code) == "第1位登记管理部门码“0”不存在"


def test_check_character_is_the_librarys() -> None:
    bodies = ["91140105MA0K1234", "12140105281050732", "93450103MA5KXY00A", "5214000000000000"]
    for body in (b.ljust(17, "0")[:17] for b in bodies):
        assert uscc_check_char(body) == stdnum_uscc.calc_check_digit(body)
    with pytest.raises(ValueError):
        uscc_check_char("9114010527625907")  # 16 characters
    with pytest.raises(ValueError):
        uscc_check_char("91140105276259o72")  # lower case is not the code's alphabet


# Born 1960 with the region code of 通州区 (110112), which exists since 1997: a real kind of
# number (a person registered there after 1997 gets it), and its digits also pass the credit
# code's check.
ID_NUMBER_ALSO_A_CODE = "110112196005010050"


def test_an_id_number_with_a_younger_region_is_no_credit_code() -> None:
    number = ID_NUMBER_ALSO_A_CODE
    assert ric.calc_check_digit(number) == number[17]
    assert not ric.is_valid(number)  # stdnum dates the region after the birth: why not is_valid
    assert ric.is_valid("110112199805010052")  # the same region, born 1998: valid for stdnum
    assert stdnum_uscc.is_valid(number) and uscc_is_valid(number)
    assert find_usccs(f"身份证号：{number}") == []


def test_a_credit_code_with_a_wrong_id_check_is_still_found() -> None:
    code = "911401051960050062"  # all digits and a date inside, but not an ID number's check
    assert stdnum_uscc.is_valid(code)
    assert ric.calc_check_digit(code) != code[17]
    assert find_usccs(f"代码{code}") == [code]


def test_repair_uses_the_same_check() -> None:
    code = "91140105MA0K1B080U"
    assert stdnum_uscc.is_valid(code)
    assert repair_uscc(code.replace("0", "O", 1)) == code  # O is outside the alphabet: read as 0
    assert repair_uscc(code[:-1] + "V") == code  # V is U or Y: only U makes the check right
    assert repair_uscc(code[:-1] + "1") is None  # a wrong check character is not repaired
    assert all(c in USCC_ALPHABET for c in code)
