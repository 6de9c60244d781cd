"""Registration numbers under concurrent creation: never duplicated, never skipped.

Two clients, each a thread with its own connection, transaction, site hook,
security context and index queue (like two threads of the web server),
create a case from the same database snapshot and commit.  The counter has no
conflict resolution, so the second commit conflicts and is retried, as Zope's
publisher retries it, and gets the next number.
"""

from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import noSecurityManager
from concurrent.futures import ThreadPoolExecutor
from plone.app.testing import SITE_OWNER_NAME
from plone.dexterity.utils import createContentInContainer
from tests.helpers.cases import case_data
from ZODB.POSException import ConflictError
from zope.component.hooks import setSite

import itertools
import pytest
import transaction


class Client:
    def __init__(self, db):
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.conn = self.run(db.open)

    def run(self, fn, *args):
        return self.pool.submit(fn, *args).result()

    def create_case(self, title):
        def work():
            transaction.begin()
            app = self.conn.root()["Application"]
            site = app["plone"]
            setSite(site)
            user = app.acl_users.getUser(SITE_OWNER_NAME)
            newSecurityManager(None, user.__of__(app.acl_users))
            case = createContentInContainer(
                site["cases"], "PetitionCase", **case_data(title=title)
            )
            return case.registration_number

        return self.run(work)

    def file_case(self, path, user_id):
        """File the case at ``path`` as ``user_id``; returns its archival code."""

        def work():
            transaction.begin()
            app = self.conn.root()["Application"]
            site = app["plone"]
            setSite(site)
            user = site.acl_users.getUser(user_id)
            newSecurityManager(None, user.__of__(site.acl_users))
            case = site.unrestrictedTraverse(path)
            site.portal_workflow.doActionFor(case, "file")
            return case.archival_code

        return self.run(work)

    def do(self, fn):
        """``fn(site)`` in this client's own transaction, committed."""

        def work():
            transaction.begin()
            site = self.conn.root()["Application"]["plone"]
            setSite(site)
            result = fn(site)
            transaction.commit()
            return result

        return self.run(work)

    def commit(self):
        self.run(transaction.commit)

    def abort(self):
        self.run(transaction.abort)

    def close(self):
        def work():
            transaction.abort()
            self.conn.close()
            setSite(None)
            noSecurityManager()

        self.run(work)
        self.pool.shutdown()


@pytest.fixture()
def clients(functional_app, functional_portal):
    db = functional_app._p_jar.db()
    transaction.commit()
    pair = Client(db), Client(db)
    yield pair
    for client in pair:
        client.close()


def committed_numbers(portal):
    transaction.begin()  # see what the clients committed
    catalog = portal.portal_catalog
    return sorted(
        b.registration_number
        for b in catalog.unrestrictedSearchResults(portal_type="PetitionCase")
    )


def test_concurrent_registrations_get_distinct_numbers(clients, functional_portal):
    first, second = clients
    number_1 = first.create_case("甲")
    number_2 = second.create_case("乙")
    assert number_1 == number_2  # same snapshot, same candidate number
    first.commit()
    with pytest.raises(ConflictError):
        second.commit()
    second.abort()
    retried = second.create_case("乙")  # what the publisher does on ConflictError
    second.commit()
    assert int(retried.rsplit("-", 1)[1]) == int(number_1.rsplit("-", 1)[1]) + 1
    assert committed_numbers(functional_portal) == sorted([number_1, retried])


def test_many_interleaved_registrations_stay_gap_free(clients, functional_portal):
    first, second = clients
    committed = []
    for round_ in range(5):
        a = first.create_case(f"甲{round_}")
        b = second.create_case(f"乙{round_}")
        first.commit()
        committed.append(a)
        try:
            second.commit()
            committed.append(b)
        except ConflictError:
            second.abort()
            committed.append(second.create_case(f"乙{round_}"))
            second.commit()
    sequence = sorted(int(n.rsplit("-", 1)[1]) for n in committed)
    assert sequence == list(range(1, 11))
    assert committed_numbers(functional_portal) == sorted(committed)


@pytest.fixture()
def closed_cases(functional_portal, staff_users):
    """Three committed closed cases of one unit (so one numbering group)."""
    from plone import api
    from plone.app.testing import setRoles
    from plone.app.testing import TEST_USER_ID
    from tests.helpers.archival import add_document
    from tests.helpers.archival import close_case

    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    paths = []
    for title in ("甲", "乙", "丙"):
        case = createContentInContainer(
            functional_portal["cases"], "PetitionCase", **case_data(title=title)
        )
        add_document(case)
        close_case(case)
        paths.append("/".join(case.getPhysicalPath()))
    transaction.commit()
    assert all(
        api.content.get_state(functional_portal.unrestrictedTraverse(p)) == "closed"
        for p in paths
    )
    return paths


def test_two_archivists_filing_at_once_never_duplicate_or_skip(
    clients, closed_cases, functional_portal
):
    """Both take item 1 from the same snapshot; the second commit conflicts,
    is retried (as the publisher retries) and takes item 2; the third goes on."""
    first, second = clients
    code_1 = first.file_case(closed_cases[0], "archivist")
    code_2 = second.file_case(closed_cases[1], "archivist")
    assert code_1 == code_2  # the same candidate number
    first.commit()
    with pytest.raises(ConflictError):
        second.commit()
    second.abort()
    retried = second.file_case(closed_cases[1], "archivist")
    second.commit()
    third = first.file_case(closed_cases[2], "archivist")
    first.commit()
    items = [int(code.rsplit("-", 1)[1]) for code in (code_1, retried, third)]
    assert items == [1, 2, 3]
    transaction.begin()
    catalog = functional_portal.portal_catalog
    filed = sorted(
        b.archival_code
        for b in catalog.unrestrictedSearchResults(
            portal_type="PetitionCase", review_state="filed"
        )
    )
    assert filed == sorted([code_1, retried, third])


def registration_met_by_another(site, other, attempts, theirs):
    """The command line's unit of work: a registration, during whose first
    attempt ``other`` registers and commits (so that attempt conflicts)."""
    from plone import api

    def work():
        case = api.content.create(
            container=site["cases"],
            type="PetitionCase",
            **case_data(title=f"命令行{len(attempts)}"),
        )
        if not attempts:  # another writer commits in between, once
            theirs.append(other.create_case("网页"))
            other.commit()
        attempts.append(case.registration_number)
        return case.registration_number

    return work


def test_commit_retrying_does_the_work_again_after_a_real_conflict(clients, site):
    """The command line's unit of work meets a registration committed by
    another client between its work and its commit: the commit conflicts,
    the work is done again on fresh state and gets the next number."""
    from xinfang_archive.retry import commit_retrying

    first, _second = clients
    attempts, theirs = [], []

    work = registration_met_by_another(site, first, attempts, theirs)

    mine = commit_retrying(work, "test: registration from the command line")
    assert (
        len(attempts) == 2 and attempts[0] == theirs[0]
    )  # the first attempt was refused
    assert int(mine.rsplit("-", 1)[1]) == int(theirs[0].rsplit("-", 1)[1]) + 1
    assert committed_numbers(site) == sorted([theirs[0], mine])


def test_a_retried_unit_sees_what_the_site_committed_during_the_pause(clients, site):
    """The web registers a case while the command line pauses after a
    conflict: the next attempt must see it (a view fixed at the abort, before
    the pause, would lose to it again) and commits at its second attempt."""
    from xinfang_archive.retry import commit_retrying

    first, second = clients
    attempts, theirs = [], []

    work = registration_met_by_another(site, first, attempts, theirs)

    def pause(_seconds):
        if len(theirs) == 1:  # once: another registration while the command waits
            theirs.append(second.create_case("网页（暂停时）"))
            second.commit()

    mine = commit_retrying(
        work, "test: registration from the command line", sleep=pause
    )
    assert len(attempts) == 2, attempts
    assert int(mine.rsplit("-", 1)[1]) == int(theirs[1].rsplit("-", 1)[1]) + 1
    assert committed_numbers(site) == sorted([*theirs, mine])


def test_a_unit_is_tried_for_the_whole_patience_then_the_conflict_is_raised(
    site, capsys
):
    """A unit that always conflicts is tried for the whole patience (more than
    the least number of attempts), with pauses that grow but stay short, says
    once that the site is busy, then raises the conflict; nothing of it stays."""
    from xinfang_archive.retry import ATTEMPTS
    from xinfang_archive.retry import commit_retrying
    from xinfang_archive.retry import LONGEST_PAUSE

    now, tries = [0.0], []

    def work():
        tries.append(now[0])
        site.title = "不应保存"
        raise ConflictError("busy")

    def pause(seconds):
        now[0] += seconds

    title = site.title
    with pytest.raises(ConflictError):
        commit_retrying(
            work, "test: busy", patience=60, clock=lambda: now[0], sleep=pause
        )
    assert len(tries) > ATTEMPTS
    assert tries[-2] < 60 <= tries[-1]
    gaps = [later - earlier for earlier, later in itertools.pairwise(tries)]
    assert gaps[0] <= 0.2 and max(gaps) <= 2 * LONGEST_PAUSE  # short at first, capped
    assert capsys.readouterr().err.count("网站正忙") == 1
    transaction.begin()
    assert site.title == title


def test_a_unit_that_commits_after_many_conflicts_returns_its_result(site):
    """Twenty conflicts in a row (a busy site) do not make the command fail."""
    from xinfang_archive.retry import commit_retrying

    now, tries = [0.0], []

    def work():
        tries.append(now[0])
        if len(tries) <= 20:
            raise ConflictError("busy")
        site.description = "第二十一次"
        return len(tries)

    def pause(seconds):
        now[0] += seconds

    assert commit_retrying(work, "test: busy", clock=lambda: now[0], sleep=pause) == 21
    transaction.begin()
    assert site.description == "第二十一次"


def test_an_import_batch_met_by_a_concurrent_writer_is_written_again_whole(
    clients, site, tmp_path, caplog
):
    """A batch of an import whose commit conflicts (another client took a
    number of the same year meanwhile) is aborted and written again: every
    case is in once, the other client's number is never given twice."""
    from tests.helpers.exchange import exchange_document
    from tests.helpers.exchange import legacy_case
    from xinfang_archive.content.registration import next_sequence
    from xinfang_archive.exchange.importer import IMPORTED
    from xinfang_archive.exchange.importer import Importer

    numbers = [f"XF-2021-{n:06d}" for n in (3, 7, 9, 12, 15)]
    source = tmp_path / "legacy.xml"
    source.write_bytes(exchange_document(*(legacy_case(number) for number in numbers)))
    fired = []

    def concurrent_registration():
        fired.append(first.do(lambda site: next_sequence(2021, site=site)))

    first, _second = clients
    transaction.get().addBeforeCommitHook(concurrent_registration)
    with caplog.at_level("INFO", logger="xinfang_archive.exchange"):
        report = Importer(site, commit_every=3).run([source])
    assert fired == [1]  # the other client took 2021's number 1, once
    assert "written again" in caplog.text  # the first batch's commit conflicted
    assert report.rewritten == 1  # and the report counts it
    assert report.count(IMPORTED) == 5 and len(report.outcomes) == 5, report.outcomes
    transaction.begin()
    catalog = site.portal_catalog
    imported = sorted(
        b.registration_number
        for b in catalog.unrestrictedSearchResults(
            portal_type="PetitionCase", registration_number=numbers
        )
    )
    assert imported == numbers
    assert next_sequence(2021, site=site) == 16  # above every number taken
    transaction.abort()
