"""Shipped glossaries (CSV), installed as package data translate.glossary_data."""
