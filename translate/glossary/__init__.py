"""The glossary: model and CSV files, TBX exchange, lint, the matcher (terms, senses, word bounds), suggestions."""
