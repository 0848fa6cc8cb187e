"""Edits back from a review file (DOCX, ODT, XLIFF): mapped onto blocks, learnt into the TM, published."""
