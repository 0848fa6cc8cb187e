"""Packages: every translate.* sub-package, found automatically, plus the shipped glossary folder.

The glossary lives at the top level (glossary/) for editors and is installed as translate.glossary_data
(see package-dir in pyproject.toml); automatic discovery cannot see a mapped folder, so it is added here.
"""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["translate", "translate.*"]), "translate.glossary_data"])
