"""Vocabularies: ``fixed`` holds the lists the law or the archive fixes
(retention periods, flags, kinds, grades of risk …), ``registry`` the lists a
bureau edits in its control panel (units, categories, channels …)."""
