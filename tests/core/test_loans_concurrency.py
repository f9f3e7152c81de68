"""Two workstations booking the same item for the same days at the same instant: one booking
is saved, the others are refused with the overlap message, on SQLite and on PostgreSQL.

The window between the overlap check and the write is widened to 50 ms (a slow network, a
busy disk): without the lock of lending/locks.py, every writer passes the check and the item
ends up booked several times over."""

import threading
import time
from datetime import date

import pytest

from occe_bureau import lending
from occe_bureau.lending import loans
from occe_bureau.validation import ValidationError
from tests.core.loans_helpers import TODAY, book, d, make_coop, make_item

WRITERS = 4
DELAY = 0.05
STAGGER = 0.02


@pytest.fixture
def slow_check(monkeypatch):
    """The overlap check followed by 50 ms before the write."""
    original = loans.span_conflicts

    def slow(*args, **kwargs):
        found = original(*args, **kwargs)
        time.sleep(DELAY)
        return found

    monkeypatch.setattr(loans, "span_conflicts", slow)


def at_once(*actions):
    """Run the actions on threads released together, each 20 ms after the one before (so that
    a writer checks while the one before is between its check and its write, and another
    reads its slip number after the one before has committed: the unique slip number does
    not hide the race). Each outcome: ("saved", value), ("refused", the items message) or
    ("error", what went wrong)."""
    barrier = threading.Barrier(len(actions))
    outcomes = []

    def run(index, action):
        barrier.wait()
        time.sleep(index * STAGGER)
        try:
            outcomes.append(("saved", action()))
        except ValidationError as err:
            outcomes.append(("refused", err.errors.get("items", str(err.errors))))
        except Exception as err:  # noqa: BLE001 (a lock timeout, a deadlock: the test says it)
            outcomes.append(("error", repr(err)))

    threads = [threading.Thread(target=run, args=(index, action))
               for index, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes, key=lambda o: o[0])


def bookings_of(db, item_id: int, start: date, end: date) -> list[int]:
    return [c.slip_number for c in lending.find_conflicts(db, [item_id], start, end)]


def same_days_race(db):
    coops = [make_coop(db, f"92-0{100 + i}", f"École {i}") for i in range(WRITERS)]
    cam = make_item(db)

    def booking(coop):
        return lambda: book(db, coop, [cam], d(17), d(21))

    outcomes = at_once(*(booking(coop) for coop in coops))
    return outcomes, cam


def extension_race(db):
    a, b = make_coop(db), make_coop(db, "92-0200", "École Les Tilleuls")
    cam = make_item(db)
    first = book(db, a, [cam], d(17), d(21))
    outcomes = at_once(lambda: lending.extend_loan(db, first, d(28), today=TODAY),
                       lambda: book(db, b, [cam], d(24), d(26)))
    return outcomes, cam


def assert_one_saved(outcomes, db, cam):
    assert [kind for kind, _ in outcomes] == ["refused"] * (WRITERS - 1) + ["saved"], outcomes
    assert all("est déjà réservé" in message for kind, message in outcomes if kind == "refused")
    assert len(bookings_of(db, cam, d(17), d(21))) == 1


def test_same_item_same_days_from_four_workstations_on_sqlite(db, slow_check):
    outcomes, cam = same_days_race(db)
    assert_one_saved(outcomes, db, cam)


def test_same_item_same_days_from_four_workstations_on_postgresql(pg_db_migrated, slow_check):
    outcomes, cam = same_days_race(pg_db_migrated)
    assert_one_saved(outcomes, pg_db_migrated, cam)


def assert_extension_or_booking(outcomes, db, cam):
    assert [kind for kind, _ in outcomes] == ["refused", "saved"], outcomes
    lines = lending.find_conflicts(db, [cam], d(22), d(28))
    # Either the first booking now runs to the 28th, or the second one holds the 24th–26th:
    # never both.
    assert len(lines) == 1


def test_extension_and_booking_at_once_on_sqlite(db, slow_check):
    outcomes, cam = extension_race(db)
    assert_extension_or_booking(outcomes, db, cam)


def test_extension_and_booking_at_once_on_postgresql(pg_db_migrated, slow_check):
    outcomes, cam = extension_race(pg_db_migrated)
    assert_extension_or_booking(outcomes, pg_db_migrated, cam)


def test_writers_on_other_items_are_not_refused(db, slow_check):
    coops = [make_coop(db, f"92-0{100 + i}", f"École {i}") for i in range(WRITERS)]
    items = [make_item(db, f"CAM-0{i}") for i in range(WRITERS)]
    outcomes = at_once(*(lambda c=c, i=i: book(db, c, [i], d(17), d(21))
                         for c, i in zip(coops, items, strict=True)))
    assert [kind for kind, _ in outcomes] == ["saved"] * WRITERS, outcomes
    slips = sorted(lending.get_loan(db, loan_id).slip_number for _kind, loan_id in outcomes)
    assert slips == [1, 2, 3, 4]
