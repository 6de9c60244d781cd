"""XSD errors of an exchange file, put down to the top-level record they
fall in: only that record is refused, the others of the file go on."""

from xinfang_archive.exchange.fields import local
from xinfang_archive.exchange.records import ORDER
from xinfang_archive.exchange.safexml import load_schema

import re


EXCHANGE_SCHEMA = "exchange.xsd"
# libxml2's path of an error: "/*/*[3]/…" (the third child) for a default
# namespace, "/x:exchange/x:case[3]/…" (the third case) for a prefixed one
TOP_LEVEL = re.compile(r"^/[^/]+/(?P<step>[^/\[]+)(?:\[(?P<index>\d+)\])?(?:/|$)")


def schema_errors(root):
    """``{top-level element: [messages]}`` of the XSD errors, by the case
    or hearing they fall in (from the error's path, not its line: a
    file may be on one line); errors outside any (key None) refuse the
    whole file."""
    schema = load_schema(EXCHANGE_SCHEMA)
    schema.validate(root.getroottree())
    children = [e for e in root if isinstance(e.tag, str)]
    invalid = {}
    for error in schema.error_log:
        invalid.setdefault(_owner(error, children), []).append(
            f"XSD（第 {error.line} 行）：{error.message}"
        )
    return invalid


def _owner(error, children):
    """The top-level record ``error`` falls in, or None."""
    match = TOP_LEVEL.match(error.path or "")
    if not match:
        return None
    step = match.group("step")
    siblings = (
        children
        if step == "*"
        else [e for e in children if local(e) == step.split(":")[-1]]
    )
    index = int(match.group("index") or 1) - 1
    if 0 <= index < len(siblings) and local(siblings[index]) in ORDER:
        return siblings[index]
    return None
