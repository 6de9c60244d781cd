"""@petitioner-matches: earlier cases of the same petitioner."""
