"""The petition case's workflow states, grouped by what they mean."""

# The states in which the bureau runs a clock (``clocks.current_deadline``):
# an open case.  Closed, filed and transferred cases wait for nobody.
OPEN_STATES = ("registered", "accepted", "in_progress", "in_review", "in_rereview")
