"""Which items are free for the chosen dates, and why the others are not (the same rules as
the save), and the free items of the same category offered instead."""

from occe_bureau import lending
from occe_bureau.lending import ItemState
from tests.core.loans_helpers import TODAY, book, d, lend, make_coop, make_item


def test_availability_says_why_an_item_is_not_free_with_the_rules_of_the_save(db):
    a = make_coop(db)
    b = make_coop(db, "92-0200", "École maternelle Les Tilleuls")
    cam = make_item(db)
    cam2 = make_item(db, "CAM-02", "Caméra HD 2")
    son = make_item(db, "SON-01", "Kit son")
    box = make_item(db, "JC-01", "Malle", "Jeux coopératifs")
    lend(db, a, [cam], d(3), d(14))
    booked = book(db, b, [cam2], d(20), d(25))
    lend(db, b, [son], d(1), d(5))  # overdue on TODAY (the 10th): not back
    lending.set_item_state(db, box, ItemState.MAINTENANCE)

    found = lending.availability(db, d(12), d(21), leaving=False)
    assert found[cam].label == ("prêté à 92-0100 – École élémentaire Jean Jaurès du 03/03/2025 "
                                "au 14/03/2025") and not found[cam].free
    assert found[cam2].label == ("réservé à 92-0200 – École maternelle Les Tilleuls du "
                                 "20/03/2025 au 25/03/2025")
    assert found[son].free and found[son].label == "libre"  # a booking: it may be back by then
    assert found[box].free and found[box].label == "libre – en maintenance pour l'instant"
    # back-to-back is free, as the overlap rule says
    assert lending.availability(db, d(14), d(20), leaving=False)[cam].free
    assert lending.availability(db, d(14), d(20), leaving=False)[cam2].free
    # the booking being changed does not stand in its own way
    assert lending.availability(db, d(12), d(21), leaving=False, exclude_loan_id=booked)[cam2].free

    leaving = lending.availability(db, TODAY, d(11), leaving=True)
    assert leaving[son].label == ("pas revenu : encore chez 92-0200 – École maternelle Les "
                                  "Tilleuls (retour prévu le 05/03/2025)")
    assert leaving[box].label == "en maintenance : il ne peut pas partir"
    assert [i for i, f in leaving.items() if f.free] == [cam2]
    assert lending.availability(db, d(12), d(11), leaving=False) == {}
    assert lending.availability(db, None, d(11), leaving=False) == {}


def test_free_items_of_the_same_category_are_offered_instead_of_a_busy_one(db):
    a = make_coop(db)
    cam, cam2, cam3 = (make_item(db, f"CAM-0{i}", f"Caméra {i}") for i in (1, 2, 3))
    box = make_item(db, "JC-01", "Malle", "Jeux coopératifs")
    lend(db, a, [cam, cam3], d(3), d(14))
    found = lending.availability(db, d(10), d(12), leaving=False)
    assert lending.free_instead(found, [cam, box]) == {cam: [cam2]}
    assert lending.free_instead(found, [cam, cam2]) == {cam: []}  # CAM-02 is already chosen
    assert lending.free_instead(found, [cam2]) == {}
