"""Control panels (z3c.form over registry records): the archive's vocabularies
and deadlines (``form``), filing (``filing``), search (``search``) and early
warnings (``warnings``).  ``settings`` holds the settings schema the domain
reads; it is the only module here the domain may import."""
