"""Repair of synonym-spun source text."""

from .evidence import DocumentEvidence, document_evidence
from .restore import (
    DEFAULT_THRESHOLD,
    LOW_CONFIDENCE,
    SpinReport,
    clean_lines,
    default_table,
    gate_evidence,
    repair_document,
    restore_text,
    spin_score,
)

__all__ = ["DEFAULT_THRESHOLD", "LOW_CONFIDENCE", "DocumentEvidence", "SpinReport", "clean_lines", "default_table",
           "document_evidence", "gate_evidence", "repair_document", "restore_text", "spin_score"]
