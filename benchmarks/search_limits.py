"""Time to refuse an abusive search query (issue 15).

    .venv/bin/python benchmarks/search_limits.py

An anonymous visitor's 250 KB query once held a worker and a core for
minutes.  The query language now refuses it before any work; this prints
how long the refusal takes in ``build_query``, the function the page and
the REST service share, for a 250 KB query, too many words and too many
operators (median and maximum of 200 runs each).
"""

from xinfang_archive.search.searching import build_query
from xinfang_archive.search.searching import SearchError

import time


def timed(query, runs=200):
    times = []
    for _i in range(runs):
        started = time.perf_counter()
        try:
            build_query(query)
        except SearchError:
            pass
        else:
            raise SystemExit(f"not refused: {query[:40]}…")
        times.append(time.perf_counter() - started)
    times.sort()
    return times[len(times) // 2], times[-1]


def main():
    words = " ".join(
        ["拆迁补偿"] * 20_000
    )  # 4 Han characters and a space: 13 bytes a word
    cases = {
        f"{len(words.encode()) / 1000:.0f} KB query": words,
        "33 words": " ".join(f"词{i}" for i in range(33)),
        "34 operators": "a" + " OR NOT b" * 17,
    }
    for label, query in cases.items():
        median, worst = timed(query)
        print(
            f"{label}: refused in {median * 1e6:.0f} µs (median), {worst * 1e6:.0f} µs (max)"
        )


if __name__ == "__main__":
    main()
