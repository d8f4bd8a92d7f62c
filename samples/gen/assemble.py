"""Write one submission's files (book + attachments) and its truth entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image

from samples.gen.build import Builder, rasterise, save_image
from samples.gen.docx_book import write_docx
from samples.gen.pdf_book import write_image_pdf, write_pdf_book
from samples.gen.spec import (
    ACCEPTANCE,
    CONTRACT,
    EVALUATION,
    HIGH_TECH,
    POLICY,
    PREMISES,
    SERVICE,
    TECH_EVAL,
    Spec,
)
from samples.gen.truth import RoundTruth, is_clean

FILE_NAMES = {
    "licence": "附件1-营业执照",
    "legal_person": "附件1-事业单位法人证书",
    HIGH_TECH: "附件2-高新技术企业证书",
    TECH_EVAL: "附件3-技术水平评价证书",
    CONTRACT: "附件2-项目建设合同",
    ACCEPTANCE: "附件3-项目验收意见",
    PREMISES: "附件2-房屋租赁合同",
    SERVICE: "附件3-服务证明材料",
    EVALUATION: "附件4-客户评价",
    POLICY: "附件1-政策文件",
}
RASTER_KINDS = {HIGH_TECH: ".jpg", CONTRACT: ".pdf", PREMISES: ".jpg", EVALUATION: ".jpg"}


def _name(spec: Spec, base: str) -> str:
    """Loose files are told apart by a company prefix and drop the 附件N- numbering."""
    return spec.prefix + base.split("-", 1)[1] if spec.prefix else base


def build_submission(b: Builder, spec: Spec, truth: RoundTruth) -> None:
    folder = b.root / spec.where
    rel = lambda p: p.relative_to(b.root).as_posix()  # noqa: E731
    attachments: list[dict[str, Any]] = []
    scan_pages: list[Image.Image] = []
    scan_kinds: list[tuple[str, dict[str, Any], int]] = []  # kind, fields, page count

    def put(kind: str, stem: str, img: Image.Image, fields: dict[str, Any], ext: str) -> None:
        if spec.book == "scan":
            scan_pages.append(img)
            scan_kinds.append((kind, fields, 1))
            return
        path = folder / (_name(spec, stem) + ext)
        if ext == ".pdf":
            tmp = b.cache / (path.stem + ".jpg")
            save_image(img, tmp)
            write_image_pdf(path, [tmp], dpi=b.dpi(spec))
        else:
            save_image(img, path)
        attachments.append({"kind": kind, "file": rel(path), "pages": [1], "fields": fields})

    if spec.licence is not None:
        img, fields = b.licence(spec)
        legal = spec.company.dept == "12"
        put(
            "legal_person_certificate" if legal else "business_license",
            FILE_NAMES["legal_person" if legal else "licence"],
            img,
            fields,
            "." + spec.licence_ext,
        )
    for kind in spec.attachments:
        stem = FILE_NAMES[kind]
        if kind == HIGH_TECH:
            img, fields = b.high_tech(spec)
            put(kind, stem, img, fields, RASTER_KINDS[kind])
        elif kind == EVALUATION:
            customers = spec.plants.get("evaluations") or [None]
            for i, customer in enumerate(customers):
                img, fields = b.letter_image(spec, kind, customer)
                put(kind, stem + (str(i + 1) if len(customers) > 1 else ""), img, fields, RASTER_KINDS[kind])
        elif kind in (CONTRACT, PREMISES):
            img, fields = b.letter_image(spec, kind)
            put(kind, stem, img, fields, RASTER_KINDS[kind])
        else:
            path = folder / (_name(spec, stem) + ".pdf")
            fields = b.plain_pdf(spec, kind, path)
            if spec.book == "scan":
                pages = rasterise(path)
                path.unlink()
                scan_pages.extend(pages)
                scan_kinds.append((kind, fields, len(pages)))
            else:
                attachments.append({"kind": kind, "file": rel(path), "pages": [1], "fields": fields})

    book_file: str | None = None
    if spec.book != "none":
        stem = f"{spec.prefix}申报书" if spec.prefix else f"{spec.applicant}申报书"
        if spec.book == "docx":
            path = folder / f"{stem}.docx"
            write_docx(b.book(spec), path)
        elif spec.book == "pdf":
            path = folder / f"{stem}.pdf"
            write_pdf_book(b.book(spec), path, embed=b.embed_fonts())
        elif spec.book == "doc":
            tmp = b.cache / "docx" / f"{stem}.docx"
            write_docx(b.book(spec), tmp)
            path = folder / f"{stem}.doc"
            b.to_doc(tmp, path)
        else:
            path = folder / f"{stem}（扫描件）.pdf"
            b.scanned_book(spec, path, scan_pages)
            first = len(rasterise(path)) - len(scan_pages) + 1
            for kind, fields, n in scan_kinds:
                attachments.append(
                    {"kind": kind, "file": rel(path), "pages": list(range(first, first + n)), "fields": fields}
                )
                first += n
        book_file = rel(path)
    for name, data in spec.extra_files:
        (folder / name).write_bytes(data)

    files = sorted(
        {a["file"] for a in attachments}
        | ({book_file} if book_file else set())
        | {rel(folder / n) for n, _ in spec.extra_files}
    )
    path_rel = book_file if (spec.prefix or spec.book == "scan") and book_file else rel(folder)
    truth.submissions.append(
        {
            "id": spec.key,
            "path": path_rel,
            "files": files,
            "kind": spec.kind,
            "applicant": spec.applicant,
            "recommender": spec.recommender,
            "book": spec.book,
            "form_file": book_file,
            "cover": {"applicant": spec.applicant, "declared_kind": spec.kind, "recommender": spec.recommender}
            if book_file
            else {},
            "form": spec.truth_form() if book_file else {},
            "raw": dict(spec.printed),
            "seals": {
                role: role in spec.seals
                for role in (("city_government",) if spec.kind == "city" else ("applicant", "recommender"))
            },
            "attachments": attachments,
            "findings": spec.findings,
            "clean": is_clean(spec.findings),
            "notes": spec.notes,
        }
    )


def ensure(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder
