"""The application-form extractor shared by 表1–表4; each form supplies a ``FormSpec``.

A page scores high when it prints the form's title (``服务型制造示范培育企业申报表``,
national ``服务型制造示范企业申报表``, ``（培育）`` ignored) and its distinctive labels; a
page with the labels but no title (a form's second page) scores lower. Extraction reads
every table of the pages that carries the form's labels, in order, carrying the year
columns from one table to the next; a page without such a table is read from its lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from extractors.forms.grid import Grid, grid_from_blocks
from extractors.forms.labels import COMMON_LABELS
from extractors.forms.labelset import LabelSet
from extractors.forms.pagetext import is_heading, method_of, page_items, pages_of, titles
from extractors.forms.reader import GridReader
from extractors.forms.summary_table import is_summary_table
from models.document import Document, Page
from models.fields import FieldMap
from models.forms import FormType
from models.records import DocKind, ExtractedDocument

ALL_LABELS: set[str] = set(COMMON_LABELS)
"""Every label of every form (filled as specs are made): never read as a value."""


@dataclass
class FormSpec:
    form_type: FormType
    titles: tuple[str, ...]  # squashed fragments of the title, e.g. "企业申报表"
    labels: dict[str, str]  # form-specific labels on top of COMMON_LABELS
    distinctive: tuple[str, ...]  # labels that tell this form from the others
    pre: Callable[[GridReader], None] | None = None  # special readers, before the labels
    post: Callable[[FieldMap], None] | None = None  # derived keys, after all grids
    common: bool = True  # whether COMMON_LABELS apply
    label_set: LabelSet = field(init=False)

    def __post_init__(self) -> None:
        merged = {**(COMMON_LABELS if self.common else {}), **self.labels}
        ALL_LABELS.update(self.labels)
        self.label_set = LabelSet(merged, ALL_LABELS)


class FormExtractor:
    """Score and read one of the four application forms."""

    kind: DocKind = "application_form"

    def __init__(self, spec: FormSpec) -> None:
        self.spec = spec

    def title_in(self, page: Page) -> str | None:
        """The title printed on the page, if any: a short item holding a title fragment,
        not a value that quotes one."""
        _, items = page_items(page)
        for item in items:
            if any(titles(item, t) for t in self.spec.titles):
                return item
        return None

    def score(self, page: Page, document: Document) -> float:
        _, items = page_items(page)
        flat = "".join(items)
        present = sum(1 for label in self.spec.distinctive if label in flat)
        share = present / len(self.spec.distinctive)
        if any(is_heading(item, "申报书正文") or is_heading(item, "汇总表") for item in items):
            share *= 0.3  # outlines and summary tables (by their titles) quote form labels
        titled = self.title_in(page) is not None
        if titled:
            return min(1.0, 0.7 + 0.3 * share)
        return 0.6 * share if share >= 0.34 else 0.3 * share

    def extract(self, document: Document, pages: list[int]) -> ExtractedDocument:
        fields: FieldMap = {}
        title: str | None = None
        carried: list[str] = []
        chosen = pages_of(document, pages)
        for page in chosen:
            title = title or self.title_in(page)
            grids = [Grid.from_table(t) for t in page.tables if self._fits(t.cells)]
            if not grids and page.blocks:
                grid = grid_from_blocks(page.blocks, self._cuts_line)
                if self._fits(grid.slots):
                    grids = [grid]
            for grid in grids:
                reader = GridReader(grid, self.spec.label_set, carried_years=carried)
                if self.spec.pre:
                    self.spec.pre(reader)
                for key, value in reader.read().items():
                    if key not in fields or (fields[key].blank and not value.blank):
                        fields[key] = value
                carried = reader.carried_years
        if self.spec.post:
            self.spec.post(fields)
        return ExtractedDocument(
            kind="application_form",
            file=document.file,
            pages=[p.number for p in chosen],
            form_type=self.spec.form_type,
            fields=fields,
            title=title,
            method=method_of(document, chosen),
            low_text=not fields,
        )

    def _cuts_line(self, text: str) -> bool:
        """Where a text line is cut into slots: at labels and at pieces of labels (a scan
        splits 研发和设计人员比例 over two lines), so a piece never joins a value."""
        labels = self.spec.label_set
        return labels.is_label(text) or labels.is_fragment(text)

    def _fits(self, cells: list) -> bool:  # type: ignore[type-arg]
        """A table (or line grid) belongs to the form when two of its cells are labels
        (a continuation table of year rows counts) and it is not a summary table, which is
        told by its title and header row, never by words inside a filled value."""
        if is_summary_table(cells):
            return False
        hits = sum(1 for c in cells if self.spec.label_set.key_of(c.text))
        return hits >= 2
