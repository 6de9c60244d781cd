"""Reply letters (告知书 / 意见书): PDFs per second.

    .venv/bin/python benchmarks/reply_letters.py [--letters 500] [--cases 100]

Two figures:

* rendering alone: ``render_letter`` over the six kinds with bodies of one to
  six paragraphs (about a page each), letters per second;
* issuing in the site: ``issue_reply`` on real cases in a FileStorage
  instance (letter drafted from the case, rendered, stored as a Reply with
  its PDF blob and its first CMFEditions version, catalogued), committed
  every 20 letters, letters per second including the commits.
"""

from _site import bench_site
from datetime import date
from tests.helpers.cases import case_data

import argparse
import random
import statistics
import time


BODY = (
    "经调查核实，你反映的征地补偿款发放问题属实。村委会已于本月将剩余补偿款发放到位，"
    "并就延迟发放向村民作出说明。"
)


def render_alone(count, rng):
    from xinfang_archive.documents.letters import default_rights
    from xinfang_archive.documents.letters import Letter
    from xinfang_archive.documents.letters import LETTER_KINDS
    from xinfang_archive.documents.letters import render_letter

    kinds = sorted(LETTER_KINDS)
    timings, sizes = [], []
    for number in range(count):
        kind = kinds[number % len(kinds)]
        letter = Letter(
            kind=kind,
            document_number=f"城信复〔2024〕{number + 1}号",
            addressee="张三：",
            issuing_unit="城西县信访局",
            date=date(2024, 5, 6),
            body=[BODY] * rng.randint(1, 6),
            outcome="解释说明" if kind.endswith("opinion") else None,
            rights=default_rights(kind),
            registration_number=f"XF-2024-{number + 1:06d}",
        )
        started = time.perf_counter()
        sizes.append(len(render_letter(letter)))
        timings.append(time.perf_counter() - started)
    return timings, sizes


def issue_in_site(cases, rng):
    from plone import api
    from plone.dexterity.utils import createContentInContainer
    from xinfang_archive.documents.reply_letters import issue_reply

    import transaction

    with bench_site() as (_app, site):
        made = [
            createContentInContainer(site["cases"], "PetitionCase", **case_data())
            for _ in range(cases)
        ]
        transaction.commit()
        started = time.perf_counter()
        for number, case in enumerate(made):
            issue_reply(
                case,
                "acceptance_notice",
                f"城信受〔2024〕{number + 1}号",
                body=[BODY] * rng.randint(1, 4),
            )
            if number % 20 == 19:
                transaction.commit()
        transaction.commit()
        elapsed = time.perf_counter() - started
        replies = len(
            api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
                portal_type="Reply"
            )
        )
        return elapsed, replies


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=500)
    parser.add_argument("--cases", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(5)

    render_alone(6, rng)  # font registration and imports are not part of a letter
    timings, sizes = render_alone(args.letters, rng)
    total = sum(timings)
    print(
        f"render_letter: {args.letters} letters in {total:.2f} s = {args.letters / total:.1f} letters/s "
        f"(p50 {statistics.median(timings) * 1000:.1f} ms, "
        f"p95 {sorted(timings)[int(len(timings) * 0.95)] * 1000:.1f} ms, "
        f"{statistics.mean(sizes) / 1024:.0f} KB each)"
    )
    elapsed, replies = issue_in_site(args.cases, rng)
    print(
        f"issue_reply in the site: {args.cases} letters in {elapsed:.2f} s = {args.cases / elapsed:.1f} letters/s "
        f"(stored, versioned, catalogued; {replies} replies in the catalog)"
    )


if __name__ == "__main__":
    main()
