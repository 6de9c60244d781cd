"""How many failed-login entries one source may make the trail write.

Failed logins are written at once, by anonymous requests: unbounded, they
let anybody fill the trail.  Per source address, at most ``PER_SOURCE``
entries a minute are written (and at most ``OVERALL`` from all sources);
the failures past that are counted, and the source's next written entry
says how many were left out, so nothing is hidden, only aggregated.
The counts are per process; on an archive in PostgreSQL every host shares
them (``pgthrottle``).
"""

import threading
import time


WINDOW = 60.0  # seconds
PER_SOURCE = 20
OVERALL = 200
MAX_SOURCES = 10_000  # remembered at once; the oldest windows go first


class Throttle:
    def __init__(
        self,
        per_source=PER_SOURCE,
        overall=OVERALL,
        window=WINDOW,
        clock=time.monotonic,
    ):
        self.per_source = per_source
        self.overall = overall
        self.window = window
        self.clock = clock
        self.lock = threading.Lock()
        self.sources = {}  # source → [window start, written, left out]
        self.total = [clock(), 0]

    def reset(self):
        """Forget every count (tests)."""
        with self.lock:
            self.sources.clear()
            self.total = [self.clock(), 0]

    def admit(self, source):
        """``(write, left_out)``: whether to write an entry for this failure,
        and how many failures of ``source`` went unwritten before it."""
        now = self.clock()
        with self.lock:
            if now - self.total[0] >= self.window:
                self.total = [now, 0]
            state = self.sources.get(source)
            if state is None or now - state[0] >= self.window:
                left_out = state[2] if state is not None else 0
                state = self.sources[source] = [now, 0, left_out]
                self._forget_oldest()
            if state[1] >= self.per_source or self.total[1] >= self.overall:
                state[2] += 1
                return False, 0
            state[1] += 1
            self.total[1] += 1
            left_out, state[2] = state[2], 0
            return True, left_out

    def _forget_oldest(self):
        if len(self.sources) > MAX_SOURCES:
            oldest = sorted(self.sources, key=lambda s: self.sources[s][0])[
                : len(self.sources) - MAX_SOURCES
            ]
            for source in oldest:
                del self.sources[source]


failed_logins = Throttle()
