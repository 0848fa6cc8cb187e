"""Repair of synonym-spun source text."""

from .restore import (DEFAULT_THRESHOLD, LOW_CONFIDENCE, SpinReport, clean_lines, default_table,
                      repair_document, restore_text, spin_score)

__all__ = ["DEFAULT_THRESHOLD", "LOW_CONFIDENCE", "SpinReport", "clean_lines", "default_table",
           "repair_document", "restore_text", "spin_score"]
