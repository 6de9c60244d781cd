"""@id JSON of reception days."""
