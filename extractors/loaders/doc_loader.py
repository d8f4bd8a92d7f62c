"""Word 97-2003 .doc → ``Document``: LibreOffice converts it to .docx in a private temp
directory (own user profile, so parallel workers never share one), then the .docx loader
reads it. The result keeps the original ``rel`` and ``source_kind="doc"``."""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from extractors.loaders import safety
from extractors.loaders.docx_loader import load_docx
from models.document import Document
from models.errors import FileReadError

log = logging.getLogger(__name__)

CONVERT_TIMEOUT_S = 120
MSG_NO_SOFFICE = "未安装 LibreOffice（Debian 软件包 libreoffice-writer-nogui），无法转换 .doc 文件"
MSG_FAILED = "无法将 .doc 文件转换为 .docx（文件可能已损坏或受密码保护），请申报单位提供 .docx 或 PDF"
MSG_TIMEOUT = "转换 .doc 文件超时（超过 120 秒），已跳过；请申报单位提供 .docx 或 PDF"


def find_soffice() -> str | None:
    """The LibreOffice binary on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(path: Path, workdir: Path) -> Path:
    """Convert ``path`` with LibreOffice headless into ``workdir``; returns the .docx."""
    soffice = find_soffice()
    if soffice is None:
        raise FileReadError(MSG_NO_SOFFICE, detail="soffice not on PATH")
    source = workdir / "source.doc"  # plain ASCII name: no quoting surprises in soffice
    shutil.copyfile(path, source)
    out_dir = workdir / "out"
    out_dir.mkdir()
    profile = (workdir / "profile").resolve().as_uri()
    cmd = [
        soffice,
        "--headless",
        "--norestore",
        "--nolockcheck",
        f"-env:UserInstallation={profile}",
        "--convert-to",
        "docx",
        "--outdir",
        str(out_dir),
        str(source),
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT_S, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        raise FileReadError(MSG_TIMEOUT, detail=f"soffice timed out on {path.name}") from exc
    except OSError as exc:
        raise FileReadError(MSG_NO_SOFFICE, detail=str(exc)) from exc
    result = out_dir / "source.docx"
    if proc.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
        detail = (proc.stderr or proc.stdout or b"").decode("utf-8", "replace").strip()
        raise FileReadError(MSG_FAILED, detail=f"soffice rc={proc.returncode}: {detail[:500]}")
    return result


def load_doc(path: Path, rel: str, sniffed: str | None = None) -> Document:
    """Read a .doc (or an RTF/HTML file saved as .doc, which LibreOffice also opens)."""
    kind = sniffed or safety.sniff(path)
    if kind == "empty":
        raise FileReadError(safety.MSG_EMPTY)
    safety.check_ole(kind)
    if kind == "docx":  # a .docx renamed to .doc: read it directly
        document = load_docx(path, rel, sniffed=kind)
        return document.model_copy(update={"meta": {**document.meta, "sniffed_as": "docx"}})
    if kind not in ("doc", "ole", "rtf", "html", "xml"):
        raise FileReadError(safety.MSG_NOT_WORD, detail=f"sniffed as {kind}")
    with tempfile.TemporaryDirectory(prefix="intake-doc-") as tmp:
        converted = convert_to_docx(path, Path(tmp))
        document = load_docx(converted, rel)
    meta = {**document.meta, "converted_by": "libreoffice"}
    if kind != "doc":
        meta["sniffed_as"] = kind
    return document.model_copy(update={"source_kind": "doc", "meta": meta})
