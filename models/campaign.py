"""A selection round (SPEC §7): everything rules need to know, read from a TOML file."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from models.errors import ConfigError
from models.forms import FormType
from models.records import DocKind, SealRole


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ServiceShare(_Strict):
    """Service revenue as a share of 营业收入 in the latest year, in percent."""

    threshold: float = Field(ge=0, le=100)
    strict: bool  # True: "30%以上" (error); False: "30%左右" (warning)
    kinds: list[FormType] = ["enterprise"]
    wording: str = ""


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
    platform_subquotas: dict[Literal["shared_manufacturing", "other"], int] = {}
    attachments: dict[FormType, list[AttachmentRule]] = {}
    sections: dict[FormType, list[str]] = {}
    seals: list[SealRule] = []
    format: FormatRule | None = None
    low_confidence: float = Field(default=0.80, ge=0, le=1)
    source: str | None = None  # where the config was read from

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
