"""The four application forms (表1–表4) as plain values under the canonical keys (SPEC §4).

Extractors produce a flat ``FieldMap`` of dotted keys; ``form_from_fields`` nests it into
these models. Amounts are in 万元, ratios in percent, dates ISO. Years are string keys
("2020") so that the JSON form and the model agree.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from models.fields import FieldMap

FormType = Literal["enterprise", "project", "platform", "city"]
FORM_TYPES: tuple[FormType, ...] = ("enterprise", "project", "platform", "city")
FORM_TITLES: dict[FormType, str] = {
    "enterprise": "表1 示范企业申报表",
    "project": "表2 示范项目申报表",
    "platform": "表3 示范平台申报表",
    "city": "表4 示范城市申报表",
}

Num = float | None
Text = str | None


class _Plain(BaseModel):
    model_config = ConfigDict(extra="forbid")


class YearFinancials(_Plain):
    total_assets: Num = None  # 资产总额（万元）
    debt_ratio: Num = None  # 资产负债率（%）
    revenue: Num = None  # 营业收入（万元）
    service_revenue: Num = None  # 其中：服务收入（万元）
    taxes: Num = None  # 税金总额 / 上缴税金（万元）
    total_profit: Num = None  # 利润总额（万元）
    net_profit_growth: Num = None  # 净利润增长率（%），may be negative or > 100
    rd_ratio: Num = None  # 研发设计投入比例（%）
    served_companies: Num = None  # 服务企业户数（个），表3 only


class Patents(_Plain):
    total: Num = None
    invention: Num = None
    utility_model: Num = None
    design: Num = None


class StaffFields(_Plain):
    staff_total: Num = None  # 员工总数 / 从业人数
    rd_staff_ratio: Num = None  # 研发和设计人员比例（%）
    senior_staff_ratio: Num = None  # 中高级职业资格人员比例（%）
    bachelor_ratio: Num = None  # 本科以上学历人员比例（%）


class ContactFields(_Plain):
    legal_rep: Text = None
    reg_address: Text = None
    main_business: Text = None
    contact: Text = None
    title: Text = None
    phone: Text = None
    mobile: Text = None
    email: Text = None
    fax: Text = None


class EnterpriseForm(ContactFields, StaffFields):
    form_type: Literal["enterprise"] = "enterprise"
    name: Text = None
    nature: Text = None
    mail_address: Text = None
    postcode: Text = None
    financials: dict[str, YearFinancials] = {}
    patents: Patents = Patents()
    content: Text = None  # 三、主要申报内容


class ProjectForm(ContactFields, StaffFields):
    form_type: Literal["project"] = "project"
    name: Text = None  # 项目名称
    client: Text = None  # 委托单位（甲方）
    contractor: Text = None  # 实施单位（乙方）
    industry: Text = None  # 所在行业
    investment: Num = None  # 投资额度（万元）
    start_year: Num = None  # 项目实施年限 X 年至 Y 年
    end_year: Num = None
    nature: Text = None
    financials: dict[str, YearFinancials] = {}
    patents: Patents = Patents()
    content: Text = None


class Investor(_Plain):
    name: Text = None
    nature: Text = None
    ratio: Num = None  # 投资比例（%）


class Customer(_Plain):
    name: Text = None
    contact: Text = None
    phone: Text = None
    summary: Text = None


class PlatformForm(ContactFields, StaffFields):
    form_type: Literal["platform"] = "platform"
    name: Text = None  # 平台名称
    website: Text = None  # 网址
    operator: Text = None  # 运营主体
    nature: Text = None  # 平台性质
    registered_capital: Num = None  # 注册资本（万元）
    investors: list[Investor] = []
    platform_type: Literal["professional", "regional"] | None = None  # 申报类型 checkbox
    total_assets_last_year: Num = None  # 上年末总资产（万元）
    service_area: Num = None  # 服务场地面积（平方米）
    financials: dict[str, YearFinancials] = {}
    customers: list[Customer] = []  # 服务典型企业名单


class CityForm(_Plain):
    form_type: Literal["city"] = "city"
    name: Text = None  # 城市名称
    gdp: Num = None
    gdp_growth: Num = None
    manufacturing_value_added: Num = None
    manufacturing_value_added_growth: Num = None
    producer_services_value_added: Num = None
    producer_services_value_added_growth: Num = None
    industrial_revenue: Num = None  # 规模以上工业企业主营业务收入
    industrial_revenue_growth: Num = None
    policy_documents: Text = None  # 发展指标 1
    selection_work: Text = None  # 发展指标 2
    promotion_work: Text = None  # 发展指标 3
    contact: Text = None
    phone: Text = None
    email: Text = None


AnyForm = Annotated[EnterpriseForm | ProjectForm | PlatformForm | CityForm, Field(discriminator="form_type")]
FORM_MODELS: dict[FormType, type[BaseModel]] = {
    "enterprise": EnterpriseForm,
    "project": ProjectForm,
    "platform": PlatformForm,
    "city": CityForm,
}


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in flat.items():
        parts = key.split(".")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                break
        else:
            node[parts[-1]] = value
    return out


def _listify(node: Any) -> Any:
    """Turn dicts keyed "0", "1", … (from ``investors.0.name``) into lists."""
    if isinstance(node, dict):
        node = {k: _listify(v) for k, v in node.items()}
        if node and all(k.isdigit() and len(k) < 3 for k in node):
            return [node[k] for k in sorted(node, key=int)]
    return node


def form_from_fields(form_type: FormType, fields: FieldMap) -> BaseModel:
    """Nest a flat field map into the typed form, dropping keys the form does not have."""
    model = FORM_MODELS[form_type]
    nested = _listify(_nest({k: v.value for k, v in fields.items()}))
    nested = {k: v for k, v in nested.items() if k in model.model_fields and k != "form_type"}
    if "financials" in nested and isinstance(nested["financials"], list):
        nested.pop("financials")  # years must be keys like "2020"
    for key in ("investors", "customers"):
        if key in nested and isinstance(nested[key], list):
            nested[key] = [item for item in nested[key] if isinstance(item, dict)]
    try:
        return model.model_validate(nested)
    except ValueError:
        # A value of the wrong type must not lose the whole form: keep what validates.
        safe: dict[str, Any] = {}
        for key, value in nested.items():
            try:
                model.model_validate({key: value})
                safe[key] = value
            except ValueError:
                continue
        return model.model_validate(safe)
