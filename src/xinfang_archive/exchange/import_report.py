"""What an import reports: the outcome of each top-level record, the files
it refused, its notes and its counts.  Plain data, so that the workers of a
parallel import can send theirs to the parent (``parallel``)."""

from dataclasses import dataclass
from dataclasses import field
from xinfang_archive.i18n import record_text
from zope.i18nmessageid import Message


IMPORTED, SKIPPED, FAILED, CHECKED = "imported", "skipped", "failed", "checked"


@dataclass
class Outcome:
    """What became of one top-level record (case, hearing …) of the import."""

    source: str  # file:line
    kind: str  # case, hearing, meeting, accountability, reception, screening
    identifier: str
    status: str
    messages: list = field(default_factory=list)  # translatable, or plain text

    def texts(self):
        return [record_text(m) if isinstance(m, Message) else m for m in self.messages]


@dataclass
class ImportReport:
    dry_run: bool = False
    outcomes: list = field(default_factory=list)
    refused_files: list = field(default_factory=list)  # (path, message text)
    warnings: list = field(default_factory=list)  # plain texts
    seconds: float = 0.0
    versions: int = 0
    files: int = 0
    deferred: list = field(
        default_factory=list
    )  # [path, line] of cases a worker left to the end
    rewritten: int = 0  # batches written again after meeting another writer's commit

    def count(self, status, kind=None):
        return sum(
            1
            for o in self.outcomes
            if o.status == status and (kind is None or o.kind == kind)
        )

    @property
    def ok(self):
        return not self.refused_files and not self.count(FAILED)
