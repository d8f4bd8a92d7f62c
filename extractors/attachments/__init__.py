"""Attachment extractors: one per attachment kind, keyed by name (here the kind itself).

- ``business_license``: 营业执照 by geometry (``license``);
- ``legal_person_certificate``: 事业单位法人证书 (``legal_person``);
- ``high_tech_certificate``: 高新技术企业证书 (``hightech``);
- the free-text kinds (``others``): ``tech_evaluation_certificate``, ``project_contract``,
  ``acceptance_opinion``, ``premises_proof``, ``service_evidence``,
  ``customer_evaluation``, ``policy_document``.
"""

from __future__ import annotations

from extractors.attachments.hightech import HighTechCertificateExtractor
from extractors.attachments.legal_person import LegalPersonCertificateExtractor
from extractors.attachments.license import BusinessLicenseExtractor
from extractors.attachments.others import KeywordExtractor, keyword_extractors
from extractors.base import Extractor

ATTACHMENT_EXTRACTORS: dict[str, Extractor] = {
    "business_license": BusinessLicenseExtractor(),
    "legal_person_certificate": LegalPersonCertificateExtractor(),
    "high_tech_certificate": HighTechCertificateExtractor(),
    **keyword_extractors(),
}

__all__ = [
    "ATTACHMENT_EXTRACTORS",
    "BusinessLicenseExtractor",
    "HighTechCertificateExtractor",
    "KeywordExtractor",
    "LegalPersonCertificateExtractor",
]
