"""The options of one run, parsed once from the command line into one object, and the checks
on its two folders made before any work (each refusal names the fix, in Chinese)."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from intake.writers.atomic import clean_stale_temps
from models.errors import ConfigError, InputFolderError

log = logging.getLogger(__name__)

OCR_ENGINES = ("rapidocr", "tesseract")
MAX_JOBS = 64
# Kernel pseudo file systems: nothing written there is a file a reviewer can open.
_PSEUDO_ROOTS = (Path("/proc"), Path("/sys"))


class RunOptions(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    received: Path
    campaign: str
    out: Path
    jobs: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1, le=MAX_JOBS)
    ocr: Literal["rapidocr", "tesseract"] = "rapidocr"
    timeout: float = Field(default=600.0, gt=0)  # seconds per file
    use_cache: bool = True
    fail_on_error: bool = False
    progress: bool | None = None  # None: a bar on a terminal, log lines otherwise
    executor: Literal["local", "dask"] = "local"  # where the per-file reads run
    scheduler: str | None = None  # Dask scheduler address; None: a LocalCluster of `jobs` workers
    shared_storage: bool = False  # Dask workers open the files by path instead of receiving bytes
    memory_mb: int | None = Field(default=3072, ge=256)  # per worker process (RSS); None: no ceiling
    cache_dir: Path | None = None  # results and Word renderings by content; None: the output folder

    @property
    def cache_folder(self) -> Path:
        """Where the content caches live: ``cache_dir``, or the output folder."""
        return self.cache_dir if self.cache_dir is not None else self.out


# Chinese message per option when pydantic refuses its value: what to pass instead.
OPTION_FIXES = {
    "jobs": f"--jobs 须为 1 到 {MAX_JOBS} 之间的整数（并行进程数），不写则使用全部核心",
    "ocr": f"--ocr 只能是 {' 或 '.join(OCR_ENGINES)}",
    "timeout": "--timeout 须为大于 0 的秒数（单个文件的处理时限）",
    "received": "收件目录路径无效",
    "out": "--out 输出目录路径无效",
    "campaign": "--campaign 须为批次名（intake campaigns 可列出）或 .toml 文件路径",
    "memory_mb": "--memory-limit 须为不少于 256 的 MB 数（每个读取进程的内存上限）",
    "executor": "--executor 只能是 local 或 dask",
    "cache_dir": "--cache-dir 须为可写的文件夹路径（缓存存放处，不写则为输出目录）",
}


def option_error(field: str, value: object) -> ConfigError:
    """The ConfigError (exit 2) for an option value that failed validation."""
    fix = OPTION_FIXES.get(field, f"选项 --{field} 的取值无效")
    return ConfigError(f"选项 --{field} 的取值“{value}”无效：{fix}。")


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def check_received(received: Path) -> None:
    """The received folder must exist, be a folder and be listable (exit 4 otherwise)."""
    if not received.is_dir():
        raise InputFolderError(f"收件目录“{received}”不存在或不是文件夹，请检查路径。")
    try:
        with os.scandir(received) as entries:
            next(entries, None)
    except OSError as exc:
        raise InputFolderError(
            f"收件目录“{received}”无法读取（{exc.strerror or exc}），请检查该目录的读取权限。"
        ) from exc


def check_out(out: Path, received: Path) -> None:
    """The output folder must be a writable folder (created if missing), outside the received
    folder and outside /proc and /sys; refuse before any work (exit 2) with the fix."""
    real_out = Path(os.path.realpath(out))
    real_received = Path(os.path.realpath(received))
    if _inside(real_out, real_received):
        raise ConfigError(
            f"输出目录“{out}”位于收件目录“{received}”之内，下次运行会把输出当作申报材料读取；"
            "请用 --out 指定收件目录以外的文件夹。"
        )
    if any(_inside(real_out, root) for root in _PSEUDO_ROOTS):
        raise ConfigError(f"输出目录“{out}”位于系统目录（/proc、/sys）中，请用 --out 指定普通文件夹。")
    if out.exists() and not out.is_dir():
        raise ConfigError(f"输出目录“{out}”是一个已存在的文件，请用 --out 指定文件夹（不存在时会自动创建）。")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"无法创建输出目录“{out}”（{exc.strerror or exc}）；请确认上级路径是可写的文件夹，或换一个 --out。"
        ) from exc
    try:
        with tempfile.NamedTemporaryFile(dir=out, prefix=".intake-probe-", delete=True):
            pass
    except OSError as exc:
        raise ConfigError(
            f"输出目录“{out}”不可写（{exc.strerror or exc}），请检查权限与剩余空间，或换一个 --out。"
        ) from exc
    removed = clean_stale_temps(out)
    if removed:
        log.info("removed %d temporary files left by an interrupted run", removed)


def check_cache(cache_dir: Path, received: Path) -> None:
    """A chosen cache folder must be a writable folder (created if missing) outside the
    received folder, which is never written (exit 2 otherwise, with the fix)."""
    if _inside(Path(os.path.realpath(cache_dir)), Path(os.path.realpath(received))):
        raise ConfigError(
            f"缓存目录“{cache_dir}”位于收件目录“{received}”之内；请用 --cache-dir 指定收件目录以外的文件夹。"
        )
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache_dir, prefix=".intake-probe-", delete=True):
            pass
    except OSError as exc:
        raise ConfigError(
            f"缓存目录“{cache_dir}”无法创建或不可写（{exc.strerror or exc}）；请换一个 --cache-dir，或不写此选项。"
        ) from exc
