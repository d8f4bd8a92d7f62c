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
    "RULE_FAILED": "检查规则运行出错",
}
"""Code → Chinese title. Here only the codes no rule declares (reading, the runner);
``validators.registry`` adds every rule's code with the title the rule declares."""

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
