"""The aligner (paragraphs, then sentences) and `translate align` / `translate check` of existing translations."""
