"""Evidence a reviewer can see: PNG crops of the spot each finding and key field came from."""

from intake.evidence.crops import Crop, EvidenceIndex, write_evidence

__all__ = ["Crop", "EvidenceIndex", "write_evidence"]
