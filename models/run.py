"""What one run did: options, timing, counts. Shown on the 运行信息 sheet."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from models.records import FileEntry


class RunInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    campaign_id: str
    campaign_title: str
    version: str
    received_dir: str
    started: dt.datetime
    finished: dt.datetime | None = None
    ocr_engine: str = "rapidocr"
    jobs: int = 1
    submissions: int = 0
    files_total: int = 0
    files_read: int = 0
    files_cached: int = 0
    pages: int = 0
    findings_by_severity: dict[str, int] = {}
    problem_files: list[FileEntry] = []  # unreadable, not processed, skipped
    files: list[FileEntry] = []  # every input file exactly once, whatever its status
