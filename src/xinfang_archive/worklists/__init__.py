"""What each role has to do next: the work lists behind the role homes.

Each function returns a ``Block`` (a heading, a count, the first rows and a
link to the full list) from permission-filtered catalog queries limited to
what is shown, so that a home stays fast with 100,000 cases.
"""
