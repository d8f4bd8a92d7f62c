"""Parties by role, their credit codes and a lease's term, read from the structure of
contracts, leases, evaluation letters and certificates in several layouts (scanned label
boxes, inline labels, Word tables), and never from words inside running text."""

from __future__ import annotations

import datetime as dt

import pytest
from test_attachments_layouts import box, document, text_document

from extractors.attachments import ATTACHMENT_EXTRACTORS
from models.document import BBox, Cell, Document, Provenance, Table

CLIENT_CODE = "9114010029141777XW"
CONTRACTOR_CODE = "91450100631706691L"


def fields(kind: str, doc: Document) -> dict:
    return {k: v.value for k, v in ATTACHMENT_EXTRACTORS[kind].extract(doc, [1]).fields.items()}


def word_table(rows: list[list[str]], paragraphs: list[str] = (), file: str = "att.docx") -> Document:
    """A Word page: paragraphs, then one table of ``rows``."""
    doc = text_document(list(paragraphs), file=file)
    cells = [
        Cell(
            text=text,
            orig=text,
            row=r,
            col=c,
            prov=Provenance(file=file, page=1, cell=f"table 1 r{r + 1} c{c + 1}", method="docx"),
        )
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    ]
    table = Table(cells=cells, n_rows=len(rows), n_cols=max(map(len, rows)), prov=Provenance(file=file, page=1))
    page = doc.pages[0].model_copy(update={"tables": [table]})
    return doc.model_copy(update={"pages": [page]})


def test_scanned_contract_parties_and_codes_under_them():
    doc = document(
        [
            box("智能产线共享服务项目建设合同书", 400, 200, h=76),
            box("甲方（委托方）：", 170, 400),
            box("太原重型机械装备集团有限公司", 470, 400),
            box("统一社会信用代码：", 170, 460),
            box(CLIENT_CODE, 520, 460, w=360),
            box("乙方（承建方）：", 170, 560),
            box("山西龙城数控机床有限公司", 470, 560),
            box("统一社会信用代码：", 170, 620),
            box(CONTRACTOR_CODE, 520, 620, w=360),
            box("第三条 合同期限：自2019年04月01日起至2021年03月31日止。", 170, 760, w=1200),
            box("签订日期：2019年03月20日", 650, 1900),
        ],
        size=(1654, 2339),
    )
    got = fields("project_contract", doc)
    assert got["party.client"] == "太原重型机械装备集团有限公司"
    assert got["party.contractor"] == "山西龙城数控机床有限公司"
    assert got["uscc.client"] == CLIENT_CODE
    assert got["uscc.contractor"] == CONTRACTOR_CODE
    assert got["date"] == dt.date(2019, 3, 20)
    assert got["end"] == dt.date(2021, 3, 31)


def test_code_on_the_party_row_goes_to_that_party():
    doc = document(
        [
            box("技术开发合同", 600, 200, h=76),
            box("甲方：山西晋安重工装备有限公司", 170, 400),
            box("信用代码：" + CLIENT_CODE, 1000, 400, w=560),
            box("乙方：太原理工大学", 170, 480),
        ],
        size=(1654, 2339),
    )
    got = fields("project_contract", doc)
    assert got["party.client"] == "山西晋安重工装备有限公司"
    assert got["uscc.client"] == CLIENT_CODE
    assert "uscc.contractor" not in got


def test_word_lease_in_a_table_with_its_term_row():
    doc = word_table(
        [
            ["出租人", "南宁高新区建设投资有限公司"],
            ["承租人", "广西智造云服务科技有限公司"],
            ["统一社会信用代码", CONTRACTOR_CODE],
            ["租赁期限", "2020.01.01-2022.12.31"],
        ],
        paragraphs=["房屋租赁协议", "首期租金支付期间为2020年1月1日至2020年3月31日。"],
    )
    got = fields("premises_proof", doc)
    assert got["party.lessor"] == "南宁高新区建设投资有限公司"
    assert got["party.lessee"] == "广西智造云服务科技有限公司"
    assert got["uscc.lessee"] == CONTRACTOR_CODE
    # the term comes from its own row, not from the first range in the text
    assert (got["start"], got["end"]) == (dt.date(2020, 1, 1), dt.date(2022, 12, 31))


def test_lease_with_only_jia_yi_labels():
    doc = text_document(
        [
            "房屋租赁合同",
            "甲方：大同市高新区建设投资有限公司",
            "乙方：大同数联科技有限公司",
            "租期：自2019年1月1日起至2020年12月31日止。",
        ]
    )
    got = fields("premises_proof", doc)
    assert got["party.lessor"] == "大同市高新区建设投资有限公司"
    assert got["party.lessee"] == "大同数联科技有限公司"
    assert got["end"] == dt.date(2020, 12, 31)


def test_property_certificate_names_its_owner_and_has_no_term():
    doc = text_document(
        ["不动产权证书", "权利人：山西华晟供应链管理有限公司", "共有情况：单独所有", "坐落：太原市小店区"]
    )
    got = fields("premises_proof", doc)
    assert got["party.owner"] == "山西华晟供应链管理有限公司"
    assert "end" not in got


def test_running_text_names_no_role():
    """甲方/乙方 inside sentences are not labels: no role is read from them."""
    doc = text_document(
        [
            "项目建设合同",
            "根据双方协议，甲方委托乙方建设智能工厂，甲方为太原重型机械装备集团有限公司。",
            "乙方应于2021年3月31日前完成建设。",
        ]
    )
    got = fields("project_contract", doc)
    assert not any(key.startswith("party.") for key in got)


def test_customer_evaluation_table_layout():
    doc = word_table(
        [
            ["客户名称", "柳州五菱零部件有限公司"],
            ["被评价单位", "广西智造云服务科技有限公司"],
            ["评价意见", "服务及时，评价为优秀。"],
        ],
        paragraphs=["用户评价表"],
    )
    got = fields("customer_evaluation", doc)
    assert got["party.customer"] == "柳州五菱零部件有限公司"
    assert got["party.provider"] == "广西智造云服务科技有限公司"


def test_tech_evaluation_holder_and_issuer():
    doc = document(
        [
            box("科学技术成果评价证书", 500, 200, h=76),
            box("成果名称：", 170, 400),
            box("远程运维服务系统", 400, 400),
            box("完成单位：", 170, 470),
            box("山西晋安重工装备有限公司", 400, 470),
            box("评价机构（盖章）：山西省生产力促进中心", 650, 1700, w=700),
        ],
        size=(1654, 2339),
    )
    got = fields("tech_evaluation_certificate", doc)
    assert got["party.holder"] == "山西晋安重工装备有限公司"
    assert got["party.issuer"] == "山西省生产力促进中心"


def test_evidence_box_covers_label_and_value():
    doc = document(
        [box("房屋租赁合同", 600, 200, h=76), box("承租方：", 170, 400), box("大同数联科技有限公司", 330, 400)],
        size=(1654, 2339),
    )
    ex = ATTACHMENT_EXTRACTORS["premises_proof"].extract(doc, [1]).fields["party.lessee"]
    assert ex.evidence and ex.evidence[0].page == 1
    assert ex.evidence[0].bbox == BBox(x0=170, y0=400, x1=330 + 36 * len("大同数联科技有限公司"), y1=440)


def test_blank_party_value_gives_no_role():
    doc = text_document(["客户评价意见", "服务质量良好。", "评价单位（盖章）：", "日期：2021年4月15日"])
    got = fields("customer_evaluation", doc)
    assert "party.customer" not in got


@pytest.mark.parametrize(
    ("client_line", "contractor_line"),
    [
        ("甲 方：太原重型机械装备集团有限公司", "乙 方：山西龙城数控机床有限公司"),  # letter-spaced labels
        ("甲方(委托方)：太原重型机械装备集团有限公司", "乙方(承建方)：山西龙城数控机床有限公司"),
        ("发包方：太原重型机械装备集团有限公司（以下简称甲方）", "承包方：山西龙城数控机床有限公司（以下简称乙方）"),
        ("委托方（甲方）: 太原重型机械装备集团有限公司", "受托方（乙方）: 山西龙城数控机床有限公司"),
    ],
)
def test_contract_label_variants(client_line: str, contractor_line: str) -> None:
    doc = text_document(["技术服务合同", client_line, contractor_line, "签订日期：2019年3月20日"])
    got = fields("project_contract", doc)
    assert got["party.client"] == "太原重型机械装备集团有限公司"
    assert got["party.contractor"] == "山西龙城数控机床有限公司"
