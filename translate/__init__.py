"""translate: Chinese -> English news translation with source repair, glossary and review files."""

__version__ = "0.1.0"
