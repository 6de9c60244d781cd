"""The tables of docs/permissions.md, which the permission tests check cell by cell."""

from pathlib import Path


DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def read_table(index=0):
    """The rows of the ``index``-th table of the document."""
    tables, current = [], None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            if current is None:
                current = []
                tables.append(current)
            current.append(line)
        else:
            current = None
    return tables[index]


def read_matrix(index=0):
    lines = read_table(index)
    header = [h.strip() for h in lines[0].strip("|").split("|")]
    keys = [" ".join(h.split(" ")[:-1]) or h for h in header]
    rows = []
    for line in lines[1:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if set(cells[0]) <= set("-"):
            continue
        rows.append(dict(zip(keys, cells, strict=False)))
    return rows
