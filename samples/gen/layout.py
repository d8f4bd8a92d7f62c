"""The printed forms 表1–表4 as ruled grids with merged cells, shared by the Word and PDF
writers, rebuilt from the Shanxi notice (rows are lines, cells tabs; merges restored as a
Word form has them). Value cells carry the canonical key they hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

YEARS = ("2018", "2019", "2020")


@dataclass
class GridCell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    key: str | None = None  # canonical key when this cell holds a value
    header: bool = False  # a section heading (一、企业基本情况) or column head
    align: str = "center"


@dataclass
class Grid:
    """One Word table: relative column widths and cells placed on an n_rows × n_cols grid."""

    widths: list[float]
    cells: list[GridCell] = field(default_factory=list)
    tall_rows: dict[int, float] = field(default_factory=dict)  # row → min height (cm)

    @property
    def n_cols(self) -> int:
        return len(self.widths)

    @property
    def n_rows(self) -> int:
        return max(c.row + c.rowspan for c in self.cells)


class _Builder:
    def __init__(self, widths: list[float], values: dict[str, str]) -> None:
        self.grid = Grid(widths)
        self.values = values
        self.row = 0

    def label(self, col: int, text: str, span: int = 1, rowspan: int = 1, header: bool = False) -> None:
        self.grid.cells.append(GridCell(self.row, col, text, rowspan, span, header=header))

    def value(self, col: int, key: str, span: int = 1, rowspan: int = 1) -> None:
        self.grid.cells.append(
            GridCell(
                self.row, col, self.values.get(key, ""), rowspan, span, key=key, align="left" if span > 1 else "center"
            )
        )

    def section(self, text: str) -> None:
        self.grid.cells.append(GridCell(self.row, 0, text, 1, self.grid.n_cols, header=True, align="left"))
        self.next()

    def pairs(self, *items: tuple[str, str, int]) -> None:
        """label, key, value span … left to right on one row."""
        col = 0
        for text, key, span in items:
            self.label(col, text)
            self.value(col + 1, key, span)
            col += 1 + span
        self.next()

    def next(self) -> None:
        self.row += 1


def enterprise_grid(v: dict[str, str]) -> Grid:
    """表1 服务型制造示范培育企业申报表 (6 columns)."""
    b = _Builder([2.4, 2.2, 2.6, 2.4, 2.2, 2.6], v)
    b.section("一、企业基本情况")
    b.pairs(("企业名称", "name", 5))
    b.pairs(("企业性质", "nature", 2), ("法人代表", "legal_rep", 2))
    b.pairs(("注册地址", "reg_address", 2), ("主营业务", "main_business", 2))
    b.pairs(("通信地址", "mail_address", 2), ("邮政编码", "postcode", 2))
    b.pairs(("联系人", "contact", 1), ("职 务", "title", 1), ("联系电话", "phone", 1))
    b.pairs(("手 机", "mobile", 1), ("电子邮箱", "email", 1), ("传 真", "fax", 1))
    b.label(0, "从业人员", rowspan=2)
    b.label(1, "员工总数")
    b.label(2, "研发和设计人员比例")
    b.label(3, "中高级职业资格人员比例")
    b.label(4, "本科以上学历人员比例", span=2)
    b.next()
    b.value(1, "staff_total")
    b.value(2, "rd_staff_ratio")
    b.value(3, "senior_staff_ratio")
    b.value(4, "bachelor_ratio", span=2)
    b.next()
    b.section("二、经营管理状况")
    rows = [
        ("资产总额（万元）", "total_assets"),
        ("资产负债率（%）", "debt_ratio"),
        ("营业收入（万元）", "revenue"),
        ("其中，服务收入（万元）", "service_revenue"),
        ("税金总额（万元）", "taxes"),
        ("利润总额（万元）", "total_profit"),
        ("净利润增长率（%）", "net_profit_growth"),
        ("研发设计投入比例（%）", "rd_ratio"),
    ]
    b.label(0, "", rowspan=len(rows) + 1)
    b.label(1, "经营指标", span=2)
    for i, year in enumerate(YEARS):
        b.label(3 + i, f"{year}年")
    b.next()
    for text, key in rows:
        b.label(1, text, span=2)
        for i, year in enumerate(YEARS):
            b.value(3 + i, f"financials.{year}.{key}")
        b.next()
    b.label(0, "企业累计获得专利（项）", rowspan=3)
    for text, key in (("发 明", "invention"), ("实用新型", "utility_model"), ("外观设计", "design")):
        b.label(1, text, span=2)
        b.value(3, f"patents.{key}", span=3)
        b.next()
    b.section("三、主要申报内容")
    b.value(0, "content", span=6)
    b.grid.tall_rows[b.row] = 3.0
    return b.grid


def project_grid(v: dict[str, str]) -> Grid:
    """表2 服务型制造示范培育项目申报表 (5 columns)."""
    b = _Builder([3.2, 3.0, 3.0, 2.6, 2.6], v)
    b.section("一、项目基本情况")
    b.pairs(("项目名称", "name", 4))
    b.pairs(("委托单位（甲方）", "client", 1), ("实施单位（乙方）", "contractor", 2))
    b.pairs(("所在行业", "industry", 1), ("投资额度（万元）", "investment", 2))
    b.label(0, "项目实施年限")
    b.grid.cells.append(GridCell(b.row, 1, v.get("years_text", ""), 1, 4, key="years", align="left"))
    b.next()
    b.section("二、项目委托单位或实施单位情况")
    b.pairs(("企业性质", "nature", 1), ("主营业务", "main_business", 2))
    b.pairs(("注册地址", "reg_address", 1), ("法人代表", "legal_rep", 2))
    b.pairs(("联系人", "contact", 1), ("职 务", "title", 2))
    b.pairs(("联系电话", "phone", 1), ("传 真", "fax", 2))
    b.label(0, "从业人员", rowspan=2)
    for i, text in enumerate(
        ("员工总数（人）", "研发和设计人员比例（%）", "中高级职业资格人员比例（%）", "本科以上学历人员比例（%）")
    ):
        b.label(1 + i, text)
    b.next()
    for i, key in enumerate(("staff_total", "rd_staff_ratio", "senior_staff_ratio", "bachelor_ratio")):
        b.value(1 + i, key)
    b.next()
    b.label(0, "2020年度生产经营状况", rowspan=3)
    for left, lkey, right, rkey in (
        ("资产总额（万元）", "total_assets", "资产负债率（%）", "debt_ratio"),
        ("营业收入（万元）", "revenue", "利润总额（万元）", "total_profit"),
        ("净利润增长率（%）", "net_profit_growth", "研发设计投入占收入比（%）", "rd_ratio"),
    ):
        b.label(1, left)
        b.value(2, f"financials.2020.{lkey}")
        b.label(3, right)
        b.value(4, f"financials.2020.{rkey}")
        b.next()
    b.label(0, "本项目获得或已被受理专利情况", rowspan=3)
    b.label(1, "总数（项）", rowspan=2)
    b.label(2, "其中", span=3)
    b.next()
    for i, text in enumerate(("发明专利（项）", "实用新型（项）", "外观设计（项）")):
        b.label(2 + i, text)
    b.next()
    for i, key in enumerate(("total", "invention", "utility_model", "design")):
        b.value(1 + i, f"patents.{key}")
    b.next()
    b.section("三、主要申报内容")
    b.value(0, "content", span=5)
    b.grid.tall_rows[b.row] = 3.0
    return b.grid


def platform_grid(v: dict[str, str]) -> Grid:
    """表3 服务型制造示范平台（培育）申报表 (6 columns), without the customer list."""
    b = _Builder([2.6, 2.4, 2.0, 2.2, 2.4, 2.6], v)
    b.section("一、平台基本情况")
    b.pairs(("平台名称", "name", 3), ("网 址", "website", 1))
    b.pairs(("运营主体", "operator", 3), ("平台性质", "nature", 1))
    b.pairs(("注册地址", "reg_address", 3), ("主营业务", "main_business", 1))
    b.pairs(("法人代表", "legal_rep", 1), ("联系人", "contact", 1), ("职 务", "title", 1))
    b.pairs(("联系电话", "phone", 1), ("传 真", "fax", 1), ("电子邮箱", "email", 1))
    cap = v.get("registered_capital", "")
    b.grid.cells.append(GridCell(b.row, 0, f"注册资本 {cap or '_____'} 万元", 4, 1, key="registered_capital"))
    b.label(1, "主要投资方名称", span=3)
    b.label(4, "性质")
    b.label(5, "投资比例(%)")
    b.next()
    for i in range(3):
        b.value(1, f"investors.{i}.name", span=3)
        b.value(4, f"investors.{i}.nature")
        b.value(5, f"investors.{i}.ratio")
        b.next()
    b.section("二、申报类型")
    prof = "☑" if v.get("platform_type") == "professional" else "□"
    reg = "☑" if v.get("platform_type") == "regional" else "□"
    b.grid.cells.append(GridCell(b.row, 0, f"{prof} 面向行业的专业服务平台", 1, 3, key="platform_type"))
    b.grid.cells.append(GridCell(b.row, 3, f"{reg} 面向区域的综合服务平台", 1, 3))
    b.next()
    b.section("三、平台绩效")
    b.pairs(
        ("上年末总资产（万元）", "total_assets_last_year", 1),
        ("服务场地面积（平方米）", "service_area", 1),
        ("从业人数（人）", "staff_total", 1),
    )
    b.pairs(
        ("研发和设计人员比例(%)", "rd_staff_ratio", 1),
        ("中高级职业资格人员比例(%)", "senior_staff_ratio", 1),
        ("本科以上学历人员比例(%)", "bachelor_ratio", 1),
    )
    b.label(0, "经营指标", span=2)
    b.label(2, "2018年")
    b.label(3, "2019年", span=2)
    b.label(5, "2020年")
    b.next()
    for text, key in (
        ("营业收入（万元）", "revenue"),
        ("其中：服务收入（万元）", "service_revenue"),
        ("资产总额（万元）", "total_assets"),
        ("利润总额（万元）", "total_profit"),
        ("上缴税金（万元）", "taxes"),
        ("服务企业户数（个）", "served_companies"),
    ):
        b.label(0, text, span=2)
        b.value(2, f"financials.2018.{key}")
        b.value(3, f"financials.2019.{key}", span=2)
        b.value(5, f"financials.2020.{key}")
        b.next()
    return b.grid


def customers_grid(v: dict[str, str]) -> Grid:
    """表3's second table: 服务典型企业名单."""
    b = _Builder([1.2, 4.6, 1.8, 2.8, 4.2], v)
    for i, text in enumerate(("序号", "服务企业名称", "联系人", "联系电话", "服务内容简述")):
        b.label(i, text)
    b.next()
    for i in range(5):
        b.label(0, str(i + 1))
        for j, key in enumerate(("name", "contact", "phone", "summary")):
            b.value(1 + j, f"customers.{i}.{key}")
        b.next()
    return b.grid


def city_grid(v: dict[str, str]) -> Grid:
    """表4 服务型制造示范城市（培育）申报表 (4 columns)."""
    b = _Builder([4.6, 3.4, 3.6, 3.4], v)
    b.section("一、城市基本情况")
    b.pairs(("城市名称", "name", 3))
    b.pairs(("GDP（2020年，下同）", "gdp", 1), ("同比增速（%，下同）", "gdp_growth", 1))
    b.pairs(("制造业增加值", "manufacturing_value_added", 1), ("同比增速", "manufacturing_value_added_growth", 1))
    b.pairs(
        ("生产性服务业增加值", "producer_services_value_added", 1),
        ("同比增速", "producer_services_value_added_growth", 1),
    )
    b.pairs(("规模以上工业企业主营业务收入", "industrial_revenue", 1), ("同比增速", "industrial_revenue_growth", 1))
    b.section("二、城市服务型制造发展指标")
    for text, key in (
        (
            "1、落实《发展服务型制造专项行动指南》，发布本地推动服务型制造发展的政策文件。（请填写名称及主要内容）",
            "policy_documents",
        ),
        (
            "2、开展服务型制造示范遴选的工作情况。（请填写遴选批次、遴选类型和数量、专项资金支持的情况）",
            "selection_work",
        ),
        ("3、开展服务型制造政策宣贯和经验推广的工作情况。（请填写批次、内容和主要效果）", "promotion_work"),
    ):
        b.grid.cells.append(GridCell(b.row, 0, text, 1, 4, align="left"))
        b.next()
        b.value(0, key, span=4)
        b.grid.tall_rows[b.row] = 2.0
        b.next()
    return b.grid


FORM_HEADINGS = {
    "enterprise": ("表1", "服务型制造示范培育企业申报表"),
    "project": ("表2", "服务型制造示范培育项目申报表"),
    "platform": ("表3", "服务型制造示范平台（培育）申报表"),
    "city": ("表4", "服务型制造示范城市（培育）申报表"),
}
BODY_TITLES = {
    "enterprise": "服务型制造示范培育企业申报书正文",
    "project": "服务型制造示范培育项目申报书正文",
    "platform": "服务型制造示范平台（培育）申报书正文",
    "city": "服务型制造示范城市（培育）申报书正文",
}
KIND_LABELS = {"enterprise": "示范企业", "project": "示范项目", "platform": "示范平台", "city": "示范城市"}


def form_grids(kind: str, values: dict[str, str]) -> list[Grid]:
    """The table(s) of one kind's form, in order."""
    if kind == "enterprise":
        return [enterprise_grid(values)]
    if kind == "project":
        return [project_grid(values)]
    if kind == "platform":
        return [platform_grid(values), customers_grid(values)]
    return [city_grid(values)]


def kind_checkboxes(kind: str) -> list[str]:
    """The cover's 申报类型 line as two rows of ☑/□ boxes."""
    marks = {k: ("☑" if k == kind else "□") + label for k, label in KIND_LABELS.items()}
    return [f"{marks['enterprise']}    {marks['project']}", f"{marks['platform']}    {marks['city']}"]
