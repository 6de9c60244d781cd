"""The relations of imported records (a case's related cases and reception
day, a hearing's cases …).

A relation is set to its target where the target is in the archive; where
it is not (yet), it is kept broken and remembers the target's UID and
number, so the record says what it said and its digest still holds.  The
broken ones are remembered (``pending``) and mended at a commit when their
targets have come in meanwhile; a record found already here from a killed
run gets its broken relations mended the same way."""

from Acquisition import aq_base
from plone.uuid.interfaces import IUUID
from xinfang_archive import _
from xinfang_archive.exchange.fields import kind_of
from xinfang_archive.exchange.fields import REFS
from xinfang_archive.exchange.reader import schema_fields
from xinfang_archive.exchange.targets import brains
from xinfang_archive.exchange.targets import case_for
from xinfang_archive.exchange.targets import target_for
from xinfang_archive.i18n import record_text
from z3c.relationfield import RelationValue
from z3c.relationfield.event import updateRelations
from z3c.relationfield.interfaces import IRelationChoice
from zope.component import getUtility
from zope.intid.interfaces import IIntIds


def refers_ahead(catalog, record):
    """Whether ``record`` (in any version) names a case not in the archive
    yet: it then waits until the rest of the run is in."""
    for _path, item in record.walk():
        fields = schema_fields(item.kind.portal_type)
        values = [item.values] + [v.values for v in item.versions]
        for name, field_ in fields.items():
            if kind_of(field_) != REFS or IRelationChoice.providedBy(field_):
                continue  # one relation (a case's reception day) never waits: it is mended at the end
            for version in values:
                for uid, identifier in version.get(name) or ():
                    if case_for(catalog, uid, identifier) is None:
                        return True
    return False


class Relations:
    def __init__(self, catalog):
        self.catalog = catalog
        self.intids = getUtility(IIntIds)
        # (id of record data, field) → (record data, field name, [(uid, identifier)])
        self.pending = {}

    def ready(self, item, values):
        """``values`` of ``item`` ready to set: relations resolved (the
        unresolved ones of its current values wait for the end of the
        import)."""
        fields = schema_fields(item.kind.portal_type)
        ready = {}
        for name, value in values.items():
            if kind_of(fields[name]) == REFS:
                # one relation (a case's reception day) is kept broken if not in
                # the archive too, and mended if it comes in later in the run
                single = IRelationChoice.providedBy(fields[name])
                relations, missing = self.values((value or []) if single else value)
                if missing and values is item.values:
                    self.pending[(id(item), name)] = (item, name, list(value))
                value = (relations[0] if relations else None) if single else relations
            ready[name] = value
        return ready

    def values(self, refs):
        """``(relation values, identifiers of the missing targets)`` for
        ``refs``; a target not in the archive (yet) is kept as a broken
        relation that remembers its UID and number."""
        relations, missing = [], []
        for uid, identifier in refs:
            target = target_for(self.catalog, uid, identifier)
            if target is None:
                relation = RelationValue(None)
                relation.broken(identifier or uid or "")
                relation.target_uid, relation.target_identifier = uid, identifier
                missing.append(identifier or uid)
            else:
                relation = RelationValue(self.intids.getId(target))
            relations.append(relation)
        return relations, missing

    def resolve(self, warnings, final=False):
        """Point the relations that were written broken at their targets
        where these are in now.  Before the last commit only the complete
        ones are set: a target may still come later in the run.  At the
        last, what is still missing is noted in ``warnings``."""
        still = {}
        for key, (item, name, refs) in self.pending.items():
            found = brains(self.catalog, UID=item.uid) if item.uid else []
            if not found:
                continue  # rolled back
            relations, missing = self.values(refs)
            if missing and not final:
                still[key] = (item, name, refs)
                continue
            obj = found[0]._unrestrictedGetObject()
            _set_relations(obj, name, relations)
            if missing:
                warnings.append(
                    record_text(
                        _(
                            "${what}: related records not in the archive: ${missing}.",
                            mapping={
                                "what": getattr(
                                    obj, "registration_number", obj.getId()
                                ),
                                "missing": ", ".join(missing),
                            },
                        )
                    )
                )
        self.pending = still

    def repair(self, record, brain):
        """A record already here (an earlier run, perhaps killed before its
        targets came in) whose relations are still broken gets them set
        when its targets are in by the end of this run."""
        top = None
        for path, item in record.walk():
            fields = schema_fields(item.kind.portal_type)
            related = {
                name: refs
                for name, refs in item.values.items()
                if refs and kind_of(fields[name]) == REFS
            }
            if not related:
                continue
            if path:
                found = brains(self.catalog, UID=item.uid) if item.uid else []
                obj = found[0]._unrestrictedGetObject() if found else None
            else:
                obj = top = top or brain._unrestrictedGetObject()
            if obj is None:
                continue
            item.uid = IUUID(obj)
            for name, refs in related.items():
                current = _as_list(getattr(aq_base(obj), name, None))
                if any(
                    getattr(relation, "to_id", None) is None for relation in current
                ):
                    self.pending[(id(item), name)] = (item, name, list(refs))


def _set_relations(obj, name, relations):
    """Set the field ``name`` of ``obj`` to ``relations`` if they differ."""
    single = not isinstance(
        getattr(aq_base(obj), name, None), (list, tuple)
    )  # a RelationChoice
    current = _as_list(getattr(aq_base(obj), name, None))
    if [r.to_id for r in relations] != [getattr(r, "to_id", None) for r in current]:
        setattr(
            aq_base(obj),
            name,
            (relations[0] if relations else None) if single else relations,
        )
        updateRelations(obj, None)


def _as_list(value):
    """The relations of a field, whether a list (RelationList) or one (RelationChoice)."""
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]
