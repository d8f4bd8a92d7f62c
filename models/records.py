"""Submissions, classified documents and the record written per submission (SPEC §4)."""

from __future__ import annotations

from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ModelWrapValidatorHandler, computed_field, model_validator
from pydantic.json_schema import DEFAULT_REF_TEMPLATE

from models.document import BBox, Seal
from models.fields import Extracted, FieldMap
from models.findings import Finding
from models.forms import AnyForm, FormType, form_from_fields

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

FORM_KIND_LABELS: dict[str, str] = {
    "enterprise": "示范企业",
    "project": "示范项目",
    "platform": "示范平台",
    "city": "示范城市",
}
"""The four kinds of submission as the notices name them (the workbook, the rules' messages)."""

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


_METHOD_RANK = {"docx": 3, "pdf-text": 2, "xlsx": 2, "ocr": 1}


def _filled(fields: FieldMap) -> int:
    return sum(1 for v in fields.values() if v.value is not None)


def choose_form(docs: list[ExtractedDocument], file: str | None = None) -> ExtractedDocument | None:
    """The form to check when a submission has several (a .docx and its PDF twin): the
    fullest one, digital before OCR; only those of ``file`` when it is given."""
    forms = [d for d in docs if d.kind == "application_form" and (file is None or d.file == file)]
    if not forms:
        return None
    return max(forms, key=lambda d: (_filled(d.fields), _METHOD_RANK.get(d.method or "", 0)))


def _flat(node: Any, prefix: str = "") -> dict[str, Any]:
    """A typed form's values as flat dotted keys (the inverse of ``form_from_fields``)."""
    if isinstance(node, BaseModel):
        node = node.model_dump()
    if isinstance(node, dict):
        items = [(str(k), v) for k, v in node.items() if v is not None and (prefix or k != "form_type")]
    elif isinstance(node, list):
        items = [(str(i), v) for i, v in enumerate(node)]
    else:
        return {prefix[:-1]: node}
    out: dict[str, Any] = {}
    for key, value in items:
        out.update(_flat(value, f"{prefix}{key}."))
    return out


def _get(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, dict) else getattr(item, key, None)


def _as_document(item: Any) -> ExtractedDocument:
    """An attachment given to the constructor (model or JSON dict) as the document it stands for."""
    if isinstance(item, BaseModel):
        item = {key: getattr(item, key) for key in type(item).model_fields}
    data = {k: v for k, v in dict(item).items() if k in ("kind", "file", "pages", "fields", "confidence")}
    return ExtractedDocument.model_validate(data)


_DERIVED = ("form", "form_fields", "attachments")
"""Record keys computed from ``documents``; written to records.jsonl (SPEC §4), never stored."""
_INPUTS = frozenset({"documents", "form_file", "kind"})
"""Stored keys the derived views are computed from: changing one drops the cached views."""


class Record(BaseModel):
    """One submission as checked and written (SPEC §4).

    The documents read from the submission's files are stored once (``documents``); the form
    (``form_fields`` and the typed ``form``) is the fields of the application form chosen by
    ``form_file`` (the fullest of that file, ``choose_form``) and ``attachments`` are the
    documents that are not part of the book, both computed and cached per record. They are
    still accepted by the constructor (records.jsonl as read back, tests): an attachment not
    among the documents is added to them, and form values fill the chosen form document when
    it has none (a document is added when there is none). Replace ``documents`` (or
    ``form_file``, ``kind``) through ``model_copy(update=...)`` or assignment, not in place:
    the cached views are dropped then.
    """

    model_config = ConfigDict(extra="forbid")

    submission_id: str
    path: str
    kind: FormType | None = None
    applicant: str | None = None
    recommender: str | None = None
    campaign: str | None = None
    form_file: str | None = None
    cover: FieldMap = {}
    documents: list[ExtractedDocument] = []
    files: list[FileEntry] = []
    findings: list[Finding] = []
    verdict: Verdict | None = None

    @model_validator(mode="wrap")
    @classmethod
    def _documents_once(cls, data: Any, handler: ModelWrapValidatorHandler[Record]) -> Record:
        """Fold the derived keys given to the constructor into ``documents``; ``form=None``
        given without form values says the record has no form, whatever its documents."""
        no_form = isinstance(data, dict) and "form" in data and data["form"] is None and not data.get("form_fields")
        record = handler(_fold(data))
        if no_form:
            record.__dict__["form"] = None
        return record

    def model_copy(self, *, update: Any = None, deep: bool = False) -> Record:  # type: ignore[override]
        """A copy with ``update`` applied; the derived views are computed again when an input
        of theirs changes (the form values follow a form document replaced by an empty one)."""
        if not update or not _INPUTS & set(update):
            return super().model_copy(update=update, deep=deep)
        data = {name: getattr(self, name) for name in type(self).model_fields}
        data.update({key: value for key, value in update.items() if key not in _DERIVED})
        if "form_fields" not in update and "form" not in update:
            data["form_fields"] = self.form_fields
        copied = type(self).model_validate(data)
        for key in _DERIVED:
            if key in update:
                copied.__dict__[key] = update[key]
        return copied.model_copy(deep=True) if deep else copied

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        if name in _INPUTS:
            for key in _DERIVED:
                self.__dict__.pop(key, None)
            self.__dict__.pop("form_document", None)

    @classmethod
    def model_json_schema(  # type: ignore[override]
        cls, by_alias: bool = True, ref_template: str = DEFAULT_REF_TEMPLATE, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        """The schema of a record as records.jsonl holds it (``intake schema``): serialisation
        mode, so the derived ``form``, ``form_fields`` and ``attachments`` are in it, unless
        ``mode="validation"`` is asked for."""
        kwargs.setdefault("mode", "serialization")
        return super().model_json_schema(by_alias, ref_template, *args, **kwargs)

    @cached_property
    def form_document(self) -> ExtractedDocument | None:
        """The application form the record is checked against (None when there is none)."""
        return choose_form(self.documents, self.form_file) or (
            choose_form(self.documents) if self.form_file is None else None
        )

    @computed_field  # type: ignore[prop-decorator]
    @cached_property
    def form_fields(self) -> FieldMap:
        """The form's values with raw text, confidence and evidence (flat canonical keys)."""
        doc = self.form_document
        return doc.fields if doc is not None else {}

    @computed_field  # type: ignore[prop-decorator]
    @cached_property
    def form(self) -> AnyForm | None:
        """The form's fields as the typed form of the record's kind (plain values)."""
        if self.form_document is None or self.kind is None:
            return None
        return form_from_fields(self.kind, self.form_fields)  # type: ignore[return-value]

    @computed_field  # type: ignore[prop-decorator]
    @cached_property
    def attachments(self) -> list[Attachment]:
        """The documents that are not part of the application book nor the 汇总表, in order."""
        return [
            Attachment(kind=d.kind, file=d.file, pages=d.pages, fields=d.fields, confidence=d.confidence)
            for d in self.documents
            if d.kind not in FORM_KINDS
        ]


def _fold(data: Any) -> Any:
    """Constructor input with the derived keys folded into ``documents`` (``Record``)."""
    if not isinstance(data, dict) or not any(key in data for key in _DERIVED):
        return data
    data = dict(data)
    attachments = data.pop("attachments", None) or []
    form, fields = data.pop("form", None), data.pop("form_fields", None) or {}
    docs = list(data.get("documents") or [])
    known = {(_get(d, "kind"), _get(d, "file"), tuple(_get(d, "pages") or ())) for d in docs}
    for item in attachments:
        if (_get(item, "kind"), _get(item, "file"), tuple(_get(item, "pages") or ())) not in known:
            docs.append(_as_document(item))
    if fields or form is not None:
        docs = [d if isinstance(d, ExtractedDocument) else ExtractedDocument.model_validate(d) for d in docs]
        chosen = choose_form(docs, data.get("form_file"))
        if chosen is None or not chosen.fields:  # else the values are the chosen form's (records.jsonl)
            merged: FieldMap = {}
            if form is not None:  # a typed form's values that the form values lack
                merged = {key: Extracted[Any](value=v, raw=str(v)) for key, v in _flat(form).items()}
            merged.update(
                {k: v if isinstance(v, Extracted) else Extracted[Any].model_validate(v) for k, v in fields.items()}
            )
            if merged and chosen is None:
                docs.append(_form_document(data, merged))
            elif merged and chosen is not None:
                docs[docs.index(chosen)] = chosen.model_copy(update={"fields": merged})
    data["documents"] = docs
    return data


def _form_document(data: dict[str, Any], fields: FieldMap) -> ExtractedDocument:
    """The application form document for form values given without one: of ``form_file``,
    else of the file their evidence names."""
    file = data.get("form_file") or next((e.file for ex in fields.values() for e in ex.evidence), "")
    return ExtractedDocument(kind="application_form", file=file, form_type=data.get("kind"), fields=fields)


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
