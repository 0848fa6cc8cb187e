"""WordprocessingML: the bilingual review DOCX and target DOCX written, and an editor's DOCX read back."""
