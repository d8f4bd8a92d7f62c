"""A selection round (SPEC §7): everything rules need to know, read from a TOML file.

Strict: every table forbids unknown keys, so a misspelt key is an error naming it. Each rule
of the round has a ``[rules.CODE]`` table: the notice's words it enforces (``basis``, shown as
依据), an optional ``severity``/``fatal`` override, ``enabled``, and the rule's parameters
(required fields, keyword lists, thresholds, region lists). A rule without parameters needs
no schema change: any ``[rules.CODE]`` with the common keys is accepted.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from models.errors import ConfigError
from models.findings import Severity
from models.forms import FormType
from models.records import DocKind, SealRole


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ModeThreshold(_Strict):
    """The service share a 示范模式 (direction) asks for; no ``threshold``: none (供应链管理)."""

    mode: str  # as the notice names it
    keywords: list[str] = []  # words that show the mode was declared (default: the mode)
    threshold: float | None = Field(default=None, ge=0, le=100)
    strict: bool = False  # True: "30%以上" (error); False: "30%左右" (warning)
    wording: str = ""  # the notice's words


class ServiceShare(_Strict):
    """Service revenue as a share of 营业收入 in the latest year, in percent. ``modes``: a
    threshold per declared direction; the general threshold applies when none is declared."""

    threshold: float = Field(ge=0, le=100)
    strict: bool  # True: "30%以上" (error); False: "30%左右" (warning)
    kinds: list[FormType] = ["enterprise"]
    wording: str = ""
    modes: list[ModeThreshold] = []


class AttachmentRule(_Strict):
    kind: DocKind
    label: str  # as the notice words it, for the workbook
    required: bool = True  # False: "（如有）"
    satisfied_by: list[DocKind] = []  # other kinds that count, e.g. a 事业单位法人证书


class SealRule(_Strict):
    role: SealRole
    kinds: list[FormType]
    label: str


class FormatRule(_Strict):
    body_font: str = "仿宋"
    body_size_pt: float = 12.0  # 小四号
    line_spacing: float = 1.0
    heading1_font: str = "黑体"
    heading2_font: str = "楷体"
    heading_size_pt: float = 12.0


class SubQuota(_Strict):
    """A platform category's quota: ``base`` per recommender, up to ``conditional`` where the
    notice allows more for recommenders that qualify (有条件的), a band a reviewer judges."""

    label: str  # 共享制造类平台
    base: int = Field(ge=0)
    conditional: int | None = Field(default=None, ge=0)
    keywords: list[str] = []  # words in the 汇总表 mode column or the form that show the category

    @model_validator(mode="after")
    def _band(self) -> SubQuota:
        if self.conditional is not None and self.conditional < self.base:
            raise ValueError("conditional must not be below base")
        return self


class RuleConfig(_Strict):
    """One ``[rules.CODE]`` table: what the notice says and how the rule's findings count."""

    basis: str = ""  # the notice's words the rule enforces (依据)
    severity: Severity | None = None  # replaces the rule's declared severity
    fatal: bool | None = None  # whether its error makes the submission 不符合
    enabled: bool = True


class RequiredFields(_Strict):
    errors: list[str] = []  # canonical keys; "a|b": one of them; "investors": at least one row
    warnings: list[str] = []


class YearFields(_Strict):
    fields: list[str]
    years: Literal["all", "latest"] = "all"  # every financial year, or the form's single block


class FormFieldsConfig(RuleConfig):
    """``[rules.FORM_FIELD_MISSING]``: the fields each form prints, by severity when blank."""

    required: dict[FormType, RequiredFields] = {}
    per_year: dict[FormType, YearFields] = {}


class LegalPersonConfig(RuleConfig):
    """``[rules.LEGAL_PERSON_INELIGIBLE]``: licence 类型 words of entities that are no
    independent legal person, and name endings that suggest a branch."""

    kinds: list[FormType] = ["enterprise", "project", "platform"]
    ineligible_types: list[str] = []
    branch_name_endings: list[str] = []


class AccidentConfig(RuleConfig):
    """``[rules.ACCIDENT_COMMITMENT]``: the accident condition (dated by ``accident_cutoff``)
    can only be shown by the applicant's signed and sealed 真实性承诺."""

    kinds: list[FormType] = ["enterprise", "project", "platform"]
    condition: str = ""  # the condition as the notice states it, for the reviewer item


class CityConfig(RuleConfig):
    """``[rules.CITY_NOT_ELIGIBLE]``: the cities that may apply (地级市 / 设区市) and the city
    categories the notice defines."""

    level: str = "地级市"
    cities: list[str] = []
    categories: list[str] = []


class FinancialConfig(RuleConfig):
    """``[rules.FINANCIAL_RISK]``: 运营和财务状况良好, as warnings for the reviewer."""

    kinds: list[FormType] = ["enterprise", "platform"]
    debt_ratio_max: float = Field(default=100, ge=0)
    loss_years: int = Field(default=3, ge=1)  # losses (利润总额 < 0) in this many latest years
    decline_years: int = Field(default=3, ge=2)  # revenue falling over this many latest years


class SharedContentConfig(RuleConfig):
    """``[rules.NOT_SHARED_MANUFACTURING]``: projects must be 共享制造 projects; words whose
    presence in the project form, the body or the 汇总表's mode shows shared-manufacturing
    content."""

    kinds: list[FormType] = ["project"]
    keywords: list[str] = []


class Rules(BaseModel):
    """``[rules.*]``: rules with parameters have their own table type; any other code takes
    the common keys (``RuleConfig``)."""

    model_config = ConfigDict(frozen=True, extra="allow")
    __pydantic_extra__: dict[str, RuleConfig] = Field(init=False)  # type: ignore[assignment]

    FORM_FIELD_MISSING: FormFieldsConfig = FormFieldsConfig()
    LEGAL_PERSON_INELIGIBLE: LegalPersonConfig = LegalPersonConfig()
    ACCIDENT_COMMITMENT: AccidentConfig = AccidentConfig()
    CITY_NOT_ELIGIBLE: CityConfig = CityConfig()
    FINANCIAL_RISK: FinancialConfig = FinancialConfig()
    NOT_SHARED_MANUFACTURING: SharedContentConfig = SharedContentConfig()

    @model_validator(mode="after")
    def _codes(self) -> Rules:
        for code in self.__pydantic_extra__ or {}:
            if not re.fullmatch(r"[A-Z][A-Z0-9_]*", code):
                raise ValueError(f"rules.{code}: a rule is named by its finding code (UPPER_SNAKE_CASE)")
        return self

    def get(self, code: str) -> RuleConfig | None:
        """The table of ``code``, or None when the round has none."""
        if code in type(self).model_fields:
            return getattr(self, code) if code in self.model_fields_set else None
        return (self.__pydantic_extra__ or {}).get(code)

    def codes(self) -> list[str]:
        """Codes with a table in the round's file: those with parameters first, then the others
        in file order."""
        typed = [c for c in type(self).model_fields if c in self.model_fields_set]
        return typed + list(self.__pydantic_extra__ or {})


class Campaign(_Strict):
    id: str
    title: str
    issuer: str
    notice_date: dt.date | None = None
    province: str | None = None  # None: a national round, no region check
    region_code: str | None = Field(default=None, pattern=r"^\d{2}$")
    deadline: dt.date
    accident_cutoff: dt.date | None = None
    kinds: list[FormType]
    financial_years: list[int]
    platform_min_years: float = 2
    cert_validity_years: int = 3
    service_share: ServiceShare
    quotas: dict[FormType, int] = {}
    platform_subquotas: dict[Literal["shared_manufacturing", "other"], SubQuota] = {}
    attachments: dict[FormType, list[AttachmentRule]] = {}
    sections: dict[FormType, list[str]] = {}
    seals: list[SealRule] = []
    format: FormatRule | None = None
    low_confidence: float = Field(default=0.80, ge=0, le=1)
    summary_title: str = ""  # the 汇总表's title as the notice prints it
    rules: Rules = Rules()
    source: str | None = None  # where the config was read from

    def rule(self, code: str) -> RuleConfig:
        """The round's ``[rules.CODE]`` table, or the defaults when it has none."""
        return self.rules.get(code) or RuleConfig()

    def basis(self, code: str) -> str | None:
        """The notice's words behind ``code`` in this round, or None."""
        found = self.rules.get(code)
        return found.basis if found is not None and found.basis else None

    @model_validator(mode="after")
    def _consistent(self) -> Campaign:
        if (self.province is None) != (self.region_code is None):
            raise ValueError("province and region_code must both be set, or both be absent")
        for kind in self.quotas:
            if kind not in self.kinds:
                raise ValueError(f"quotas.{kind}: kind not accepted by this round")
        return self


class CampaignError(ConfigError):
    """A round config that cannot be used; the message names the file and the key."""


BUILTIN_DIR = Path(__file__).resolve().parent.parent / "intake" / "campaigns"


def builtin_campaigns() -> dict[str, Path]:
    return {p.stem: p for p in sorted(BUILTIN_DIR.glob("*.toml"))}


def load_campaign(name_or_path: str | Path) -> Campaign:
    """Load a shipped round by name (``shanxi-2021``) or a user's TOML file by path."""
    builtins = builtin_campaigns()
    path = builtins.get(str(name_or_path)) or Path(name_or_path)
    if not path.is_file():
        known = "、".join(builtins) or "（无）"
        raise CampaignError(f"找不到申报批次配置“{name_or_path}”。内置批次：{known}；或给出 .toml 文件路径。")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CampaignError(f"批次配置 {path} 不是有效的 TOML：{exc}") from exc
    data.setdefault("source", str(path))
    try:
        return Campaign.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"]) or "(顶层)"
            problems.append(f"  {key}: {err['msg']}")
        raise CampaignError(f"批次配置 {path} 有误：\n" + "\n".join(problems)) from exc


def campaign_summary(campaign: Campaign) -> str:
    region = campaign.province or "全国"
    return f"{campaign.id}\t{campaign.title}\t截止 {campaign.deadline}\t{region}"
