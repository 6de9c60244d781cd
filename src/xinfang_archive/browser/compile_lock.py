"""Templates compiled one at a time.

CPython before 3.13 keeps the AST constructor's recursion depth per
interpreter, not per thread: two threads compiling at once (two requests
that each render a template seen for the first time since the start) can
fail one of them with ``SystemError: AST constructor recursion depth
mismatch`` (python/cpython#106905, malthe/chameleon#387), and its page with
a server error.  Chameleon compiles a template once per process (or loads
it from ``CHAMELEON_CACHE``), so one lock around it costs nothing after the
first requests.
"""

from chameleon.template import BaseTemplate

import sys
import threading


_LOCK = threading.RLock()  # re-entrant: a template may be cooked while another is


def _cook_alone(cook):
    def cook_alone(self, body, name, builtins):
        with _LOCK:
            return cook(self, body, name, builtins)

    cook_alone.alone = True
    return cook_alone


def compile_one_at_a_time():
    if sys.version_info >= (3, 13) or getattr(BaseTemplate._cook, "alone", False):
        return
    BaseTemplate._cook = _cook_alone(BaseTemplate._cook)
