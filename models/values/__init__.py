"""The value grammar both layers share: how a printed number, amount, percentage, date, term,
phone, e-mail, credit code, company or person name and address is parsed and compared.

Extractors use it to turn cell text into typed values; validators use it to compare values
read from different documents. It sits in ``models`` because neither layer may import the
other (the data flows one way: extractors → models → validators).

Callers import from the package (``from models import values`` or ``from models.values import
parse_date``); how the modules inside it are split is its own business: ``text`` (what every
parser does first), ``numbers`` (numerals, amounts, percents, OCR repairs), ``dates`` (dates,
营业期限), ``contact`` (phones, e-mails), ``codes`` (credit code, ID card), ``names``
(organisation and person names, addresses, provinces).
"""

from models.values.codes import (
    USCC_ALPHABET,
    USCC_AUTHORITIES,
    find_usccs,
    normalise_uscc,
    repair_uscc,
    uscc_check_char,
    uscc_is_valid,
    uscc_problem,
    uscc_province,
)
from models.values.contact import parse_email, parse_phone, phone_numbers, phones_equal, phones_match
from models.values.dates import parse_date, parse_term
from models.values.names import (
    PROVINCES,
    addresses_equal,
    edit_distance,
    name_distance,
    names_equal,
    normalise_name,
    normalise_person,
    province_of_address,
)
from models.values.numbers import (
    chinese_numeral,
    ocr_repair,
    parse_amount,
    parse_int,
    parse_number,
    parse_percent,
)
from models.values.text import is_blank, squash

__all__ = [
    "PROVINCES",
    "USCC_ALPHABET",
    "USCC_AUTHORITIES",
    "addresses_equal",
    "chinese_numeral",
    "edit_distance",
    "find_usccs",
    "is_blank",
    "name_distance",
    "names_equal",
    "normalise_name",
    "normalise_person",
    "normalise_uscc",
    "ocr_repair",
    "parse_amount",
    "parse_date",
    "parse_email",
    "parse_int",
    "parse_number",
    "parse_percent",
    "parse_phone",
    "parse_term",
    "phone_numbers",
    "phones_equal",
    "phones_match",
    "province_of_address",
    "repair_uscc",
    "squash",
    "uscc_check_char",
    "uscc_is_valid",
    "uscc_problem",
    "uscc_province",
]
