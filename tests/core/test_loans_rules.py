"""The lending rules: overlaps, states that block, returns, extensions, transfers, reminders."""

from datetime import date

import pytest
from sqlalchemy import select, text

from occe_bureau import lending
from occe_bureau.lending import checks
from occe_bureau.lending import ItemState, LineStatus, LoanStatus
from occe_bureau.lending.models import Loan
from occe_bureau.coops import register as coop_svc
from occe_bureau.lending import conflicts as loan_conflicts
from occe_bureau.validation import ValidationError
from tests.core.loans_helpers import TODAY, book, d, lend, make_coop, make_item


@pytest.fixture
def desk(db):
    a = make_coop(db)
    b = make_coop(db, "92-0200", "École maternelle Les Tilleuls", commune="Antony")
    cam = make_item(db)
    box = make_item(db, "JC-01", "Malle jeux coopératifs physiques", "Jeux coopératifs", days=21,
                    value=30000, accessories="20 foulards\nparachute 6 m\nfiche d'animation")
    return db, a, b, cam, box


def loan_count(db) -> int:
    with db.session() as s:
        return len(s.scalars(select(Loan.id)).all())


def test_categories_are_seeded_with_the_kinds_of_the_reports(db):
    names = [c.name for c in lending.list_categories(db)]
    assert names[:3] == ["Jeux coopératifs", "Précinéma", "Matériel de prise de vue et de son"]
    assert "Mallettes pédagogiques" in names and "Lotos" in names


def test_lend_two_items_they_are_out_with_a_slip_number(desk):
    db, a, b, cam, box = desk
    loan_id = lend(db, a, [cam, box], d(3), d(14))
    loan = lending.get_loan(db, loan_id)
    assert loan.status == LoanStatus.OUT and loan.slip_number == 1
    assert [l.code for l in loan.lines] == ["CAM-01", "JC-01"]
    rows = {r.code: r for r in lending.list_items(db, today=TODAY)}
    assert rows["CAM-01"].situation == lending.SIT_OUT
    assert rows["CAM-01"].situation_label == "Sorti jusqu'au 14/03/2025 – 92-0100 – École élémentaire Jean Jaurès"


def test_overlap_is_refused_with_the_other_coop_and_dates(desk):
    db, a, b, cam, box = desk
    lend(db, a, [cam], d(3), d(14))
    with pytest.raises(ValidationError) as err:
        book(db, b, [cam], d(13), d(20))
    message = err.value.errors["items"]
    assert "92-0100 – École élémentaire Jean Jaurès" in message
    assert "du 03/03/2025 au 14/03/2025" in message and "bon n° 00001" in message
    assert loan_count(db) == 1


def test_back_to_back_is_allowed_and_one_day_loans_are_valid(desk):
    db, a, b, cam, box = desk
    lend(db, a, [cam], d(3), d(14))
    book(db, b, [cam], d(14), d(20))  # starts the day the first one ends
    book(db, a, [cam], d(21), d(21))  # one day
    book(db, b, [cam], d(21), d(25))  # starts the day the one-day loan ends
    with pytest.raises(ValidationError):
        book(db, a, [cam], d(19), d(19))  # a one-day loan inside another one
    book(db, a, [box], d(27), d(27))
    with pytest.raises(ValidationError, match="du 27/03/2025 au 27/03/2025"):
        book(db, b, [box], d(27), d(27))  # the same box at two schools on one day
    with pytest.raises(ValidationError):
        book(db, a, [cam], d(10), d(30))  # covering everything
    assert loan_count(db) == 5


def test_due_before_start_and_missing_fields_are_refused(desk):
    db, a, b, cam, box = desk
    with pytest.raises(ValidationError) as err:
        lend(db, a, [cam], d(5), d(4))
    assert "avant la date de départ" in err.value.errors["due_date"]
    with pytest.raises(ValidationError) as err:
        lending.create_loan(db, lending.LoanData(start_date=d(5), due_date=d(6)), today=TODAY)
    assert {"coop_id", "items", "borrower"} <= set(err.value.errors)
    with pytest.raises(ValidationError) as err:
        lend(db, a, [cam], d(12), d(20))  # the items cannot leave in the future
    assert "réservation" in err.value.errors["start_date"]
    assert loan_count(db) == 0


@pytest.mark.parametrize("state", [ItemState.MAINTENANCE, ItemState.LOST, ItemState.RETIRED])
def test_items_in_maintenance_lost_or_retired_cannot_be_lent(desk, state):
    db, a, b, cam, box = desk
    lending.set_item_state(db, cam, state)
    with pytest.raises(ValidationError) as err:
        lend(db, a, [cam, box], d(3), d(14))
    assert "CAM-01" in err.value.errors["items"] and "ne peut pas être prêté" in err.value.errors["items"]
    assert loan_count(db) == 0


def test_item_in_maintenance_can_be_booked_but_not_checked_out(desk):
    db, a, b, cam, box = desk
    lending.set_item_state(db, cam, ItemState.MAINTENANCE)
    booking = book(db, a, [cam], d(10), d(14))
    with pytest.raises(ValidationError, match="maintenance"):
        lending.check_out_booking(db, booking, today=TODAY)
    lending.set_item_state(db, cam, ItemState.AVAILABLE)
    lending.check_out_booking(db, booking, today=TODAY)
    assert lending.get_loan(db, booking).status == LoanStatus.OUT


def test_archived_coop_cannot_borrow(desk):
    db, a, b, cam, box = desk
    coop_svc.set_archived(db, b, True)
    with pytest.raises(ValidationError) as err:
        lend(db, b, [cam], d(3), d(14))
    assert "archivée" in err.value.errors["coop_id"]


def test_an_item_still_out_cannot_leave_again_even_after_its_due_date(desk):
    db, a, b, cam, box = desk
    lend(db, a, [cam], d(1), d(5))  # overdue on 10 March
    with pytest.raises(ValidationError) as err:
        lend(db, b, [cam], d(10), d(12))
    assert "n'est pas revenu" in err.value.errors["items"] and "92-0100" in err.value.errors["items"]


def test_partial_return_then_full_return_closes_the_loan(desk):
    db, a, b, cam, box = desk
    loan_id = lend(db, a, [cam, box], d(3), d(14))
    lending.return_items(db, loan_id, [lending.ReturnData(cam, d(7), "Bon état", "carte SD")], today=TODAY)
    loan = lending.get_loan(db, loan_id)
    assert loan.status == LoanStatus.OUT
    cam_line = next(l for l in loan.lines if l.item_id == cam)
    assert (cam_line.status, cam_line.returned_on, cam_line.missing_accessories) == (
        LineStatus.RETURNED, d(7), "carte SD")
    # the camera is free again from the day it came back
    lend(db, b, [cam], d(7), d(9))
    lending.return_items(db, loan_id, [lending.ReturnData(box, d(10), damaged=True)], today=TODAY)
    assert lending.get_loan(db, loan_id).status == LoanStatus.CLOSED
    assert lending.get_item(db, box).data.state == ItemState.MAINTENANCE


def test_return_before_start_or_in_the_future_is_refused(desk):
    db, a, b, cam, box = desk
    loan_id = lend(db, a, [cam], d(3), d(14))
    with pytest.raises(ValidationError) as err:
        lending.return_items(db, loan_id, [lending.ReturnData(cam, d(2))], today=TODAY)
    assert "avant la date de départ" in err.value.errors["returned_on"]
    with pytest.raises(ValidationError) as err:
        lending.return_items(db, loan_id, [lending.ReturnData(cam, d(11))], today=TODAY)
    assert "futur" in err.value.errors["returned_on"]
    assert lending.get_loan(db, loan_id).lines[0].status == LoanStatus.OUT


def test_extend_checks_the_next_booking(desk):
    db, a, b, cam, box = desk
    loan_id = lend(db, a, [cam], d(3), d(14))
    book(db, b, [cam], d(20), d(25))
    lending.extend_loan(db, loan_id, d(20))  # back-to-back with the booking
    assert lending.get_loan(db, loan_id).due_date == d(20)
    with pytest.raises(ValidationError) as err:
        lending.extend_loan(db, loan_id, d(22))
    assert "92-0200" in err.value.errors["items"] and "du 20/03/2025 au 25/03/2025" in err.value.errors["items"]
    with pytest.raises(ValidationError):
        lending.extend_loan(db, loan_id, d(1))
    assert lending.get_loan(db, loan_id).due_date == d(20)


def test_transfer_closes_the_first_loan_and_opens_the_next_the_same_day(desk):
    db, a, b, cam, box = desk
    first = lend(db, a, [box], d(1), d(10))
    second = lending.transfer_loan(db, first, lending.TransferData(
        coop_id=b, borrower="Mme Fatou Traoré", on=d(10), due_date=d(24)), today=TODAY)
    old, new = lending.get_loan(db, first), lending.get_loan(db, second)
    assert old.status == LoanStatus.CLOSED and old.lines[0].returned_on == d(10)
    assert old.lines[0].transferred_to_loan_id == second
    assert old.lines[0].condition == lending.CONDITION_TRANSFER
    assert (new.status, new.coop_id, new.start_date, new.slip_number) == (LoanStatus.OUT, b, d(10), 2)


def test_transfer_to_an_existing_booking_checks_it_out(desk):
    db, a, b, cam, box = desk
    first = lend(db, a, [box], d(1), d(10))
    booking = book(db, b, [box], d(10), d(24))
    result = lending.transfer_loan(db, first, lending.TransferData(on=d(10), booking_id=booking), today=TODAY)
    assert result == booking
    assert lending.get_loan(db, booking).status == LoanStatus.OUT
    assert lending.get_loan(db, first).status == LoanStatus.CLOSED


def test_transfer_is_all_or_nothing(desk):
    db, a, b, cam, box = desk
    first = lend(db, a, [box], d(1), d(10))
    book(db, a, [box], d(15), d(20))  # the next loan would overlap this booking
    with pytest.raises(ValidationError):
        lending.transfer_loan(db, first, lending.TransferData(coop_id=b, borrower="X", on=d(10), due_date=d(18)),
                     today=TODAY)
    assert lending.get_loan(db, first).status == LoanStatus.OUT
    assert loan_count(db) == 2


def test_cancelled_booking_is_kept_and_its_number_never_reused(desk):
    db, a, b, cam, box = desk
    booking = book(db, a, [cam], d(20), d(25))
    lending.cancel_booking(db, booking, "Sortie annulée")
    assert lending.get_loan(db, booking).status == LoanStatus.CANCELLED
    book(db, b, [cam], d(20), d(25))  # the dates are free again
    third = lend(db, a, [box], d(3), d(4))
    assert lending.get_loan(db, third).slip_number == 3
    with db.engine.begin() as conn, pytest.raises(Exception):
        conn.execute(text("UPDATE loan SET slip_number = 1 WHERE slip_number = 2"))


def test_lost_item_and_reminders(desk):
    db, a, b, cam, box = desk
    loan_id = lend(db, a, [cam, box], d(1), d(5))
    assert [r.id for r in lending.overdue_loans(db, today=TODAY)] == [loan_id]
    assert lending.overdue_loans(db, today=TODAY)[0].days_late == 5
    assert lending.record_reminder(db, loan_id, d(8)) == 1
    assert lending.record_reminder(db, loan_id, d(10)) == 2
    row = lending.overdue_loans(db, today=TODAY)[0]
    assert (row.reminders, row.last_reminder) == (2, d(10))
    assert lending.get_loan(db, loan_id).reminders == [d(8), d(10)]
    lending.mark_lost(db, loan_id, cam, d(9), "Oubliée dans le car", today=TODAY)
    assert lending.get_item(db, cam).data.state == ItemState.LOST
    lending.return_items(db, loan_id, [lending.ReturnData(box, d(10))], today=TODAY)
    assert lending.overdue_loans(db, today=TODAY) == []
    with pytest.raises(ValidationError):
        lend(db, b, [cam], d(10), d(12))


def test_markup_and_very_long_text(desk):
    db, a, b, cam, box = desk
    loan_id = lending.create_loan(db, lending.LoanData(
        coop_id=a, borrower="<b>Zoé</b> Łukasz-Øster", start_date=d(3), due_date=d(4),
        notes="<script>alert(1)</script> & co", item_ids=[cam]), today=TODAY)
    loan = lending.get_loan(db, loan_id)
    assert loan.borrower == "<b>Zoé</b> Łukasz-Øster"
    with pytest.raises(ValidationError) as err:
        lending.create_loan(db, lending.LoanData(coop_id=a, borrower="x" * 151, start_date=d(5),
                                         due_date=d(6), notes="y" * 4001, item_ids=[box]),
                        today=TODAY)
    assert "150 au plus" in err.value.errors["borrower"] and "4000 au plus" in err.value.errors["notes"]
    with pytest.raises(ValidationError) as err:
        make_item(db, code="<b>X</b>", name="Y")
    assert "balises" in err.value.errors["code"]


def test_item_code_is_unique_and_states_block_retiring_an_item_out(desk):
    db, a, b, cam, box = desk
    with pytest.raises(ValidationError) as err:
        make_item(db, code="cam-01")
    assert "Caméra HD" in err.value.errors["code"]
    lend(db, a, [cam], d(3), d(14))
    with pytest.raises(ValidationError, match="en prêt"):
        lending.set_item_state(db, cam, ItemState.RETIRED)


def test_inventory_situations_and_filters(desk):
    db, a, b, cam, box = desk
    lost = make_item(db, "LOTO-01", "Loto des animaux", "Lotos", days=21)
    lending.set_item_state(db, lost, ItemState.LOST)
    lend(db, a, [cam], d(1), d(5))
    book(db, b, [box], d(20), d(30))
    rows = {r.code: r for r in lending.list_items(db, today=TODAY)}
    assert rows["CAM-01"].situation == lending.SIT_OVERDUE and rows["CAM-01"].days_late == 5
    assert "En retard de 5 jours" in rows["CAM-01"].situation_label
    assert rows["JC-01"].situation == lending.SIT_FREE and rows["JC-01"].next_booking_start == d(20)
    assert rows["LOTO-01"].situation == ItemState.LOST
    pick = lambda sit: [r.code for r in lending.list_items(db, lending.ItemFilter(situation=sit), TODAY)]
    assert pick(lending.SIT_OVERDUE) == ["CAM-01"]
    assert pick(lending.SIT_OUT) == ["CAM-01"]
    assert pick(lending.SIT_BOOKED) == ["JC-01"]
    assert pick(lending.SIT_FREE) == ["JC-01"]
    jeux = next(c.id for c in lending.list_categories(db) if c.name == "Jeux coopératifs")
    jeux_filter = lending.ItemFilter(category_id=jeux)
    assert [r.code for r in lending.list_items(db, jeux_filter, TODAY)] == ["JC-01"]


def test_planning_shows_out_booked_and_overdue(desk):
    db, a, b, cam, box = desk
    lend(db, a, [cam], d(1), d(5))
    book(db, b, [box], d(20), d(30))
    rows = {r.code: r for r in lending.planning_grid(db, TODAY, 28, today=TODAY)}
    assert rows["CAM-01"].on(TODAY).kind == lending.SIT_OVERDUE
    assert rows["JC-01"].on(d(19)) is None and rows["JC-01"].on(d(20)).kind == LoanStatus.BOOKED
    assert "92-0200" in rows["JC-01"].on(d(25)).coop


def test_categories_can_be_added_renamed_and_hidden(db):
    cid = lending.add_category(db, "Expositions")
    with pytest.raises(ValidationError, match="existe déjà"):
        lending.add_category(db, "lotos")
    lending.rename_category(db, cid, "Expositions itinérantes")
    lending.set_category_archived(db, cid, True)
    assert "Expositions itinérantes" not in [c.name for c in lending.list_categories(db)]
    assert "Expositions itinérantes" in [c.name for c in
                                         lending.list_categories(db, include_archived=True)]


def test_default_due_date_uses_the_longest_default_length(desk):
    db, a, b, cam, box = desk
    assert lending.default_due_date(db, [cam], d(3)) == d(16)  # 14 days, both counted
    assert lending.default_due_date(db, [cam, box], d(3)) == d(23)


@pytest.mark.sqlite_only  # reads SQLite's own query plan
def test_overlap_check_uses_the_span_index(desk):
    """EXPLAIN the very query span_conflicts runs (compiled from loan_conflicts.span_query)."""
    db, a, b, cam, box = desk
    lend(db, a, [cam], d(1), d(5))
    dialect = db.engine.dialect
    for start, end, exclude in ((d(10), d(20), ()), (d(12), d(12), ()), (d(3), d(9), (1,))):
        query = loan_conflicts.span_query(cam, start, end, exclude)
        sql = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        with db.engine.connect() as conn:
            plan = " ".join(str(r) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
        assert "loan_line USING INDEX ix_loan_line_item_span" in plan, (sql, plan)


def test_a_slip_number_taken_meanwhile_is_retried_not_reused(desk, monkeypatch):
    db, a, b, cam, box = desk
    lend(db, a, [cam], d(3), d(4))
    real = checks.next_slip_number
    calls = []

    def stale(session):  # the first try sees the number another workstation just took
        calls.append(1)
        return 1 if len(calls) == 1 else real(session)

    monkeypatch.setattr(checks, "next_slip_number", stale)
    second = lend(db, b, [box], d(3), d(4))
    assert lending.get_loan(db, second).slip_number == 2 and len(calls) == 2
    assert loan_count(db) == 2


def test_editing_an_item_out_to_maintenance_is_refused_until_it_is_back(desk):
    db, a, b, cam, box = desk
    loan_id = lend(db, a, [cam], d(3), d(9))
    data = lending.get_item(db, cam).data
    data.state = ItemState.MAINTENANCE
    with pytest.raises(ValidationError, match="en prêt"):
        lending.update_item(db, cam, data)
    lending.return_items(db, loan_id, [lending.ReturnData(cam, d(9))], today=TODAY)
    lending.update_item(db, cam, data)
    assert lending.get_item(db, cam).data.state == ItemState.MAINTENANCE


def test_loans_are_searched_by_coop_borrower_and_item_code_without_accents(desk):
    db, a, b, cam, box = desk
    lend(db, a, [cam], d(3), d(9), borrower="Mme Zoé Łukasiewicz")
    lend(db, b, [box], d(3), d(9), borrower="M. Karim Haddad")
    rows = lending.list_loans(db, lending.LoanFilter(view=lending.VIEW_ALL))
    assert [r.coop_number for r in lending.search_loans(rows, "jaures cam-01")] == ["92-0100"]
    assert [r.coop_number for r in lending.search_loans(rows, "lukasiewicz")] == ["92-0100"]
    assert [r.coop_number for r in lending.search_loans(rows, "TILLEULS jc")] == ["92-0200"]
    assert lending.search_loans(rows, "00002")[0].items == "JC-01"
    assert lending.search_loans(rows, "introuvable") == []


def test_losing_an_item_with_future_bookings_is_refused_naming_them(desk):
    db, a, b, cam, box = desk
    loan_id = lend(db, a, [cam], d(1), d(5))
    booking = book(db, b, [cam], d(20), d(25))
    with pytest.raises(ValidationError) as err:
        lending.mark_lost(db, loan_id, cam, d(9), today=TODAY)
    message = err.value.errors["items"]
    assert "00002" in message and "92-0200" in message and "20/03/2025" in message
    assert lending.get_item(db, cam).data.state == ItemState.AVAILABLE
    assert lending.get_loan(db, loan_id).status == LoanStatus.OUT
    lending.cancel_booking(db, booking, "matériel perdu")
    lending.mark_lost(db, loan_id, cam, d(9), today=TODAY)
    assert lending.get_item(db, cam).data.state == ItemState.LOST


def test_a_loan_whose_items_were_lost_says_so(desk):
    db, a, b, cam, box = desk
    only = lend(db, a, [cam], d(1), d(5))
    both = lend(db, b, [box], d(1), d(5))
    lending.mark_lost(db, only, cam, d(6), today=TODAY)
    lending.return_items(db, both, [lending.ReturnData(box, d(6))], today=TODAY)
    rows = {r.id: r for r in lending.list_loans(
        db, lending.LoanFilter(view=lending.VIEW_ALL), today=TODAY)}
    assert rows[only].status_label == "Perdu"
    assert rows[both].status_label == "Rendu"
    assert lending.get_loan(db, only).status_label == "Perdu"


def test_a_reminder_is_refused_for_a_loan_not_overdue(desk):
    db, a, b, cam, box = desk
    loan_id = lend(db, a, [cam], d(1), d(12))
    with pytest.raises(ValidationError, match="pas en retard"):
        lending.record_reminder(db, loan_id, d(10))
    with pytest.raises(ValidationError, match="pas en retard"):
        lending.record_reminders(db, [loan_id], d(12))
    assert lending.get_loan(db, loan_id).reminders == []
    assert lending.record_reminder(db, loan_id, d(13)) == 1


def test_all_loans_of_a_year_include_a_loan_returned_after_the_year_began(db):
    a = make_coop(db)
    cam = make_item(db)
    late = lend(db, a, [cam], date(2024, 8, 20), date(2024, 8, 29), today=date(2024, 8, 20))
    lending.return_items(db, late, [lending.ReturnData(cam, date(2024, 9, 5))], today=date(2024, 9, 5))
    box = make_item(db, "JC-01", "Malle", "Jeux coopératifs")
    early = lend(db, a, [box], date(2024, 8, 6), date(2024, 9, 10), today=date(2024, 8, 6))
    lending.return_items(db, early, [lending.ReturnData(box, date(2024, 8, 20))], today=date(2024, 8, 20))
    year = (date(2024, 9, 1), date(2025, 8, 31))
    rows = lending.list_loans(db, lending.LoanFilter(view=lending.VIEW_ALL,
                                                               period=year), today=date(2025, 1, 6))
    assert [r.id for r in rows] == [late]  # the early one came back in August


def test_a_booking_cannot_be_transferred_to_the_coop_that_has_the_items(desk):
    db, a, b, cam, box = desk
    first = lend(db, a, [box], d(1), d(10))
    own = book(db, a, [box], d(10), d(24))
    with pytest.raises(ValidationError, match="déjà elle qui a le matériel"):
        lending.transfer_loan(db, first, lending.TransferData(on=d(10), booking_id=own), today=TODAY)
    assert lending.get_loan(db, first).status == LoanStatus.OUT


def test_transfer_to_a_booking_missing_an_item_names_it(desk):
    db, a, b, cam, box = desk
    first = lend(db, a, [cam, box], d(1), d(10))
    booking = book(db, b, [box], d(10), d(24))
    with pytest.raises(ValidationError) as err:
        lending.transfer_loan(db, first, lending.TransferData(on=d(10), booking_id=booking), today=TODAY)
    assert "CAM-01" in err.value.errors["items"] and "JC-01" not in err.value.errors["items"]


def test_renaming_a_category_finds_its_items_by_the_new_name(desk):
    db, a, b, cam, box = desk
    cid = next(c.id for c in lending.list_categories(db) if c.name == "Jeux coopératifs")
    lending.rename_category(db, cid, "Ludothèque itinérante")
    found = lending.list_items(db, lending.ItemFilter(search="ludotheque"), today=TODAY)
    assert [r.code for r in found] == ["JC-01"]


def test_a_booking_is_edited_before_it_leaves_with_the_overlap_rule(desk):
    db, a, b, cam, box = desk
    first = lend(db, b, [cam], d(10), d(14))
    booking = book(db, a, [box], d(20), d(25))
    data = lending.LoanData(coop_id=b, borrower="M. Paul Durand", start_date=d(14), due_date=d(22),
                        notes="Pour la classe de CP", item_ids=[cam])
    with pytest.raises(ValidationError) as err:  # the camera is out until the 14th: overlap
        lending.update_booking(db, booking, lending.LoanData(**{**data.__dict__, "start_date": d(13)}),
                           today=TODAY)
    assert "92-0200" in err.value.errors["items"] and "14/03/2025" in err.value.errors["items"]
    lending.update_booking(db, booking, data, today=TODAY)  # back-to-back with the loan: allowed
    loan = lending.get_loan(db, booking)
    assert (loan.coop_id, loan.borrower, loan.start_date, loan.due_date, loan.notes) == (
        b, "M. Paul Durand", d(14), d(22), "Pour la classe de CP")
    assert {l.code: l.status for l in loan.lines} == {"CAM-01": LoanStatus.BOOKED,
                                                     "JC-01": LoanStatus.CANCELLED}
    assert loan.slip_number == 2 and [l.code for l in loan.open_lines] == ["CAM-01"]
    lend(db, a, [box], d(20), d(25), today=d(20))  # the box taken off the booking is free
    with pytest.raises(ValidationError, match="au moins un matériel"):
        lending.update_booking(db, booking, lending.LoanData(**{**data.__dict__, "item_ids": []}), today=TODAY)
    lending.return_items(db, first, [lending.ReturnData(cam, d(14))], today=d(14))
    lending.check_out_booking(db, booking, on=d(14), today=d(14))
    with pytest.raises(ValidationError, match="ne se modifie plus"):
        lending.update_booking(db, booking, data, today=d(14))


def test_a_booking_never_picked_up_is_shown_as_such(desk):
    db, a, b, cam, box = desk
    booking = book(db, b, [box], d(12), d(14))
    rows = {r.id: r for r in lending.list_loans(db, lending.LoanFilter(), today=d(12))}
    assert not rows[booking].missed_start and rows[booking].status_label == "Réservation"
    rows = {r.id: r for r in lending.list_loans(db, lending.LoanFilter(), today=d(13))}
    assert rows[booking].missed_start
    assert rows[booking].status_label == "Réservation non retirée (départ prévu le 12/03/2025)"


def test_bookings_and_loans_stop_at_the_end_of_the_next_school_year(desk):
    db, a, b, cam, box = desk
    # TODAY is in 2024-2025: the horizon is the end of 2025-2026
    with pytest.raises(ValidationError) as err:
        book(db, a, [cam], date(2999, 3, 1), date(2999, 3, 5))
    assert err.value.errors["start_date"] == ("Date de départ : au plus tard le 31/08/2026, "
                                              "fin de l'année scolaire 2025-2026.")
    with pytest.raises(ValidationError) as err:
        book(db, a, [cam], date(2026, 8, 20), date(2026, 9, 3))
    assert err.value.errors["due_date"] == ("Date de retour prévue : au plus tard le 31/08/2026, "
                                            "fin de l'année scolaire 2025-2026.")
    assert loan_count(db) == 0
    last = book(db, a, [cam], date(2026, 8, 20), date(2026, 8, 31))  # the last day is allowed
    with pytest.raises(ValidationError) as err:
        lending.extend_loan(db, last, date(2026, 9, 1), today=TODAY)
    assert "au plus tard le 31/08/2026" in err.value.errors["due_date"]
    assert lending.get_loan(db, last).due_date == date(2026, 8, 31)
    # from September on, the horizon moves a school year further
    book(db, b, [box], date(2027, 8, 2), date(2027, 8, 6), today=date(2025, 9, 1))
