"""Background jobs started in the browser (import and export of exchange
files and archival packages): each runs in a thread of the process that
received the request, on a database connection of its own, and keeps its
state, progress and outcome in the site, where any process and host shows
them (``@@job``) and where a cancellation reaches it.
"""
