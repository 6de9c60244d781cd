"""The add-on's message catalogs: i18ndude builds and syncs them, polib checks them.

Usage (``make i18n`` and ``make i18n-check`` run the same)::

    python tools/i18n.py           # rebuild the .pot files, sync the zh_CN .po files
    python tools/i18n.py --check   # write nothing; exit 1 if the catalogs are not complete

Run it with the Python of the environment that has i18ndude (the test extra).
Two domains, in ``src/xinfang_archive/locales``:

``xinfang_archive``
    ``_()`` in the Python code (``_`` is the package's MessageFactory), the
    ``i18n:translate``/``i18n:attributes`` of the page templates and of the
    GenericSetup profile (type titles and descriptions, the configlet), the
    profiles' titles in ZCML.
``plone``
    what the profile marks in the ``plone`` domain: the titles of workflow
    states and transitions, the portal tabs of actions.xml (Plone's UI
    translates these in its own domain). Python files and templates are left
    out: i18ndude gives every ``_()`` to whichever domain it builds, and the
    ``plone`` messages of a template are Plone's own.

``i18ndude sync`` keeps the translations, adds new messages with an empty
msgstr, drops messages no longer used and marks a translation fuzzy when the
default text of its id-style message changed. The check fails on a message
without its zh_CN translation, a fuzzy one, a translation that lost or gained
a ``${placeholder}``, catalogs out of step with the sources, a ``_()`` whose
msgid i18ndude cannot read, and template text that ``i18ndude
find-untranslated`` finds without ``i18n:translate`` (mark what is not to be
translated with ``i18n:ignore``/``i18n:ignore-attributes``).
"""

from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import argparse
import ast
import polib
import re
import shutil
import subprocess
import sys
import tempfile


ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "xinfang_archive"
LANGUAGE = "zh_CN"
SOURCES = (f"src/{PACKAGE}", "profiles")
# domain: the files that i18ndude leaves out when it builds the domain's .pot
DOMAINS = {PACKAGE: (), "plone": ("*.py", "*.pt")}
# zope.i18n's interpolation: ``${name}`` or ``$name`` (``$$`` is a literal dollar)
PLACEHOLDER = re.compile(
    r"(?<!\$)\$(?:([a-zA-Z][-a-zA-Z0-9_]*)|\{([a-zA-Z][-a-zA-Z0-9_]*)\})"
)
# changes on every run: the catalogs carry none, so that they only change with their messages
CREATION_DATE = re.compile(r'^"POT-Creation-Date: [^"\n]*"\n', re.MULTILINE)


def pot_path(domain, root=ROOT):
    return Path(root) / "src" / PACKAGE / "locales" / f"{domain}.pot"


def po_path(domain, root=ROOT, language=LANGUAGE):
    return pot_path(domain, root).parent / language / "LC_MESSAGES" / f"{domain}.po"


def i18ndude(*args, cwd=ROOT):
    beside = Path(sys.executable).parent / "i18ndude"
    command = str(beside) if beside.exists() else shutil.which("i18ndude")
    if command is None:
        sys.exit("i18ndude is not installed: pip install -e '.[test]'")
    return subprocess.run(
        [command, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def _run(*args, cwd=ROOT):
    """i18ndude's output lines; an error stops."""
    result = i18ndude(*args, cwd=cwd)
    if result.returncode:
        raise RuntimeError(
            f"i18ndude {args[0]} failed:\n{result.stdout}{result.stderr}"
        )
    return (result.stdout + result.stderr).splitlines()


def _drop_creation_date(path):
    text = Path(path).read_text(encoding="utf-8")
    if CREATION_DATE.search(text):
        Path(path).write_text(CREATION_DATE.sub("", text), encoding="utf-8")


def rebuild_pot(domain, pot, root=ROOT, sources=SOURCES):
    """Write ``pot`` with the messages of ``domain`` in ``sources`` (paths under ``root``).

    The header is kept from the existing ``pot``. Returns what i18ndude said:
    it says nothing when all went well.
    """
    pot = Path(pot)
    if not pot.exists():
        seed = polib.POFile()
        seed.metadata = {
            "Content-Type": "text/plain; charset=UTF-8",
            "Plural-Forms": "nplurals=1; plural=0;",
            "Domain": domain,
        }
        seed.save(str(pot))
    excluded = DOMAINS.get(domain, ())
    exclude = ["--exclude", " ".join(excluded)] if excluded else []
    said = _run(
        "rebuild-pot", "--pot", pot.resolve(), "--no-line-numbers", *exclude, *sources,
        cwd=root,
    )  # fmt: skip
    _drop_creation_date(pot)
    return said


def sync(pot, po):
    """Bring ``po`` in step with ``pot`` (i18ndude sync); returns its summary line."""
    said = _run("sync", "--pot", Path(pot).resolve(), Path(po).resolve())
    _drop_creation_date(po)
    return said


def update(root=ROOT):
    for domain in DOMAINS:
        for line in rebuild_pot(domain, pot_path(domain, root), root):
            print(f"{domain}.pot: {line}", file=sys.stderr)
        for line in sync(pot_path(domain, root), po_path(domain, root)):
            print(line.replace(str(Path(root).resolve()) + "/", ""))


def default(entry):
    """The default text of an id-style message (i18ndude's ``#. Default:`` comment)."""
    for line in entry.comment.splitlines():
        if line.startswith('Default: "') and line.endswith('"'):
            return line[len('Default: "') : -1]
    return None


def placeholders(text):
    return {a or b for a, b in PLACEHOLDER.findall(text or "")}


def _imports_our_factory(tree):
    return any(
        isinstance(node, ast.ImportFrom)
        and (node.module == PACKAGE or (node.level and not node.module))
        and any(alias.name == "_" and not alias.asname for alias in node.names)
        for node in ast.walk(tree)
    )


def unreadable_calls(root=ROOT, package=f"src/{PACKAGE}"):
    """``_()`` calls that i18ndude would miss or misread.

    i18ndude reads Python by tokens: it takes every ``_("…")``, whatever ``_``
    is, and silently skips a msgid or default that is not a string literal.
    """
    found = []
    for path in sorted((Path(root) / package).rglob("*.py")):
        reference = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_bytes(), filename=reference)
        ours = path == Path(root) / package / "__init__.py" or _imports_our_factory(
            tree
        )
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and getattr(call.func, "id", "") == "_"):
                continue
            where = f"{reference}:{call.lineno}"
            if not ours:
                found.append(f"{where}: _ is not the {PACKAGE} MessageFactory")
            defaults = call.args[1:2] + [
                k.value for k in call.keywords if k.arg == "default"
            ]
            if not (
                call.args
                and isinstance(call.args[0], ast.Constant)
                and isinstance(call.args[0].value, str)
                and all(
                    isinstance(d, ast.Constant) and isinstance(d.value, str | None)
                    for d in defaults
                )
            ):
                found.append(f"{where}: the msgid or default is not a string literal")
    return found


def untranslated_templates(root=ROOT):
    """What ``i18ndude find-untranslated`` reports in the package's templates."""
    templates = sorted((Path(root) / "src" / PACKAGE).rglob("*.pt"))
    result = i18ndude(
        "find-untranslated", "-n", *(t.relative_to(root) for t in templates), cwd=root
    )
    return [] if result.returncode == 0 else result.stdout.strip().splitlines()


@dataclass
class Check:
    catalogs: dict  # domain -> polib.POFile: the messages of the sources
    missing: list = field(default_factory=list)  # "domain: msgid (reason)"
    placeholder_errors: list = field(default_factory=list)
    out_of_step: list = field(default_factory=list)  # committed .pot/.po vs sources
    warnings: list = field(default_factory=list)  # what i18ndude cannot read
    untranslated: list = field(default_factory=list)  # find-untranslated's report

    @property
    def counts(self):
        return {domain: len(catalog) for domain, catalog in self.catalogs.items()}

    @property
    def ok(self):
        return not (
            self.missing
            or self.placeholder_errors
            or self.out_of_step
            or self.warnings
            or self.untranslated
        )


def check(root=ROOT):
    """Build the .pot files from the sources in a temporary directory and
    compare them with the committed catalogs; writes nothing."""
    result = Check(catalogs={})
    with tempfile.TemporaryDirectory(prefix="xinfang-i18n-") as directory:
        for domain in DOMAINS:
            fresh = Path(directory) / f"{domain}.pot"
            shutil.copy(pot_path(domain, root), fresh)
            said = rebuild_pot(domain, fresh, root)
            result.warnings += [f"i18ndude ({domain}): {line}" for line in said]
            result.catalogs[domain] = polib.pofile(str(fresh))
    result.warnings += unreadable_calls(root)
    result.untranslated = untranslated_templates(root)
    for domain, catalog in result.catalogs.items():
        _compare(domain, catalog, root, result)
    return result


def _compare(domain, catalog, root, result):
    used = {entry.msgid: entry for entry in catalog}
    if {entry.msgid for entry in polib.pofile(str(pot_path(domain, root)))} != set(
        used
    ):
        result.out_of_step.append(f"{domain}.pot differs from the sources")
    translations = {
        entry.msgid: entry for entry in polib.pofile(str(po_path(domain, root)))
    }
    result.out_of_step += [
        f"{domain}: {msgid!r} is no longer used"
        for msgid in sorted(set(translations) - set(used))
    ]
    for msgid, entry in sorted(used.items()):
        translation = translations.get(msgid)
        reason = None
        if translation is None:
            reason = "not in the .po file"
        elif not translation.msgstr.strip():
            reason = "empty msgstr"
        elif translation.fuzzy:
            reason = "fuzzy"
        elif default(translation) != default(entry):
            reason = "the default text changed"
        if reason:
            result.missing.append(f"{domain}: {msgid!r} ({reason})")
        if translation is None or not translation.msgstr:
            continue
        expected = placeholders(default(entry) or msgid)
        found = placeholders(translation.msgstr)
        if expected != found:
            result.placeholder_errors.append(
                f"{domain}: {msgid!r}: {sorted(expected)} != {sorted(found)}"
            )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the catalogs are not complete",
    )
    if not parser.parse_args(argv).check:
        update()
        return 0
    result = check()
    for title, lines in (
        ("i18ndude cannot read", result.warnings),
        ("template text not marked for translation", result.untranslated),
        ("catalogs out of step with the sources (run python tools/i18n.py)", result.out_of_step),
        (f"missing {LANGUAGE} translations", result.missing),
        ("placeholders differ", result.placeholder_errors),
    ):  # fmt: skip
        if lines:
            print(f"{title}:", *lines, sep="\n  ")
    summary = ", ".join(f"{d}: {n}" for d, n in result.counts.items())
    print(("all messages translated" if result.ok else "incomplete") + f" ({summary})")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
