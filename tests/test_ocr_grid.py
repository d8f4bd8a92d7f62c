def test_line_touching_cells_only_by_slivers_is_not_lost() -> None:
    """Regression: min() of no candidates crashed when every overlap was under 5 %."""
    from extractors.ocr.base import OcrLine
    from extractors.ocr.grid import _pieces
    from models.document import BBox

    line = OcrLine(text="甲乙", bbox=BBox(x0=0, y0=0, x1=100, y1=10), confidence=0.9)
    boxes = [BBox(x0=98, y0=9, x1=200, y1=50), BBox(x0=-50, y0=9, x1=2, y1=50)]
    pieces = _pieces(line, boxes)
    assert "".join(t for _, t in pieces) == "甲乙"
