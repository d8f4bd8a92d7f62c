"""表3 示范平台申报表: platform data, the 注册资本 ___ 万元 cell beside the 主要投资方 list,
the 申报类型 check boxes, the 平台绩效 year rows (which may run onto the next page without
their year header) and the 服务典型企业名单 list."""

from __future__ import annotations

from extractors.forms.fieldvalue import make_field
from extractors.forms.formbase import FormExtractor, FormSpec
from extractors.forms.labels import CHECKED_MARKS, UNCHECKED_MARKS, checked_options, squash, value_type
from extractors.forms.reader import GridReader, read_list

PLATFORM_TYPES = {
    "面向行业的专业服务平台": "professional",
    "面向区域的综合服务平台": "regional",
    "专业服务平台": "professional",
    "综合服务平台": "regional",
}
INVESTOR_HEADERS = {"主要投资方名称": "name", "投资方名称": "name", "性质": "nature", "投资比例": "ratio"}
CUSTOMER_HEADERS = {
    "序号": "index",
    "服务企业名称": "name",
    "企业名称": "name",
    "联系人": "contact",
    "联系电话": "phone",
    "服务内容简述": "summary",
    "服务内容": "summary",
}


def read_platform_parts(reader: GridReader) -> None:
    """Claim and read the check boxes and the two lists before the generic labels."""
    _read_type(reader)
    for anchor, headers, prefix in (
        ("主要投资方名称", INVESTOR_HEADERS, "investors"),
        ("服务企业名称", CUSTOMER_HEADERS, "customers"),
    ):
        rows, used = read_list(reader.grid, headers, anchor)
        reader.claim(*used)
        for i, row in enumerate(rows):
            for key, slot in row.items():
                if key == "index":
                    continue
                full = f"{prefix}.{i}.{key}"
                reader.put(full, [slot], slot)


def _read_type(reader: GridReader) -> None:
    """``☑面向行业的专业服务平台 □面向区域的综合服务平台`` → platform_type; the options may
    share a cell or sit in two; nothing checked leaves the value None. A cell counts as an
    option only with a box mark or the full 面向… wording, so the name cell of a
    "桂林工业互联网综合服务平台" is left for 平台名称."""
    slots = [s for s in reader.grid.slots if _is_type_option(squash(s.text))]
    if not slots:
        return
    text = " ".join(s.text for s in slots)
    options = {k: v for k, v in PLATFORM_TYPES.items() if len(k) > 6}
    if not any(k in squash(text) for k in options):
        options = PLATFORM_TYPES
    chosen = checked_options(text, options)
    raw = text if len(chosen) == 1 else ""
    field = make_field(raw, [(s.prov, s.text) for s in slots], value_type("platform_type"))
    value = chosen[0] if len(chosen) == 1 else None
    error = "ambiguous_choice" if len(chosen) > 1 else None
    reader.put_value("platform_type", field.model_copy(update={"value": value, "error": error}))
    reader.claim(*slots)


def _is_type_option(flat: str) -> bool:
    if not any(k in flat for k in PLATFORM_TYPES):
        return False
    return any(ch in flat for ch in CHECKED_MARKS + UNCHECKED_MARKS) or "面向" in flat


PLATFORM = FormSpec(
    form_type="platform",
    titles=("平台申报表",),
    labels={
        "平台名称": "name",
        "网址": "website",
        "平台网址": "website",
        "运营主体": "operator",
        "平台性质": "nature",
        "注册资本": "registered_capital",
        "上年末总资产": "total_assets_last_year",
        "服务场地面积": "service_area",
    },
    distinctive=("平台名称", "运营主体", "网址", "平台性质", "注册资本", "服务场地面积"),
    pre=read_platform_parts,
)

platform_form = FormExtractor(PLATFORM)
