"""The known answers: one JSON file per round (format in samples/README.md).

Each submission lists the form values as filled, the attachment fields as printed, and the
findings a correct reviewer raises. ``clean`` is true when no error or warning is expected
(an info finding such as FORMAT_DEVIATION does not make a submission unclean).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# severities the notices or SPEC fix; other codes are left to the rules' own judgement
FIXED_SEVERITY = {"FORMAT_DEVIATION": "info", "FILE_UNREADABLE": "error", "FILE_NOT_PROCESSED": "info"}
BATCH_CODES = {"DUPLICATE_SUBMISSION", "SUMMARY_MISMATCH", "QUOTA_EXCEEDED", "PLATFORM_TYPE_UNKNOWN"}


def finding(code: str, field_name: str | None = None, severity: str | None = None, note: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"code": code}
    if field_name:
        out["field"] = field_name
    sev = severity or FIXED_SEVERITY.get(code)
    if sev:
        out["severity"] = sev
    if code in BATCH_CODES:
        out["batch"] = True
    if note:
        out["note"] = note
    return out


def is_clean(findings: list[dict[str, Any]]) -> bool:
    return all(f.get("severity") == "info" for f in findings)


@dataclass
class RoundTruth:
    round: str
    campaign: str
    deadline: str
    submissions: list[dict[str, Any]] = field(default_factory=list)
    file_findings: list[dict[str, Any]] = field(default_factory=list)
    batch_findings: list[dict[str, Any]] = field(default_factory=list)
    summaries: list[dict[str, Any]] = field(default_factory=list)

    def add_file_finding(self, file: str, code: str, note: str, submission: str | None = None) -> None:
        entry = {"file": file, **finding(code, note=note)}
        if submission:
            entry["submission"] = submission
        self.file_findings.append(entry)

    def add_batch(self, code: str, recommender: str, note: str, **extra: Any) -> None:
        self.batch_findings.append({"code": code, "recommender": recommender, **extra, "note": note})

    def write(self, path: Path) -> None:
        payload = {
            "round": self.round,
            "campaign": self.campaign,
            "deadline": self.deadline,
            "counts": {
                "submissions": len(self.submissions),
                "clean": sum(1 for s in self.submissions if s["clean"]),
                "file_findings": len(self.file_findings),
                "batch_findings": len(self.batch_findings),
            },
            "submissions": self.submissions,
            "file_findings": self.file_findings,
            "batch_findings": self.batch_findings,
            "summaries": self.summaries,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
