"""Extract the add-on's translatable messages and keep the zh_CN catalogs in step.

Usage::

    python tools/i18n_extract.py           # rewrite the .pot files, merge the zh_CN .po files
    python tools/i18n_extract.py --check   # write nothing; exit 1 if a message lacks zh_CN

Two domains are extracted:

``xinfang_archive``
    * ``_("msgid")`` / ``_("msgid", default="...")`` calls in
      ``src/xinfang_archive/**/*.py`` where ``_`` is the package's
      MessageFactory (``from xinfang_archive import _``);
    * ``i18n:translate`` and ``i18n:attributes`` in ``src/xinfang_archive/**/*.pt``
      wherever the ``i18n:domain`` in effect is ``xinfang_archive``;
    * ``i18n:translate`` / ``i18n:attributes`` in the GenericSetup XML of
      ``profiles/default`` under ``i18n:domain="xinfang_archive"`` (the FTI
      titles and descriptions, the configlet title).

``plone``
    * the ``title`` of every state and transition of
      ``profiles/default/workflows/*/definition.xml``: Plone's UI translates
      workflow state and transition titles in the ``plone`` domain;
    * ``i18n:translate`` under ``i18n:domain="plone"`` in
      ``profiles/default/actions.xml``: the global sections translate
      portal tab titles in the ``plone`` domain.

The ``.pot`` files are rewritten; the ``zh_CN`` ``.po`` files are merged:
existing translations (and translator comments) are kept, new messages are
added with an empty ``msgstr``, messages no longer used are dropped.  When the
default text of an id-style message changed, its translation is marked
``fuzzy`` (gettext does not use fuzzy translations) until someone reviews it.
Output is sorted by msgid and only written when it changed.

Only the standard library is used (``ast``, ``xml.parsers.expat``, ``html.parser``).
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import UTC
from html.parser import HTMLParser
from pathlib import Path
from xml.parsers import expat

import argparse
import ast
import os
import re
import sys


ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "xinfang_archive"
DOMAIN = "xinfang_archive"
PLONE_DOMAIN = "plone"
DOMAINS = (DOMAIN, PLONE_DOMAIN)
LANGUAGE = "zh_CN"

I18N_NS = "http://xml.zope.org/namespaces/i18n"
TAL_NS = "http://xml.zope.org/namespaces/tal"
METAL_NS = "http://xml.zope.org/namespaces/metal"

# zope.i18n's interpolation: ``${name}`` or ``$name`` (``$$`` is a literal dollar).
PLACEHOLDER_RE = re.compile(
    r"(?<!\$)\$(?:([a-zA-Z][-a-zA-Z0-9_]*)|\{([a-zA-Z][-a-zA-Z0-9_]*)\})"
)

HTML_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


def src_dir(root):
    return Path(root) / "src" / PACKAGE


def profile_dir(root):
    return Path(root) / "profiles" / "default"


def locales_dir(root):
    return src_dir(root) / "locales"


def pot_path(root, domain):
    return locales_dir(root) / f"{domain}.pot"


def po_path(root, domain, language=LANGUAGE):
    return locales_dir(root) / language / "LC_MESSAGES" / f"{domain}.po"


# --------------------------------------------------------------------------
# The extracted catalog
# --------------------------------------------------------------------------


@dataclass
class Message:
    msgid: str
    default: str = None
    references: set = field(default_factory=set)

    @property
    def source_text(self):
        """The English text the user would see untranslated."""
        return self.default if self.default is not None else self.msgid


class Catalog:
    """Messages of one domain, keyed by msgid."""

    def __init__(self, domain):
        self.domain = domain
        self.messages = {}

    def add(self, msgid, default, reference, warnings):
        if default is not None and default == msgid:
            default = None
        message = self.messages.get(msgid)
        if message is None:
            message = self.messages[msgid] = Message(msgid, default)
        elif default is not None and message.default is None:
            message.default = default
        elif default is not None and default != message.default:
            warnings.append(
                f"{reference}: msgid {msgid!r} has two defaults: "
                f"{message.default!r} and {default!r} (keeping the first)"
            )
        message.references.add(reference)

    def __len__(self):
        return len(self.messages)

    def __iter__(self):
        return iter(sorted(self.messages.values(), key=lambda m: m.msgid))


@dataclass
class Extraction:
    catalogs: dict
    warnings: list


def normalize(text):
    """Whitespace collapsed the way Chameleon normalizes a msgid."""
    return " ".join(text.split())


def _rel(root, path):
    return Path(path).relative_to(root).as_posix()


def _walk(directory, suffix):
    """Files under ``directory`` ending in ``suffix``, not following symlinks."""
    found = []
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        found.extend(
            Path(dirpath) / name for name in sorted(filenames) if name.endswith(suffix)
        )
    return found


# --------------------------------------------------------------------------
# Python sources
# --------------------------------------------------------------------------


def _module_package(root, path):
    """Dotted package that a relative import in ``path`` starts from."""
    parts = list(Path(path).relative_to(Path(root) / "src").with_suffix("").parts)
    return parts[:-1]  # a module's package; for __init__.py the package itself


def _factory_names(tree, package_parts):
    """Local names bound to the xinfang_archive MessageFactory in a module."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - (node.level - 1)]
                module = ".".join(
                    base + (node.module.split(".") if node.module else [])
                )
            else:
                module = node.module
            if module == PACKAGE:
                for alias in node.names:
                    if alias.name == "_":
                        names.add(alias.asname or "_")
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            func = node.value.func
            func_name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else getattr(func, "id", None)
            )
            args = node.value.args
            if (
                func_name == "MessageFactory"
                and args
                and isinstance(args[0], ast.Constant)
                and args[0].value == DOMAIN
            ):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _literal(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def extract_python_source(
    source, reference_path, catalog, warnings, package_parts=(PACKAGE,)
):
    """Add the ``_()`` messages of one Python source text to ``catalog``."""
    tree = ast.parse(source, filename=reference_path)
    names = _factory_names(tree, list(package_parts))
    if not names:
        return
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in names
        ):
            continue
        reference = f"{reference_path}:{node.lineno}"
        if not node.args:
            warnings.append(f"{reference}: _() without a msgid")
            continue
        msgid = _literal(node.args[0])
        if msgid is None:
            warnings.append(
                f"{reference}: the msgid is not a string literal; it cannot be extracted"
            )
            continue
        default_node = node.args[1] if len(node.args) > 1 else None
        for keyword in node.keywords:
            if keyword.arg == "default":
                default_node = keyword.value
            elif keyword.arg in ("msgid_plural", "default_plural", "number"):
                warnings.append(
                    f"{reference}: plural messages are not supported by this extractor"
                )
        default = None
        if default_node is not None and not (
            isinstance(default_node, ast.Constant) and default_node.value is None
        ):
            default = _literal(default_node)
            if default is None:
                warnings.append(
                    f"{reference}: the default of {msgid!r} is not a string literal"
                )
        if not msgid.strip():
            warnings.append(f"{reference}: empty msgid")
            continue
        catalog.add(msgid, default, reference, warnings)


def extract_python(root, catalog, warnings):
    for path in _walk(src_dir(root), ".py"):
        source = path.read_text(encoding="utf-8")
        extract_python_source(
            source,
            _rel(root, path),
            catalog,
            warnings,
            package_parts=_module_package(root, path),
        )


# --------------------------------------------------------------------------
# Markup (page templates and GenericSetup XML): one walker, two parsers
# --------------------------------------------------------------------------


class _Sink:
    """Collects the content of an element with ``i18n:translate``."""

    def __init__(self):
        self.parts = []

    def text(self):
        return normalize("".join(self.parts))


@dataclass
class _Frame:
    tag: str
    domain: str
    sink: object  # the _Sink that text at this level goes to, or None
    outer: object = (
        None  # the enclosing message's _Sink, which holds this element's markup
    )
    own: object = None  # the _Sink of this element's own i18n:translate
    owner_info: tuple = None  # (explicit msgid, line, dynamic content)


class MarkupWalker:
    """TAL-style i18n extraction from start/end/data events.

    Attribute keys use prefixes: ``i18n:translate``, ``tal:content``…
    ``accept(domain)`` tells which domains go to which catalog.
    """

    def __init__(
        self, reference_path, catalogs, warnings, domain=None, accept=(DOMAIN,), void=()
    ):
        self.reference_path = reference_path
        self.void = frozenset(void)  # elements without an end tag (HTML)
        self.catalogs = catalogs
        self.warnings = warnings
        self.accept = accept
        self.stack = [_Frame(tag="", domain=domain, sink=None)]

    def _add(self, domain, msgid, default, line):
        if domain not in self.accept:
            return
        reference = f"{self.reference_path}:{line}" if line else self.reference_path
        if not msgid:
            self.warnings.append(f"{reference}: empty msgid")
            return
        self.catalogs[domain].add(msgid, default, reference, self.warnings)

    def start(self, tag, attrs, raw, line):
        parent = self.stack[-1]
        domain = attrs.get("i18n:domain") or parent.domain
        name = attrs.get("i18n:name")
        translate = attrs.get("i18n:translate")
        outer = None
        if parent.sink is not None:
            if name:
                # the element is a ${name} in the enclosing message; its content is not
                parent.sink.parts.append(f"${{{name}}}")
            else:
                parent.sink.parts.append(raw)
                outer = parent.sink
        frame = _Frame(tag=tag, domain=domain, sink=outer, outer=outer)
        if translate is not None:
            dynamic = "tal:content" in attrs or "tal:replace" in attrs
            frame.own = frame.sink = _Sink()
            frame.owner_info = (normalize(translate), line, dynamic)
        self._attributes(attrs, domain, line)
        self.stack.append(frame)

    def _attributes(self, attrs, domain, line):
        spec = attrs.get("i18n:attributes")
        if not spec:
            return
        for item in spec.split(";"):
            words = item.split()
            if not words:
                continue
            attribute = words[0]
            explicit = words[1] if len(words) > 1 else None
            value = attrs.get(attribute)
            value = normalize(value) if value is not None else None
            if explicit:
                self._add(domain, explicit, value or None, line)
            elif value:
                self._add(domain, value, None, line)

    def end(self, tag):
        # Tolerate unclosed elements (HTML): close up to the matching tag.
        if not any(frame.tag == tag for frame in self.stack[1:]):
            return
        while True:
            frame = self.stack.pop()
            self._close(frame)
            if frame.tag == tag:
                break

    def _close(self, frame):
        if frame.own is not None:
            explicit, line, dynamic = frame.owner_info
            text = frame.own.text()
            if explicit:
                self._add(
                    frame.domain, explicit, None if dynamic else (text or None), line
                )
            elif dynamic:
                pass  # content comes from an expression: nothing static to translate
            elif text:
                self._add(frame.domain, text, None, line)
        if frame.outer is not None and frame.tag not in self.void:
            frame.outer.parts.append(f"</{frame.tag}>")

    def data(self, text):
        sink = self.stack[-1].sink
        if sink is not None:
            sink.parts.append(text)

    def close(self):
        while len(self.stack) > 1:
            self._close(self.stack.pop())


class _TemplateParser(HTMLParser):
    def __init__(self, walker):
        super().__init__(convert_charrefs=True)
        self.walker = walker

    def _attrs(self, attrs):
        return {name: (value if value is not None else "") for name, value in attrs}

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        self.walker.start(tag, self._attrs(attrs), self.get_starttag_text(), line)
        if tag in HTML_VOID:
            self.walker.end(tag)

    def handle_startendtag(self, tag, attrs):
        line = self.getpos()[0]
        self.walker.start(tag, self._attrs(attrs), self.get_starttag_text(), line)
        self.walker.end(tag)

    def handle_endtag(self, tag):
        self.walker.end(tag)

    def handle_data(self, data):
        self.walker.data(data)


def extract_template_source(source, reference_path, catalogs, warnings):
    walker = MarkupWalker(
        reference_path, catalogs, warnings, accept=(DOMAIN,), void=HTML_VOID
    )
    parser = _TemplateParser(walker)
    parser.feed(source)
    parser.close()
    walker.close()


def extract_templates(root, catalogs, warnings):
    for path in _walk(src_dir(root), ".pt"):
        extract_template_source(
            path.read_text(encoding="utf-8"), _rel(root, path), catalogs, warnings
        )


_PREFIXES = {I18N_NS: "i18n:", TAL_NS: "tal:", METAL_NS: "metal:"}


def _xml_name(name):
    if "|" in name:
        namespace, local = name.split("|", 1)
        return _PREFIXES.get(namespace, f"{{{namespace}}}") + local
    return name


def extract_xml_source(
    data, reference_path, catalogs, warnings, accept=(DOMAIN,), workflow=False
):
    """GenericSetup XML: i18n markup; for a workflow also every state/transition title."""
    walker = MarkupWalker(reference_path, catalogs, warnings, accept=accept)
    parser = expat.ParserCreate(namespace_separator="|")

    def start(name, attributes):
        tag = _xml_name(name)
        attrs = {_xml_name(k): v for k, v in attributes.items()}
        line = parser.CurrentLineNumber
        raw = "<{}{}>".format(
            tag,
            "".join(f' {k}="{v}"' for k, v in attrs.items() if ":" not in k),
        )
        walker.start(tag, attrs, raw, line)
        if (
            workflow
            and tag in ("state", "transition")
            and attrs.get("title", "").strip()
        ):
            reference = f"{reference_path}:{line}"
            catalogs[PLONE_DOMAIN].add(attrs["title"], None, reference, warnings)

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: walker.end(_xml_name(name))
    parser.CharacterDataHandler = walker.data
    parser.Parse(data, True)
    walker.close()


def extract_profiles(root, catalogs, warnings):
    profiles = profile_dir(root)
    workflows = profiles / "workflows"
    for path in _walk(profiles, ".xml"):
        is_workflow = path.name == "definition.xml" and path.parent.parent == workflows
        extract_xml_source(
            path.read_bytes(),
            _rel(root, path),
            catalogs,
            warnings,
            accept=(DOMAIN, PLONE_DOMAIN)
            if is_workflow or path.name == "actions.xml"
            else (DOMAIN,),
            workflow=is_workflow,
        )


def extract(root=ROOT):
    """All messages of both domains: ``Extraction(catalogs={domain: Catalog}, warnings)``."""
    root = Path(root)
    catalogs = {domain: Catalog(domain) for domain in DOMAINS}
    warnings = []
    extract_python(root, catalogs[DOMAIN], warnings)
    extract_templates(root, catalogs, warnings)
    extract_profiles(root, catalogs, warnings)
    return Extraction(catalogs=catalogs, warnings=warnings)


# --------------------------------------------------------------------------
# PO files
# --------------------------------------------------------------------------

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_UNESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "\\": "\\",
    '"': '"',
    "'": "'",
    "?": "?",
}
_UNESCAPE_RE = re.compile(r"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)", re.DOTALL)


def po_escape(text):
    return "".join(_ESCAPES.get(char, char) for char in text)


def po_unescape(text):
    def replace(match):
        code = match.group(1)
        if code[0] == "x" and len(code) > 1:
            return chr(int(code[1:], 16))
        if code[0] in "01234567":
            return chr(int(code, 8))
        return _UNESCAPES.get(code, code)

    return _UNESCAPE_RE.sub(replace, text)


def po_field(keyword, text):
    """``msgid "…"``; text with newlines goes on one line per source line."""
    if "\n" in text[:-1]:
        lines = re.findall(r"[^\n]*\n|[^\n]+", text)
        return "\n".join([f'{keyword} ""'] + [f'"{po_escape(line)}"' for line in lines])
    return f'{keyword} "{po_escape(text)}"'


@dataclass
class PoEntry:
    msgid: str
    msgstr: str = ""
    msgctxt: str = None
    comments: list = field(default_factory=list)  # translator comments, without "# "
    extracted: list = field(default_factory=list)  # "#." comments
    references: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    plural: bool = False

    @property
    def fuzzy(self):
        return "fuzzy" in self.flags

    @property
    def default(self):
        for comment in self.extracted:
            match = re.match(r'^Default: "(.*)"$', comment)
            if match:
                return po_unescape(match.group(1))
        return None


class PoSyntaxError(ValueError):
    pass


def parse_po(text, name="<po>"):  # noqa: C901
    """``(header_entry, {msgid: PoEntry})``; obsolete (``#~``) entries are dropped."""
    entries = []
    current = None
    section = None

    def fresh():
        return PoEntry(msgid=None)

    pending = fresh()
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#~"):
            continue
        if stripped.startswith("#"):
            if current is not None:
                entries.append(current)
                current = None
                section = None
            if stripped.startswith("#."):
                pending.extracted.append(stripped[2:].strip())
            elif stripped.startswith("#:"):
                pending.references.extend(stripped[2:].split())
            elif stripped.startswith("#,"):
                pending.flags.extend(
                    f.strip() for f in stripped[2:].split(",") if f.strip()
                )
            elif stripped.startswith("#|"):
                pass
            else:
                pending.comments.append(line[2:] if line.startswith("# ") else line[1:])
            continue
        match = re.match(
            r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s*"(.*)"\s*$', stripped
        )
        if match:
            keyword, index, value = (
                match.group(1),
                match.group(2),
                po_unescape(match.group(3)),
            )
            if (
                keyword in ("msgctxt", "msgid")
                and current is not None
                and section not in ("msgctxt",)
            ):
                entries.append(current)
                current = None
            if current is None:
                current, pending = pending, fresh()
                current.msgid = ""
            if keyword == "msgctxt":
                current.msgctxt = value
                section = "msgctxt"
            elif keyword == "msgid":
                current.msgid = value
                section = "msgid"
            elif keyword == "msgid_plural":
                current.plural = True
                section = "msgid_plural"
            else:
                if index is None or index == "0":
                    current.msgstr = value
                    section = "msgstr"
                else:
                    section = "msgstr_other"
            continue
        match = re.match(r'^"(.*)"$', stripped)
        if match and current is not None:
            value = po_unescape(match.group(1))
            if section == "msgctxt":
                current.msgctxt += value
            elif section == "msgid":
                current.msgid += value
            elif section == "msgstr":
                current.msgstr += value
            continue
        raise PoSyntaxError(f"{name}:{number}: cannot parse {line!r}")
    if current is not None:
        entries.append(current)
    header = None
    result = {}
    for entry in entries:
        if entry.msgid == "" and entry.msgctxt is None:
            header = entry
        elif entry.msgctxt is None:
            result[entry.msgid] = entry
    return header, result


def read_po(path):
    path = Path(path)
    if not path.exists():
        return None, {}
    return parse_po(path.read_text(encoding="utf-8"), name=str(path))


def parse_header(text):
    fields = {}
    for line in (text or "").split("\n"):
        if ":" in line:
            key, value = line.split(":", 1)
            fields[key.strip()] = value.strip()
    return fields


POT_HEADER = (
    ("Project-Id-Version", PACKAGE),
    ("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE"),
    ("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"),
    ("Language-Team", "LANGUAGE <LL@li.org>"),
    ("Language", ""),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=UTF-8"),
    ("Content-Transfer-Encoding", "8bit"),
    ("Plural-Forms", "nplurals=1; plural=0;"),
    ("Language-Code", "en"),
    ("Language-Name", "English"),
    ("Preferred-Encodings", "utf-8"),
)

# (field, value, forced): forced fields are always set; the others keep an existing value.
PO_HEADER = (
    ("Project-Id-Version", PACKAGE, False),
    ("PO-Revision-Date", None, False),
    ("Last-Translator", "xinfang_archive developers", False),
    ("Language-Team", "Chinese (Simplified)", False),
    ("Language", "zh_CN", True),
    ("MIME-Version", "1.0", True),
    ("Content-Type", "text/plain; charset=UTF-8", True),
    ("Content-Transfer-Encoding", "8bit", True),
    ("Plural-Forms", "nplurals=1; plural=0;", True),
    ("Language-Code", "zh-cn", True),
    ("Language-Name", "简体中文", True),
    ("Preferred-Encodings", "utf-8", True),
)


def _header_block(comments, fields):
    lines = [f"# {c}".rstrip() for c in comments]
    lines += ['msgid ""', 'msgstr ""']
    lines += [f'"{po_escape(f"{key}: {value}")}\\n"' for key, value in fields]
    return "\n".join(lines)


def _entry_block(lines_before, msgid, msgstr):
    return "\n".join(
        [*lines_before, po_field("msgid", msgid), po_field("msgstr", msgstr)]
    )


def _default_comment(message):
    if message.default is None:
        return []
    return [f'#. Default: "{po_escape(message.default)}"']


def render_pot(catalog):
    header = _header_block(
        [
            f"Translation template of the {catalog.domain} domain for the xinfang_archive add-on.",
            "Generated by tools/i18n_extract.py: do not edit by hand.",
        ],
        [*list(POT_HEADER), ("Domain", catalog.domain)],
    )
    blocks = [header]
    for message in catalog:
        lines = _default_comment(message)
        lines += [
            f"#: {reference}"
            for reference in sorted(message.references, key=_reference_key)
        ]
        blocks.append(_entry_block(lines, message.msgid, ""))
    return "\n\n".join(blocks) + "\n"


def _reference_key(reference):
    path, _, line = reference.rpartition(":")
    if line.isdigit():
        return (path, int(line))
    return (reference, 0)


def _reference_file(reference):
    path, _, line = reference.rpartition(":")
    return path if line.isdigit() else reference


def merge_po(catalog, existing_header, existing, revision_date):
    """The merged .po text; ``revision_date`` is used for PO-Revision-Date."""
    old_fields = parse_header(existing_header.msgstr if existing_header else "")
    fields = []
    for key, value, forced in PO_HEADER:
        if key == "PO-Revision-Date":
            value = revision_date
        elif not forced and old_fields.get(key):
            value = old_fields[key]
        fields.append((key, value))
    known = {key for key, _value, _forced in PO_HEADER} | {"Domain"}
    fields += [(k, v) for k, v in old_fields.items() if k not in known]
    fields.append(("Domain", catalog.domain))
    comments = (
        existing_header.comments
        if existing_header and existing_header.comments
        else [
            f"Simplified Chinese (zh_CN) translation of the {catalog.domain} domain of xinfang_archive.",
            "Messages are kept in step with the sources by tools/i18n_extract.py.",
        ]
    )
    blocks = [_header_block(comments, fields)]
    for message in catalog:
        old = existing.get(message.msgid)
        msgstr = old.msgstr if old is not None and not old.plural else ""
        flags = [f for f in (old.flags if old is not None else []) if f != "fuzzy"]
        fuzzy = old is not None and old.fuzzy
        if (
            msgstr
            and old is not None
            and old.default is not None
            and message.default is not None
            and old.default != message.default
        ):
            fuzzy = True  # the English text changed under an unchanged id
        if fuzzy and msgstr:
            flags = ["fuzzy", *flags]
        lines = [f"# {c}".rstrip() for c in (old.comments if old is not None else [])]
        lines += _default_comment(message)
        # Files without line numbers: stable when code moves.  Every entry then
        # starts with a comment, which python-gettext's msgfmt (used by
        # zope.i18n to compile .mo files) needs after the header: otherwise it
        # decodes the first msgid line as latin-1, before it knows the charset.
        lines += [
            f"#: {path}"
            for path in sorted({_reference_file(r) for r in message.references})
        ]
        if flags:
            lines.append("#, " + ", ".join(flags))
        blocks.append(_entry_block(lines, message.msgid, msgstr))
    return "\n\n".join(blocks) + "\n"


def _now():
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")


def merged_po_text(catalog, path):
    """The new .po text for ``path``, with PO-Revision-Date bumped only on a change."""
    path = Path(path)
    header, existing = read_po(path)
    old_text = path.read_text(encoding="utf-8") if path.exists() else None
    old_date = parse_header(header.msgstr if header else "").get("PO-Revision-Date")
    if old_date:
        text = merge_po(catalog, header, existing, old_date)
        if text == old_text:
            return text
    return merge_po(catalog, header, existing, _now())


def _write(path, text):
    path = Path(path)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


# --------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------


def placeholders(text):
    """Names of the zope.i18n placeholders (``${name}``/``$name``) in ``text``."""
    return {a or b for a, b in PLACEHOLDER_RE.findall(text or "")}


@dataclass
class CheckResult:
    counts: dict  # domain -> number of msgids
    missing: list  # (domain, msgid, reason)
    placeholder_errors: list  # (domain, msgid, expected, found)
    stale: list  # (domain, msgid): in the .po but no longer used
    warnings: list

    @property
    def ok(self):
        return not self.missing and not self.placeholder_errors


def check(root=ROOT, language=LANGUAGE):
    """Compare the extracted messages with the ``language`` .po files on disk."""
    extraction = extract(root)
    missing, placeholder_errors, stale, counts = [], [], [], {}
    for domain, catalog in extraction.catalogs.items():
        counts[domain] = len(catalog)
        _header, entries = read_po(po_path(root, domain, language))
        for message in catalog:
            entry = entries.get(message.msgid)
            if entry is None:
                missing.append((domain, message.msgid, "not in the .po file"))
                continue
            if not entry.msgstr.strip():
                missing.append((domain, message.msgid, "empty msgstr"))
                continue
            if entry.fuzzy:
                missing.append((domain, message.msgid, "fuzzy"))
            if (
                entry.default is not None
                and message.default is not None
                and entry.default != message.default
            ):
                missing.append(
                    (
                        domain,
                        message.msgid,
                        "the default text changed; re-run the tool and review",
                    )
                )
            expected = placeholders(message.source_text)
            found = placeholders(entry.msgstr)
            if expected != found:
                placeholder_errors.append(
                    (domain, message.msgid, sorted(expected), sorted(found))
                )
        stale.extend(
            (domain, msgid)
            for msgid in sorted(entries)
            if msgid not in catalog.messages
        )
    return CheckResult(counts, missing, placeholder_errors, stale, extraction.warnings)


def update(root=ROOT, language=LANGUAGE):
    """Rewrite the .pot files and merge the ``language`` .po files; returns the extraction."""
    extraction = extract(root)
    for domain, catalog in extraction.catalogs.items():
        for path, text in (
            (pot_path(root, domain), render_pot(catalog)),
            (
                po_path(root, domain, language),
                merged_po_text(catalog, po_path(root, domain, language)),
            ),
        ):
            changed = _write(path, text)
            print(
                f"{_rel(root, path)}: {len(catalog)} messages{'' if changed else ' (unchanged)'}"
            )
    return extraction


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a message lacks a zh_CN translation",
    )
    parser.add_argument(
        "--root", default=str(ROOT), help="repository root (default: this checkout)"
    )
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    if not args.check:
        extraction = update(root)
        for warning in extraction.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        return 0
    result = check(root)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for domain, msgid in result.stale:
        print(
            f"stale ({domain}): {msgid!r} is no longer used (run without --check to drop it)",
            file=sys.stderr,
        )
    for domain, msgid, reason in result.missing:
        print(f"missing {LANGUAGE} translation ({domain}, {reason}): {msgid!r}")
    for domain, msgid, expected, found in result.placeholder_errors:
        print(
            f"placeholder mismatch ({domain}): {msgid!r}: expected {expected}, found {found}"
        )
    summary = ", ".join(f"{domain}: {count}" for domain, count in result.counts.items())
    if result.ok:
        print(f"all messages translated ({summary})")
        return 0
    print(
        f"{len(result.missing)} missing, {len(result.placeholder_errors)} placeholder mismatches ({summary})"
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
