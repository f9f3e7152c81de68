"""The receipt chain on PostgreSQL with several workstations issuing at once: one line, no
fork, even when they issue in two different financial years (two counter rows: only the
chain's lock keeps them in one line)."""

import threading
from datetime import date

from sqlalchemy import text

from occe_bureau import gifts
from occe_bureau.db import Database
from tests.core.donations_helpers import gift, make_coop, person, setup_association

AUGUST, SEPTEMBER = date(2025, 8, 31), date(2025, 9, 1)  # the last day of 2024-2025, the first of 2025-2026
WORKSTATIONS, EACH = 4, 6
SURNAMES = ("Nowak", "Dupont", "Bernard", "Leroy", "Petit", "Garcia", "Moreau", "Fournier",
            "Girard", "Bonnet", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre",
            "Faure", "Andre", "Mercier", "Blanc", "Guerin", "Boyer", "Chevalier", "Robin", "Clement",
            "Morin", "Nicolas", "Henry", "Perrin", "Mathieu", "Gautier", "Masson", "Marchand",
            "Duval", "Denis")


def donor(i: int):
    return person(SURNAMES[i], "Eva", postal_code=f"92{100 + i}")


def test_workstations_issuing_at_once_keep_one_chain(pg_db_migrated):
    db = pg_db_migrated
    setup_association(db)
    coop = make_coop(db)
    ids = gifts.enter_request(db, coop, [
        gift(str(10 + i), on=date(2025, 8, 1), donor=donor(i))
        for i in range(WORKSTATIONS * EACH)], today=AUGUST)
    barrier = threading.Barrier(WORKSTATIONS)
    errors: list[BaseException] = []

    def workstation(k: int) -> None:
        mine = Database(db.url)  # a workstation: its own engine and connections
        try:
            barrier.wait()
            for gid in ids[k::WORKSTATIONS]:
                # half the workstations issue on 31 August, half on 1 September
                gifts.issue_receipt(mine, gid, today=AUGUST if k % 2 else SEPTEMBER)
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            mine.dispose()

    threads = [threading.Thread(target=workstation, args=(k,)) for k in range(WORKSTATIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    report = gifts.verify_receipt_chain(db)
    assert report.ok and report.receipts == WORKSTATIONS * EACH
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT year, seq, chain_prev, chain_hash FROM tax_receipt "
                                 "ORDER BY id")).all()
    assert len({r.chain_prev for r in rows}) == len(rows)  # no two receipts on one link: no fork
    for year in (2024, 2025):
        assert sorted(r.seq for r in rows if r.year == year) == list(range(1, WORKSTATIONS * EACH // 2 + 1))


def test_a_batch_and_single_issues_at_once_keep_one_chain(pg_db_migrated):
    db = pg_db_migrated
    setup_association(db)
    coop = make_coop(db)
    gifts.enter_request(db, coop, [gift(str(5 + i), on=date(2025, 8, 1), donor=donor(i))
                                   for i in range(30)], today=AUGUST)
    singles = gifts.enter_request(db, coop, [gift("9", on=date(2025, 8, 2), donor=donor(30 + i))
                                             for i in range(5)], today=AUGUST)
    batch = gifts.ReceiptBatch(db, gifts.BatchSelection(end=date(2025, 8, 1)), today=AUGUST)
    steps = batch.steps()
    next(steps)  # the batch's transaction is open
    next(steps)  # …and has issued its first receipt (the chain is locked until it commits)
    errors: list[BaseException] = []

    def other() -> None:
        mine = Database(db.url)
        try:
            for gid in singles:
                gifts.issue_receipt(mine, gid, today=AUGUST)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            mine.dispose()

    thread = threading.Thread(target=other)
    thread.start()
    for _ in steps:
        pass
    thread.join()
    assert not errors
    report = gifts.verify_receipt_chain(db)
    assert report.ok and report.receipts == 35
