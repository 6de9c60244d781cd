"""The code base's shape: lines, modules, the largest modules, import cycles,
function-local imports, long lines and (with ``--tests``) the test count.

    .venv/bin/python benchmarks/structure.py [--tests]

Cycles are the strongly connected components of the graph of the package's
own imports (grimp, the graph import-linter checks), every import counted,
including those inside functions; a component of n modules is one cycle.
"""

from pathlib import Path

import argparse
import ast
import subprocess
import sys


ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "xinfang_archive"


def modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "locales" not in p.parts)


def local_imports(path):
    """Imports of the package's own modules made inside a function or class."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = 0
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.ImportFrom)
                    and (
                        inner.level
                        or (inner.module or "").startswith("xinfang_archive")
                    )
                ) or (
                    isinstance(inner, ast.Import)
                    and any(a.name.startswith("xinfang_archive") for a in inner.names)
                ):
                    found += 1
    return found


def cycles():
    import grimp

    graph = grimp.build_graph("xinfang_archive", include_external_packages=False)
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    return [c for c in strongly_connected(edges) if len(c) > 1]


def strongly_connected(edges):
    """Tarjan's algorithm, iterative (the graph has a few hundred modules)."""
    index, low, on_stack, stack, result = {}, {}, set(), [], []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                result.append(sorted(component))
    return result


def test_count():
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return out.strip().splitlines()[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tests", action="store_true", help="also collect the tests and count them"
    )
    args = parser.parse_args()
    files = modules()
    sizes = {p: len(p.read_text(encoding="utf-8").splitlines()) for p in files}
    long_lines = sum(
        1
        for p in files
        for line in p.read_text(encoding="utf-8").splitlines()
        if len(line) > 88
    )
    print(
        f"modules: {len(files)}, lines: {sum(sizes.values())}, lines over 88 characters: {long_lines}"
    )
    print("largest modules:")
    for path, size in sorted(sizes.items(), key=lambda item: -item[1])[:10]:
        print(f"  {size:5d}  {path.relative_to(PACKAGE)}")
    print(
        f"function-local imports of the package's own modules: {sum(local_imports(p) for p in files)}"
    )
    found = cycles()
    print(f"import cycles: {len(found)}")
    for component in found:
        names = [m.removeprefix("xinfang_archive.") for m in component]
        print(
            f"  {len(names)} modules: {', '.join(names[:12])}{' …' if len(names) > 12 else ''}"
        )
    if args.tests:
        print(f"tests: {test_count()}")


if __name__ == "__main__":
    main()
