"""Findings: one thing a reviewer must look at (SPEC §5)."""

from __future__ import annotations

import hashlib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, computed_field, model_validator

from models.fields import Evidence

Severity = Literal["error", "warning", "info"]
SEVERITY_LABELS: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}

FINDING_CODES: dict[str, str] = {
    "FILE_UNREADABLE": "文件无法读取",
    "FILE_NOT_PROCESSED": "文件类型未处理",
    "FORM_NOT_FOUND": "未找到申报表",
    "FORM_FIELD_MISSING": "申报表必填项缺失",
    "VALUE_NOT_NUMERIC": "数值无法识别",
    "PERCENT_OUT_OF_RANGE": "百分比超出范围",
    "TOTAL_MISMATCH": "合计与分项不符",
    "SERVICE_REVENUE_EXCEEDS_TOTAL": "服务收入大于营业收入",
    "SERVICE_SHARE_BELOW_THRESHOLD": "服务收入占比低于要求",
    "SECTION_MISSING": "申报书正文缺少章节",
    "ATTACHMENT_MISSING": "缺少附件",
    "NAME_MISMATCH": "名称不一致",
    "LEGAL_REP_MISMATCH": "法定代表人不一致",
    "ADDRESS_MISMATCH": "注册地址不一致",
    "USCC_INVALID": "统一社会信用代码无效",
    "REGISTERED_OUTSIDE_REGION": "注册地不在本省",
    "LICENSE_EXPIRED": "营业执照已过期",
    "CERT_EXPIRED": "证书已过期",
    "PLATFORM_TOO_YOUNG": "平台运营年限不足",
    "SEAL_MISSING": "缺少印章",
    "LOW_CONFIDENCE": "识别置信度低",
    "QUOTA_EXCEEDED": "超出推荐名额",
    "SUMMARY_MISMATCH": "汇总表与申报材料不符",
    "DUPLICATE_SUBMISSION": "重复申报",
    "FORMAT_DEVIATION": "格式不符合要求",
    "RULE_FAILED": "检查规则运行出错",
}

Scalar = str | float | int | bool | None


class Finding(BaseModel):
    """A rule's result. ``id`` is stable across runs for the same submission, code, field
    and source, so reviewer notes can follow the finding from one run to the next."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    severity: Severity
    message: str
    submission_id: str | None = None
    field: str | None = None
    form_value: Scalar = None
    found_value: Scalar = None
    evidence: list[Evidence] = []
    source: str | None = None  # what the value was compared with: a file, a document kind
    basis: str | None = None  # the notice's words the rule enforces (shown as 依据)
    dismissed: bool = False  # a reviewer marked this finding 误报 in an earlier run

    @model_validator(mode="before")
    @classmethod
    def _drop_computed_id(cls, data: Any) -> Any:
        """``id`` is derived, never stored: accept JSON written by ``model_dump``."""
        if isinstance(data, dict) and "id" in data:
            data = {k: v for k, v in data.items() if k != "id"}
        return data

    @computed_field  # type: ignore[prop-decorator]
    @property
    def id(self) -> str:
        key = "|".join(str(part or "") for part in (self.submission_id, self.code, self.field, self.source))
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]

    @property
    def title(self) -> str:
        return FINDING_CODES.get(self.code, self.code)
