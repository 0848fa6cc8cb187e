"""Bilingual lexical resources shared by the aligner, QA and glossary suggestions (CC-CEDICT)."""
