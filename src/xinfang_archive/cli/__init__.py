"""The ``xinfang-archive`` command line.

``main`` only wires the commands, which live by concern: ``init``, ``serve``
(with ``zeo`` and ``workers``), ``demo``, ``search`` (reindex, verify-index),
``archival`` (fixity, file), ``storage`` (pack, backup, restore, migrate),
``audit``, ``schedule``, ``exchange`` (import and export, ``import_workers``).
``common``, ``app``, ``instance`` and ``site`` are what they share.  Plone
and the domain are imported inside the commands, so that the command line
starts without loading them."""
