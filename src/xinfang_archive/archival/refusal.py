"""The refusal of a disposition step (appraisal, destruction, extension,
transfer), shared by ``disposition`` and ``transfer``."""


class DispositionRefused(Exception):
    """A disposition step cannot happen; ``problems`` (translatable) say why."""

    def __init__(self, problems):
        if isinstance(
            problems, DispositionRefused
        ):  # re-raised by CMFCore's workflow tool
            problems = problems.problems
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems
