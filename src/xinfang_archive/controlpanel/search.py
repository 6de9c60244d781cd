"""The 全文检索设置 control panel: engine, index directory, domain dictionary;
shows the state of the index."""

from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from xinfang_archive import _
from xinfang_archive.cluster.database import connection_for
from xinfang_archive.search import changelog
from xinfang_archive.search.following import Follower
from xinfang_archive.search.settings import ISearchSettings
from xinfang_archive.search.settings import PREFIX
from xinfang_archive.search.shared_maintenance import shared_dsn
from xinfang_archive.search.site import current_store
from xinfang_archive.search.site import SearchNotConfigured
from z3c.form import validator
from zope.interface import Invalid
from zope.schema.interfaces import IField

import os
import psycopg2


class SearchSettingsForm(RegistryEditForm):
    schema = ISearchSettings
    schema_prefix = PREFIX
    label = _("Full-text search settings")

    def update(self):
        super().update()
        try:
            store = current_store()
            stats = store.engine.stats()
        except (SearchNotConfigured, OSError) as error:
            self.description = _(
                "The index cannot be opened: ${error}", mapping={"error": str(error)}
            )
            return
        mapping = {
            "engine": stats["engine"],
            "path": stats["path"],
            "documents": stats["documents"],
            "size": round(stats["size_bytes"] / 1e6, 1),
            "pending": len(store.pending()),
        }
        dsn = shared_dsn(self.context)
        if dsn is None:
            self.description = _(
                "Index (${engine}) in ${path}: ${documents} documents, ${size} MB, "
                "${pending} changes waiting to be written.",
                mapping=mapping,
            )
            return
        try:
            with connection_for(dsn).cursor() as cursor:
                mapping["logged"] = changelog.counts(cursor)["documents"]
                mapping["pending"] = max(
                    changelog.last_seq(cursor) - Follower(dsn, store).state()["seq"], 0
                )
        except psycopg2.Error as error:
            self.description = _(
                "The shared search log cannot be read: ${error}",
                mapping={"error": str(error)},
            )
            return
        self.description = _(
            "This host's index (${engine}) in ${path}: ${documents} documents, ${size} MB; the shared "
            "log of every host: ${logged} documents, ${pending} changes not yet applied here.",
            mapping=mapping,
        )


class SearchSettingsView(ControlPanelFormWrapper):
    form = SearchSettingsForm


class SearchSettingsValidator(validator.SimpleFieldValidator):
    def validate(self, value):
        super().validate(value)
        name = self.field.__name__
        if name == "index_path" and value:
            if not os.path.isabs(value):
                raise Invalid(_("The index directory must be an absolute path."))
            if not os.path.isdir(os.path.dirname(value.rstrip("/")) or "/"):
                raise Invalid(_("The parent of the index directory does not exist."))
        elif name == "dictionary":
            for word in value or ():
                if not word.strip() or any(c.isspace() for c in word.strip()):
                    raise Invalid(
                        _(
                            "Dictionary entries are single words: ${word}",
                            mapping={"word": word},
                        )
                    )


validator.WidgetValidatorDiscriminators(
    SearchSettingsValidator, view=SearchSettingsForm, field=IField
)
