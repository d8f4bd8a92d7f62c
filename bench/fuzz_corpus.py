"""Seeded hostile corpora for the fuzz harness (``bench/fuzz.py``, ``tests/test_fuzz.py``).

Starting from the samples' own files, every batch folder gets one recommender folder per few
applicants and, in each applicant folder, a mix of mutants: bit flips, truncations, damaged
zip parts (dropped, cut, garbage, corrupt deflate data, a DOCTYPE after padding), wrong
extensions, odd names (control characters, undecodable bytes, a GBK twin of a UTF-8 name,
255-byte names, NFC/NFD twins), bombs (zip, pixels, an 8000 pt page, ``gridSpan``, merged
ranges, many rows, deep nesting, many frames) and odd entries (empty, one byte, symlinks to
themselves, outside or nowhere, a FIFO). The same seed gives the same corpus.
"""

from __future__ import annotations

import io
import os
import random
import unicodedata
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "received"
SMALL_IMAGE_SIDE = 480  # images are shrunk first so OCR of their mutants stays cheap

Mutant = tuple[bytes, bytes]  # (raw file name, content)


@dataclass(frozen=True)
class Seed:
    name: str
    ext: str
    data: bytes


def load_seeds(max_pdf_bytes: int = 400_000) -> list[Seed]:
    """The samples' readable files (images shrunk), sorted for a stable order."""
    seeds: list[Seed] = []
    for path in sorted(SAMPLES.rglob("*")):
        ext = path.suffix.lower()
        if not path.is_file() or ext not in {".docx", ".pdf", ".xlsx", ".jpg", ".png"}:
            continue
        data = path.read_bytes()
        if not data or (ext == ".pdf" and len(data) > max_pdf_bytes):
            continue
        if ext in (".jpg", ".png"):
            data = _shrink(data, ext)
        seeds.append(Seed(path.stem, ext, data))
    return seeds


def _shrink(data: bytes, ext: str) -> bytes:
    with Image.open(io.BytesIO(data)) as img:
        img = img.convert("RGB")
        img.thumbnail((SMALL_IMAGE_SIDE, SMALL_IMAGE_SIDE))
        buf = io.BytesIO()
        img.save(buf, "JPEG" if ext == ".jpg" else "PNG")
    return buf.getvalue()


# -- mutations of one seed -------------------------------------------------------------------


def bit_flips(rng: random.Random, seed: Seed) -> list[Mutant]:
    data = bytearray(seed.data)
    for _ in range(rng.randint(1, 64)):
        i = rng.randrange(len(data))
        data[i] ^= 1 << rng.randrange(8)
    return [(f"{seed.name}-翻转{rng.randrange(1000)}{seed.ext}".encode(), bytes(data))]


def truncation(rng: random.Random, seed: Seed) -> list[Mutant]:
    cut = rng.choice([1, 16, 100, int(len(seed.data) * rng.uniform(0.05, 0.98))])
    return [(f"{seed.name}-截断{cut}{seed.ext}".encode(), seed.data[:cut])]


def _rezip(data: bytes, change: Callable[[str, bytes], bytes | None], extra: dict[str, bytes] | None = None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            new = change(info.filename, src.read(info))
            if new is not None:
                out.writestr(info.filename, new)
        for name, blob in (extra or {}).items():
            out.writestr(name, blob)
    return buf.getvalue()


def _main_part(seed: Seed) -> str:
    return "word/document.xml" if seed.ext == ".docx" else "xl/worksheets/sheet1.xml"


def zip_damage(rng: random.Random, seed: Seed) -> list[Mutant]:
    """One Office package part damaged in one of several ways."""
    if seed.ext not in (".docx", ".xlsx"):
        return truncation(rng, seed)
    names = zipfile.ZipFile(io.BytesIO(seed.data)).namelist()
    victim = rng.choice(names)
    main = _main_part(seed)
    kind = rng.choice(["drop", "cut", "garbage", "deflate", "doctype", "dup", "main-xml"])
    if kind == "drop":
        data = _rezip(seed.data, lambda n, b: None if n == victim else b)
    elif kind == "cut":
        data = _rezip(seed.data, lambda n, b: b[: len(b) // 3] if n == victim else b)
    elif kind == "garbage":
        data = _rezip(seed.data, lambda n, b: rng.randbytes(len(b) or 10) if n == victim else b)
    elif kind == "main-xml":
        data = _rezip(seed.data, lambda n, b: b.replace(b"<", b"<<", 7) if n == main else b)
    elif kind == "doctype":
        pad = b"<!--" + b" " * rng.choice([10, 5000, 70000]) + b"-->"
        xxe = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'

        def inject(n: str, b: bytes) -> bytes:
            if n != main:
                return b
            end = b.find(b"?>") + 2 if b.startswith(b"<?xml") else 0
            return b[:end] + pad + xxe + b[end:]

        data = _rezip(seed.data, inject)
    elif kind == "dup":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # the duplicate name is the point
            data = _rezip(seed.data, lambda n, b: b, extra={victim: b"<x/>"})
    else:  # corrupt the deflate stream of one entry in place
        raw = bytearray(seed.data)
        info = zipfile.ZipFile(io.BytesIO(seed.data)).getinfo(victim)
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        for _ in range(8):
            if info.compress_size:
                raw[start + rng.randrange(info.compress_size)] ^= 0xFF
        data = bytes(raw)
    return [(f"{seed.name}-损坏{kind}{seed.ext}".encode(), data)]


WRONG_EXT = {".docx": ".pdf", ".pdf": ".docx", ".xlsx": ".jpg", ".jpg": ".xlsx", ".png": ".pdf"}


def wrong_extension(rng: random.Random, seed: Seed) -> list[Mutant]:
    other = WRONG_EXT.get(seed.ext, ".bin")
    return [(f"{seed.name}-改扩展名{other}".encode(), seed.data)]


def odd_names(rng: random.Random, seed: Seed) -> list[Mutant]:
    """The intact seed under names that display alike or hold bytes a cell cannot."""
    stem = seed.name[:12]
    choice = rng.choice(["ctl", "ffff", "bytes", "gbk-twin", "long", "nfd-twin", "url", "dash"])
    ext = seed.ext.encode()
    if choice == "ctl":
        names = [f"{stem}\x01\x1f\x7f".encode() + ext, f"{stem}\n换行".encode() + ext]
    elif choice == "ffff":
        names = [f"{stem}\ufffe".encode() + ext, f"{stem}\uffff".encode() + ext]
    elif choice == "bytes":
        names = [stem.encode() + b"\xff" + ext, stem.encode() + b"\xfe" + ext, f"{stem}\ufffd".encode() + ext]
    elif choice == "gbk-twin":
        names = [stem.encode("utf-8") + ext, stem.encode("gbk", errors="replace") + ext]
    elif choice == "long":
        names = [(stem * 40).encode()[: 255 - len(ext)].decode("utf-8", errors="ignore").encode() + ext]
    elif choice == "nfd-twin":
        latin = "Société-é"
        names = [unicodedata.normalize("NFC", latin).encode() + ext, unicodedata.normalize("NFD", latin).encode() + ext]
    elif choice == "url":
        names = [f"{stem} #1 %20 ?&=<>{{}}|^`".encode() + ext]
    else:
        names = [b"-" + stem.encode() + ext, b" " + stem.encode() + ext + b" "]
    return [(name, seed.data) for name in names]


MUTATORS: dict[str, Callable[[random.Random, Seed], list[Mutant]]] = {
    "bit_flips": bit_flips,
    "truncation": truncation,
    "zip_damage": zip_damage,
    "wrong_extension": wrong_extension,
    "odd_names": odd_names,
}


# -- bombs and odd entries ---------------------------------------------------------------------


def _blank_pdf(width: float, height: float, pages: int) -> bytes:
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objs = ["<</Type/Catalog/Pages 2 0 R>>", f"<</Type/Pages/Kids[{kids}]/Count {pages}>>"]
    objs += [f"<</Type/Page/Parent 2 0 R/MediaBox[0 0 {width} {height}]>>"] * pages
    out = io.BytesIO(b"%PDF-1.4\n")
    out.seek(0, io.SEEK_END)
    offsets = []
    for number, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj{body}endobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{o:010d} 00000 n \n" for o in offsets).encode())
    out.write(f"trailer<</Size {len(objs) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _docx_with(docx_seed: Seed | None, body_xml: bytes) -> bytes:
    w = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = (
        b'<?xml version="1.0" encoding="UTF-8"?><w:document ' + w + b"><w:body>" + body_xml + b"</w:body></w:document>"
    )
    if docx_seed is None:
        raise ValueError("a .docx seed is needed")
    return _rezip(docx_seed.data, lambda n, b: document if n == "word/document.xml" else b)


def _xlsx_with(xlsx_seed: Seed, after_sheet_data: bytes) -> bytes:
    return _rezip(
        xlsx_seed.data,
        lambda n, b: (
            b.replace(b"</sheetData>", b"</sheetData>" + after_sheet_data, 1) if n.startswith("xl/worksheets/") else b
        ),
    )


def _tc(text: str, props: bytes = b"") -> bytes:
    return b"<w:tc><w:tcPr>" + props + b"</w:tcPr><w:p><w:r><w:t>" + text.encode() + b"</w:t></w:r></w:p></w:tc>"


SLOW_BOMBS = {"超大页面.pdf", "六千行表格.docx", "两万行.xlsx"}
"""Bombs that take the reader tens of seconds even capped (the quick slice leaves them to
tests/test_hostile_limits.py and tests/test_hostile_pages.py)."""


def bombs(rng: random.Random, seeds: list[Seed], quick: bool = False) -> list[Mutant]:
    """One of each kind of resource bomb, built from the seeds where a valid package helps
    (``quick``: without ``SLOW_BOMBS``)."""
    made = _bombs(rng, seeds, quick)
    return [m for m in made if not (quick and m[0].decode() in SLOW_BOMBS)]


def _bombs(rng: random.Random, seeds: list[Seed], quick: bool) -> list[Mutant]:
    docx = next((s for s in seeds if s.ext == ".docx"), None)
    xlsx = next((s for s in seeds if s.ext == ".xlsx"), None)
    out: list[Mutant] = []
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * (200 << 20))
    out.append(("压缩炸弹.docx".encode(), buf.getvalue()))
    img = io.BytesIO()
    Image.new("1", (30000, 30000)).save(img, "PNG")
    out.append(("像素炸弹.png".encode(), img.getvalue()))
    out.append(("超大页面.pdf".encode(), _blank_pdf(8000, 8000, 3)))
    out.append(("细长页面.pdf".encode(), _blank_pdf(14400, 3, 4)))
    out.append(("许多空白页.pdf".encode(), _blank_pdf(1, 1, 400)))
    tiff = io.BytesIO()
    frames = [Image.new("L", (8, 8), v % 256) for v in range(600)]
    frames[0].save(tiff, "TIFF", save_all=True, append_images=frames[1:])
    out.append(("六百帧.tif".encode(), tiff.getvalue()))
    strip = io.BytesIO()
    Image.new("RGB", (20000, 6), "white").save(strip, "PNG")
    out.append(("极端长宽比.png".encode(), strip.getvalue()))
    if docx is not None:
        span = b'<w:tbl><w:tr><w:trPr><w:gridBefore w:val="999999999"/></w:trPr>'
        span += _tc("名称", b'<w:gridSpan w:val="999999999"/>') + _tc("值") + b"</w:tr></w:tbl>"
        out.append(("跨列炸弹.docx".encode(), _docx_with(docx, span)))
        rows = (
            b"<w:tbl>"
            + b"".join(b"<w:tr>" + _tc(f"名称{r}") + _tc(str(r)) + b"</w:tr>" for r in range(6000))
            + b"</w:tbl>"
        )
        out.append(("六千行表格.docx".encode(), _docx_with(docx, rows)))
        nested = b"<w:p/>"
        for _ in range(rng.choice([50, 200])):
            nested = b"<w:tbl><w:tr><w:tc>" + nested + b"<w:p/></w:tc></w:tr></w:tbl>"
        out.append(("深层嵌套.docx".encode(), _docx_with(docx, nested)))
    if xlsx is not None:
        merge = b'<mergeCells count="1"><mergeCell ref="C3:XFD1048576"/></mergeCells>'
        out.append(("合并炸弹.xlsx".encode(), _xlsx_with(xlsx, merge)))
    if quick:
        return out
    many = io.BytesIO()
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    for r in range(rng.choice([8000, 20000])):
        ws.append([r, f"公司{r}", "张三", "13800000000"])
    wb.save(many)
    out.append(("两万行.xlsx".encode(), many.getvalue()))
    return out


def odd_entries(folder: Path, rng: random.Random, outside: Path) -> int:
    """Entries that are not plain files; returns how many were made."""
    made = 0
    for name, data in [("空文件.pdf", b""), ("一字节.docx", b"P"), ("随机.pdf", rng.randbytes(3000))]:
        (folder / name).write_bytes(data)
        made += 1
    for name, data in [("说明.txt", "报送说明".encode()), ("视频.mp4", rng.randbytes(500)), ("~$临时.docx", b"x")]:
        (folder / name).write_bytes(data)
        made += 1
    (folder / "自身链接.pdf").symlink_to(folder / "自身链接.pdf")
    (folder / "指向外部.pdf").symlink_to(outside)
    (folder / "外部目录").symlink_to(outside.parent, target_is_directory=True)
    (folder / "悬空链接.docx").symlink_to(folder / "不存在.docx")
    (folder / "上级循环").symlink_to(folder.parent, target_is_directory=True)
    os.mkfifo(folder / "管道.pdf")
    return made + 6


def _write(folder: Path, mutant: Mutant) -> bool:
    raw_name, data = mutant
    path = os.path.join(os.fsencode(folder), raw_name)
    if os.path.lexists(path):
        return False
    with open(path, "wb") as fh:
        fh.write(data)
    return True


def make_batch(
    dest: Path, seeds: list[Seed], rng: random.Random, n_files: int, *, with_bombs: bool, quick: bool = False
) -> int:
    """One received folder of about ``n_files`` entries; returns the number of entries.
    ``quick``: no slow bombs, and seeds limited to files read without much OCR."""
    outside = dest.parent / f"{dest.name}-outside" / "secret.txt"
    outside.parent.mkdir(parents=True, exist_ok=True)
    outside.write_text("outside the received folder", encoding="utf-8")
    made = 0
    recommenders = ["太原市工业和信息化局", "大同市工业和信息化局", "柳州市工业和信息化局"]
    companies = ["甲科技有限公司", "乙装备股份有限公司", "丙平台"]
    folders = [dest / r / c for r in recommenders for c in companies]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    made += odd_entries(folders[0], rng, outside)
    if with_bombs:
        for mutant in bombs(rng, seeds, quick=quick):
            made += _write(folders[1], mutant)
    names = list(MUTATORS)
    while made < n_files:
        folder = rng.choice(folders)
        seed = rng.choice(seeds)
        if rng.random() < 0.12:  # some intact files, so grouping and rules see real books
            made += _write(folder, (f"{seed.name}{seed.ext}".encode(), seed.data))
            continue
        for mutant in MUTATORS[rng.choice(names)](rng, seed):
            made += _write(folder, mutant)
    return made


def expected_entries(root: Path) -> int:
    """Entries a run must account for: every non-folder entry, symlinks to folders included."""
    count = 0
    for _, dirs, files in os.walk(os.fsencode(root)):
        count += len(files) + sum(1 for d in dirs if os.path.islink(os.path.join(_, d)))
    return count
