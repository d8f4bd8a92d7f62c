"""Regenerate the sample received folders and their known answers.

    python samples/generate.py [--out samples] [--round shanxi-2021|guangxi-2021]

Writes ``<out>/received/<round>/`` (recommender folders, applicant folders, books,
attachments, 汇总表, planted problems) and ``<out>/expected/<round>.json``. Everything is
seeded: re-running gives the same files.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from samples.gen import guangxi, shanxi  # noqa: E402
from samples.gen.assemble import build_submission  # noqa: E402
from samples.gen.build import Builder, RoundStyle  # noqa: E402
from samples.gen.files import FIXED_ZIP_TIME  # noqa: E402
from samples.gen.spec import Spec  # noqa: E402
from samples.gen.summary import Summary, SummaryRow, write_docx, write_pdf, write_xlsx  # noqa: E402
from samples.gen.truth import RoundTruth  # noqa: E402

STYLES = {
    "shanxi-2021": RoundStyle(
        "shanxi-2021",
        "山西省服务型制造示范培育遴选",
        "山西省工业和信息化厅制表",
        "2021年11月8日",
        "2021年11月15日",
        "山西省",
    ),
    "guangxi-2021": RoundStyle(
        "guangxi-2021",
        "第三批服务型制造示范遴选",
        "工业和信息化部制",
        "2021年5月6日",
        "2021年5月12日",
        "广西壮族自治区",
    ),
}
DEADLINES = {"shanxi-2021": "2021-11-20", "guangxi-2021": "2021-05-15"}
SPECS: dict[str, Callable[[], list[Spec]]] = {"shanxi-2021": shanxi.specs, "guangxi-2021": guangxi.specs}
SUMMARY_FORMATS = {  # recommender → (format, filled by, phone, phantom applicant)
    shanxi.TY: ("xlsx", "刘晓东", "0351-4045512", "山西恒润新材料有限公司"),
    shanxi.DT: ("docx", "张春梅", "0352-2045170", None),
    shanxi.XQ: ("pdf", "杨俊杰", "0351-4031288", None),
    shanxi.ZG: ("pdf-unsealed", "郭雪峰", "0351-7569021", None),
    guangxi.NN: ("xlsx", "黄丽华", "0771-5501236", None),
    guangxi.LZ: ("docx", "覃永红", "0772-2826405", None),
    guangxi.GL: ("pdf", "莫志强", "0773-2825163", None),
    guangxi.WZ: ("pdf-unsealed", "李佳琪", "0774-3832716", None),
}


def jpeg_bytes() -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (400, 300), (250, 248, 240))
    ImageDraw.Draw(img).rectangle((20, 20, 380, 280), outline=(30, 30, 30), width=4)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=70)
    return buf.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, FIXED_ZIP_TIME), data)
    return buf.getvalue()


OFD_NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def ofd_bytes(title: str) -> bytes:
    """A small OFD (GB/T 33190, China's fixed-layout format): a zip of XML parts, one page."""
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    return zip_bytes(
        {
            "OFD.xml": (
                f'{head}<ofd:OFD {OFD_NS} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo>'
                f"<ofd:DocID>6f0d2a41c3e94b7f8e21a5d0b7c6e913</ofd:DocID><ofd:Title>{title}</ofd:Title>"
                "<ofd:Author>梧州市工业和信息化局</ofd:Author><ofd:CreationDate>2021-05-12</ofd:CreationDate>"
                "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
            ).encode(),
            "Doc_0/Document.xml": (
                f"{head}<ofd:Document {OFD_NS}><ofd:CommonData><ofd:MaxUnitID>3</ofd:MaxUnitID>"
                "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>"
                '<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>'
            ).encode(),
            "Doc_0/Pages/Page_0/Content.xml": (
                f'{head}<ofd:Page {OFD_NS}><ofd:Content><ofd:Layer ID="2">'
                '<ofd:TextObject ID="3" Boundary="25 40 160 8" Font="4" Size="5.6">'
                '<ofd:TextCode X="0" Y="5">梧州市工业和信息化局关于报送2021年服务型制造示范申报材料的函</ofd:TextCode>'
                "</ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>"
            ).encode(),
        }
    )


def plant_files(spec: Spec, folder: Path, truth: RoundTruth, root: Path) -> None:
    """Give the planted extra files their bad contents and record the file findings."""
    for name, _ in spec.extra_files:
        path = folder / name
        rel = path.relative_to(root).as_posix()
        if name == "附件6-审计报告.pdf":  # a PDF cut off in transfer
            donor = next(folder.glob("*技术水平评价证书.pdf"))
            data = donor.read_bytes()
            path.write_bytes(data[: len(data) // 3])
            truth.add_file_finding(rel, "FILE_UNREADABLE", "truncated PDF", spec.key)
        elif name.endswith(".zip"):
            path.write_bytes(zip_bytes({"readme.txt": "原始扫描件见纸质材料。".encode()}))
            truth.add_file_finding(rel, "FILE_NOT_PROCESSED", "zip archive", spec.key)
        elif name == "申报书.docx":
            path.write_bytes(jpeg_bytes())
            truth.add_file_finding(rel, "FILE_UNREADABLE", "a JPEG renamed .docx", spec.key)
        elif name.endswith(".ofd"):
            path.write_bytes(ofd_bytes(name.rsplit(".", 1)[0]))
            truth.add_file_finding(rel, "FILE_NOT_PROCESSED", "OFD document (GB/T 33190)", spec.key)
        else:
            path.write_bytes(b"")
            truth.add_file_finding(rel, "FILE_UNREADABLE", "zero-byte file", spec.key)


def summaries(round_id: str, specs: list[Spec], b: Builder, truth: RoundTruth) -> None:
    recommenders = shanxi.RECOMMENDERS if round_id == "shanxi-2021" else guangxi.RECOMMENDERS
    for rec in recommenders:
        fmt, filled_by, phone, phantom = SUMMARY_FORMATS[rec]
        summary = Summary(rec, filled_by, phone)
        seen: set[str] = set()
        for spec in specs:
            if spec.recommender != rec or not spec.in_summary or spec.applicant in seen:
                continue
            seen.add(spec.applicant)
            name = spec.values["name"]
            summary.rows.append(
                SummaryRow(
                    spec.kind,
                    name,
                    spec.mode,
                    spec.company.contact,
                    spec.summary_phone or spec.company.phone,
                    spec.company.email,
                )
            )
        if phantom:
            summary.rows.append(
                SummaryRow("enterprise", phantom, "供应链管理", "孙海燕", "0351-7012345", "hrxcl@163.com")
            )
            truth.add_batch(
                "SUMMARY_MISMATCH", rec, "汇总表 lists an applicant with no submission", applicant=phantom, field="name"
            )
        path = b.root / rec / f"{rec}-服务型制造示范申报汇总表.{fmt.split('-')[0]}"
        if fmt == "xlsx":
            write_xlsx(summary, path)
        elif fmt == "docx":
            write_docx(summary, path)
        else:  # "pdf", or "pdf-unsealed": printed and sent without the recommender's seal
            write_pdf(summary, path, b.seal(rec) if fmt == "pdf" else None)
            if fmt == "pdf-unsealed":
                truth.add_batch("SUMMARY_SEAL_MISSING", rec, "汇总表 PDF without its seal", field="summary.seal")
        truth.summaries.append(summary.truth(path.relative_to(b.root).as_posix()))


def batch_truth(round_id: str, specs: list[Spec], truth: RoundTruth) -> None:
    for spec in specs:
        for f in spec.findings:
            if f.get("batch"):
                truth.add_batch(
                    f["code"],
                    spec.recommender,
                    f.get("note", ""),
                    applicant=spec.applicant,
                    submission=spec.key,
                    **({"field": f["field"]} if "field" in f else {}),
                )
    if round_id == "guangxi-2021":
        truth.add_batch(
            "QUOTA_EXCEEDED", guangxi.LZ, "3 enterprises against a quota of 2", kind="enterprise", count=3, quota=2
        )
        truth.add_batch(
            "QUOTA_EXCEEDED",
            guangxi.NN,
            "2 其他类 platforms against 1 (up to 3 where qualified): a warning",
            kind="platform",
            count=2,
            quota=1,
        )


def generate_round(round_id: str, out: Path, cache: Path) -> None:
    root = out / "received" / round_id
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    style = STYLES[round_id]
    b = Builder(root, style, cache)
    truth = RoundTruth(round_id, round_id, DEADLINES[round_id])
    specs = SPECS[round_id]()
    for spec in specs:
        (root / spec.where).mkdir(parents=True, exist_ok=True)
        build_submission(b, spec, truth)
        plant_files(spec, root / spec.where, truth, root)
    if round_id == "shanxi-2021":
        note = root / shanxi.XQ / "报送说明.txt"
        note.write_text("纸质材料一式三份已于11月16日报送产业政策处。\n", encoding="utf-8")
        truth.add_file_finding(note.relative_to(root).as_posix(), "FILE_NOT_PROCESSED", "plain text note")
    summaries(round_id, specs, b, truth)
    batch_truth(round_id, specs, truth)
    truth.file_findings.sort(key=lambda f: f["file"])
    truth.write(out / "expected" / f"{round_id}.json")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "samples")
    parser.add_argument("--round", choices=sorted(STYLES), action="append")
    args = parser.parse_args(argv)
    # reportlab names embedded images after their file path, so intermediate files live at
    # a fixed path: the same run gives the same bytes wherever --out points
    cache = Path(tempfile.gettempdir()) / "intake-samples-cache"
    shutil.rmtree(cache, ignore_errors=True)
    try:
        for round_id in args.round or sorted(STYLES, reverse=True):
            generate_round(round_id, args.out, cache)
            print(f"wrote {args.out / 'received' / round_id}")
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
