"""@result-query: the public result query as JSON."""
