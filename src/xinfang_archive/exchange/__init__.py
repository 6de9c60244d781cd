"""Exchange and archival packages: the XML exchange schema, safe bulk
import, BagIt export (DA/T 46 metadata, DA/T 48-style envelopes, PREMIS-style
events), package verification and transfer (移交).

Writing: ``model``, ``describe``, ``writer``, ``fields``, ``package``,
``dat46``, ``envelope``, ``events``; reading: ``safexml``, ``reader``,
``verify``.  An import is a thin runner (``importer``) over finding its
sources (``sources``), checking them (``schema_errors``, ``field_checks``,
``record_checks``, ``archival_checks``, ``duplicates``, ``targets``) and
writing them (``creation``, ``relations``, ``versioning``, ``batches``),
reported by ``import_report``; ``parallel`` shares the work among workers."""
