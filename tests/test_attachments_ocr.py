"""End to end with the real engine: a licence drawn by ``samples.gen.attachments`` at 200 dpi,
read by RapidOCR, then extracted by geometry. Slow (several seconds of OCR per page)."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from pathlib import Path

import numpy as np
import pytest

from extractors.attachments import ATTACHMENT_EXTRACTORS
from models.document import Block, Document, Page, Provenance

ROOT = Path(__file__).resolve().parent.parent


def renderers():
    """``samples.gen.attachments`` (samples/ is not an installed package)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return importlib.import_module("samples.gen.attachments")


def ocr(image) -> Document:
    """The page as the OCR stage gives it: one block per engine line, boxes in pixels."""
    try:
        from extractors.ocr.engines import get_engine
    except ImportError:  # the OCR package is not there: the engine directly
        pytest.skip("extractors.ocr.engines is not available")
    lines = get_engine("rapidocr").read(np.asarray(image.convert("RGB")))
    blocks = [
        Block(
            text=" ".join(ln.text.split()),
            orig=ln.text,
            prov=Provenance(
                file="licence.png",
                page=1,
                bbox=ln.bbox,
                method="ocr",
                engine="rapidocr",
                confidence=ln.confidence,
            ),
        )
        for ln in lines
    ]
    page = Page(number=1, width=image.width, height=image.height, unit="px", blocks=blocks)
    return Document(file="licence.png", source_kind="image", pages=[page])


@pytest.mark.slow
def test_rendered_landscape_licence_read_by_rapidocr():
    gen = renderers()
    fields = gen.sample_license_fields(11)
    doc = ocr(gen.render_license(fields, variant="landscape", copy="副本", dpi=200))
    licence = ATTACHMENT_EXTRACTORS["business_license"]
    assert licence.score(doc.pages[0], doc) >= 0.9
    got = {k: v.value for k, v in licence.extract(doc, [1]).fields.items()}
    assert got["name"] == fields["name"]
    assert got["uscc"] == fields["uscc"]
    assert got["legal_rep"] == fields["legal_rep"]
    assert got["address"] == fields["address"]
    year, month, day = (int(x) for x in fields["established"][:-1].replace("年", "-").replace("月", "-").split("-"))
    assert got["established"] == dt.date(year, month, day)
    assert got["copy"] == "副本"
    others = [ex.score(doc.pages[0], doc) for k, ex in ATTACHMENT_EXTRACTORS.items() if k != "business_license"]
    assert max(others) < 0.5


@pytest.mark.slow
@pytest.mark.parametrize(
    ("authority", "dpi"),
    [("太原市小店区市场监督管理局", 200), ("大同市平城区市场监督管理局", 100), ("南宁市西乡塘区市场监督管理局", 200)],
)
def test_licence_authority_is_read_from_its_seal(authority: str, dpi: int, tmp_path: Path) -> None:
    """The sample licences print their 登记机关 only inside the red seal (as real ones do):
    the whole OCR stage (red suppression, seal search, legend unrolled and voted on) must
    give the licence extractor the authority, and the applicant's own seal must not be
    taken for it. 100 dpi is what the samples' attachment copies have."""
    from extractors.loaders.image import IMAGE_LOADERS
    from extractors.ocr.pages import ocr_document

    gen = renderers()
    fields = {**gen.sample_license_fields(3), "authority": authority}
    image = gen.render_license(fields, variant="landscape", dpi=dpi)
    seal = gen.render_seal(fields["name"], size=300)
    image = gen.stamp(image, seal, (image.width // 4, int(image.height * 0.72)), image.width // 8, angle=12)
    path = tmp_path / "licence.jpg"
    image.convert("RGB").save(path, quality=85)
    doc = ocr_document(path, IMAGE_LOADERS[0].load(path, "licence.jpg"))
    got = ATTACHMENT_EXTRACTORS["business_license"].extract(doc, [1]).fields
    assert got["authority"].value == authority and got["authority"].method == "seal"
    legends = {s.text for s in doc.pages[0].seals}
    assert fields["name"] in legends  # the applicant's seal is read too, and left alone
