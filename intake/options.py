"""The options of one run, parsed once from the command line into one object."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class RunOptions(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    received: Path
    campaign: str
    out: Path
    jobs: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1, le=64)
    ocr: str = "rapidocr"
    timeout: float = Field(default=600.0, gt=0)  # seconds per file
    use_cache: bool = True
    fail_on_error: bool = False
    progress: bool | None = None  # None: a bar on a terminal, log lines otherwise
