"""Packaging for xinfang_archive.

The GenericSetup profiles live in the top-level ``profiles/`` folder (the
project's declarative source of truth); ``src/xinfang_archive/profiles`` is a
symbolic link to it so that ZCML finds them in an editable install and the
wheel carries a real copy of them.
"""

from pathlib import Path
from setuptools import find_packages
from setuptools import setup


setup(
    name="xinfang_archive",
    version="0.1.0",
    description="信访档案: the records archive of a petition bureau, as a Plone 6 add-on and site",
    long_description=Path("README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="GPL-2.0-only",
    python_requires=">=3.11,<3.12",
    package_dir={"": "src"},
    packages=find_packages("src"),
    include_package_data=True,
    package_data={
        "xinfang_archive": [
            "*.zcml",
            "**/*.zcml",
            "**/*.pt",
            "**/*.xml",
            "**/*.mmd",
            "**/*.xsd",
            "**/*.po",
            "**/*.pot",
            "**/*.txt",
            "**/*.css",
            "**/*.js",
            "**/*.svg",
            "**/*.in",
            "profiles/*/*",
            "profiles/*/*/*",
            "profiles/*/*/*/*",
        ],
    },
    zip_safe=False,
    install_requires=[
        "Plone",
        "plone.api",
        "plone.restapi",
        "collective.z3cform.datagridfield",
        "waitress",
        "ZEO",
        # several hosts on one archive: RelStorage on PostgreSQL (the
        # binary driver needs no compiler or libpq-dev on a fresh machine)
        "RelStorage",
        "psycopg2-binary",
        "gunicorn",
        "WebOb",
        "lxml",
        "reportlab",
        "openpyxl",
        "jieba",
        "rjieba",
        "Whoosh-Reloaded",
        "tantivy",
        "pdfminer.six",
        "pypdf",
        "python-docx",
        "bagit",
    ],
    extras_require={
        "test": [
            "pytest",
            "pytest-plone",
            "plone.app.testing",
            "playwright",
            "build",
            "ruff",
            "import-linter",
            "i18ndude",
            "polib",
        ],
    },
    entry_points={
        "console_scripts": [
            "xinfang-archive = xinfang_archive.cli.main:main",
        ],
        "z3c.autoinclude.plugin": [
            "target = plone",
        ],
    },
)
