"""Rate limits of the result query, against guessing codes.

Two sliding windows, checked before any lookup:

* per client: at most ``PER_CLIENT`` attempts in ``CLIENT_WINDOW`` seconds
  (10 in 10 minutes) from one address;
* for everyone together: at most ``GLOBAL`` attempts in ``GLOBAL_WINDOW``
  seconds (300 a minute), so that rotating addresses gains little.

An attempt over a limit is refused (429 with Retry-After) and not counted,
so Retry-After is exact and a client that waits is served again. The
global cap means an attacker can make the query unavailable for a minute
at a time; it is the price of bounding guesses: at 300 a minute a year of
guessing (1.6·10⁸ attempts) finds one of a million 59.5-bit codes with a
chance of about 2·10⁻⁴.

The client is ``request.getClientAddr()``: the peer's address, or the
``X-Forwarded-For`` entry that Zope's ``trusted-proxy`` setting vouches for
(set it when serving behind a proxy, or every visitor shares the proxy's
limit). IPv6 clients are counted per /64 network, the block one subscriber
usually gets, as addresses inside it cost an attacker nothing.

A served instance counts in ``var/ratelimit.sqlite``, shared by all its
application processes (``sharedlimit``): the limits hold once for
``serve --processes N``, and across restarts.  ``RateLimiter`` below counts
in one process's memory (a lock makes it thread-safe): the test layers,
which serve no instance, use it.  Its counters stay small: only allowed attempts are kept, so
the global cap bounds them (at most ``GLOBAL × CLIENT_WINDOW / GLOBAL_WINDOW``
timestamps), and clients that stopped are swept out once a minute. The
limits are constants; the clock is injectable (``LIMITER.clock``, then
``LIMITER.reset()``) so that tests never sleep.
"""

from collections import deque

import ipaddress
import math
import threading
import time


PER_CLIENT = 10
CLIENT_WINDOW = 600  # seconds
GLOBAL = 300
GLOBAL_WINDOW = 60  # seconds


def client_key(address):
    """The key an address is counted under: itself, its /64 for IPv6."""
    address = (address or "").strip()
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class RateLimiter:
    def __init__(
        self,
        per_client=PER_CLIENT,
        client_window=CLIENT_WINDOW,
        global_limit=GLOBAL,
        global_window=GLOBAL_WINDOW,
        clock=time.monotonic,
    ):
        self.per_client = per_client
        self.client_window = client_window
        self.global_limit = global_limit
        self.global_window = global_window
        self.clock = clock
        self._lock = threading.Lock()
        self._clients = {}
        self._all = deque()
        self._swept = clock()

    def reset(self):
        with self._lock:
            self._clients.clear()
            self._all.clear()
            self._swept = self.clock()

    @staticmethod
    def _expire(times, horizon):
        while times and times[0] <= horizon:
            times.popleft()

    def hit(self, address):
        """Count an attempt from ``address``: None when it may go ahead,
        else the whole seconds to wait (the attempt is then not counted)."""
        key = client_key(address)
        with self._lock:
            now = self.clock()
            self._expire(self._all, now - self.global_window)
            times = self._clients.get(key)
            if times is not None:
                self._expire(times, now - self.client_window)
                if not times:
                    del self._clients[key]
                    times = None
            waits = []
            if times is not None and len(times) >= self.per_client:
                waits.append(times[0] + self.client_window - now)
            if len(self._all) >= self.global_limit:
                waits.append(self._all[0] + self.global_window - now)
            if waits:
                return max(1, math.ceil(max(waits)))
            if times is None:
                times = self._clients[key] = deque()
            times.append(now)
            self._all.append(now)
            if now - self._swept >= self.global_window:
                self._sweep(now)
            return None

    def _sweep(self, now):
        """Drop the clients whose attempts are all out of their window
        (once a global window: a client that never comes back is forgotten)."""
        self._swept = now
        horizon = now - self.client_window
        for key in [
            k for k, times in self._clients.items() if not times or times[-1] <= horizon
        ]:
            del self._clients[key]


LIMITER = RateLimiter()
