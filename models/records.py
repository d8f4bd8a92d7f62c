"""Submissions, classified documents and the record written per submission (SPEC §4)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from models.document import BBox, Seal
from models.fields import FieldMap
from models.findings import Finding
from models.forms import AnyForm, FormType

DocKind = Literal[
    "application_form",
    "application_body",
    "business_license",
    "legal_person_certificate",
    "high_tech_certificate",
    "tech_evaluation_certificate",
    "project_contract",
    "acceptance_opinion",
    "premises_proof",
    "service_evidence",
    "customer_evaluation",
    "policy_document",
    "summary_table",
    "cover",
    "commitment",
    "other",
]
DOC_KIND_LABELS: dict[str, str] = {
    "application_form": "申报表",
    "application_body": "申报书正文",
    "business_license": "营业执照",
    "legal_person_certificate": "事业单位法人证书",
    "high_tech_certificate": "高新技术企业证书",
    "tech_evaluation_certificate": "技术水平评价证书",
    "project_contract": "项目建设合同",
    "acceptance_opinion": "验收/专家评价意见",
    "premises_proof": "经营场所证明",
    "service_evidence": "服务证明材料",
    "customer_evaluation": "客户评价",
    "policy_document": "政策文件",
    "summary_table": "申报汇总表",
    "cover": "封面",
    "commitment": "承诺/推荐意见页",
    "other": "其他材料",
}

BOOK_KINDS: frozenset[str] = frozenset({"application_form", "application_body", "cover", "commitment"})
"""The applicant's application book: its forms, body, cover and commitment pages."""
FORM_KINDS: frozenset[str] = BOOK_KINDS | {"summary_table"}
"""Kinds read as forms rather than attachments: the book and the recommender's 汇总表."""

SealRole = Literal["applicant", "recommender", "city_government", "license_copy", "seam"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SealSlot(Frozen):
    """A place that asks for a seal (申报单位（章）, 推荐单位意见, 市人民政府) and what was found."""

    role: SealRole
    page: int | None = None
    bbox: BBox | None = None  # the label's box
    label: str = ""
    seal: Seal | None = None  # the seal found at or near it; None when absent
    checkable: bool = True  # False when the source cannot show seals (e.g. text-only)


class Section(Frozen):
    """An outline heading of the application body."""

    title: str
    level: int
    page: int | None = None
    cell: str | None = None


class StyleSample(Frozen):
    """The dominant formatting of one body paragraph, for the FORMAT_DEVIATION rule (which
    compares it with the round's formatting rules; the extractor does not know the round)."""

    element: Literal["body", "heading1", "heading2"]
    font: str | None = None  # east-asian font as written, e.g. "仿宋_GB2312"
    size_pt: float | None = None
    line_spacing: float | None = None  # multiple of single spacing
    paragraph: int | None = None
    sample: str = ""  # the paragraph's first characters


class ExtractedDocument(Frozen):
    """A classified document with its fields: a whole file, or a page range of a bound book."""

    kind: DocKind
    file: str
    pages: list[int] = []  # 1-based pages of the file this document spans
    form_type: FormType | None = None  # for application forms, and bodies when known
    fields: FieldMap = {}
    confidence: float = 1.0  # classification confidence
    title: str | None = None
    sections: list[Section] = []
    styles: list[StyleSample] = []  # body paragraphs of a .docx, for FORMAT_DEVIATION
    seal_slots: list[SealSlot] = []
    seals: list[Seal] = []
    rows: list[dict[str, Any]] = []  # table-like contents: 汇总表 rows
    method: str | None = None  # "docx", "pdf-text", "ocr"
    low_text: bool = False  # nothing legible was found


class FileEntry(Frozen):
    """Every file under the received folder is accounted for by one entry."""

    path: str
    size: int = 0
    sha256: str | None = None
    status: Literal["read", "unreadable", "not_processed", "skipped"] = "read"
    reason: str | None = None  # Chinese, for the reviewer
    pages: int = 0
    seconds: float = 0.0
    cached: bool = False


class Submission(Frozen):
    """One applicant's material: a folder, a book file, or a group of loose files."""

    id: str
    path: str  # relative to RECEIVED_DIR
    recommender: str | None = None
    files: list[str]  # relative paths


class Attachment(Frozen):
    kind: DocKind
    file: str
    pages: list[int] = []
    fields: FieldMap = {}
    confidence: float = 1.0


class Verdict(Frozen):
    value: Literal["通过", "需复核", "不符合"]
    rule: str  # which code (or "no findings") decided it
    reason: str


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")

    submission_id: str
    path: str
    kind: FormType | None = None
    applicant: str | None = None
    recommender: str | None = None
    campaign: str | None = None
    form: AnyForm | None = None
    form_fields: FieldMap = {}  # the same values with raw text, confidence and evidence
    form_file: str | None = None
    cover: FieldMap = {}
    attachments: list[Attachment] = []
    documents: list[ExtractedDocument] = []
    files: list[FileEntry] = []
    findings: list[Finding] = []
    verdict: Verdict | None = None


class SummaryRow(Frozen):
    """One line of a recommender's 汇总表."""

    kind: FormType
    name: str
    mode: str | None = None  # 示范模式 / 专业平台/区域平台
    contact: str | None = None
    phone: str | None = None
    email: str | None = None
    file: str
    page: int | None = None
    cell: str | None = None


class SummaryTable(Frozen):
    recommender: str | None
    file: str
    filled_by: str | None = None
    phone: str | None = None
    rows: list[SummaryRow] = []
    seal_slots: list[SealSlot] = []  # the 推荐单位（盖章） line and the seal found at it
    seals: list[Seal] = []  # every seal on the table's pages
