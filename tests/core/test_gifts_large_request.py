"""A large request: the donors of all its lines found from a few queries (the same answers as
looking for each donor on its own), planned and saved a step at a time, a stopped save
leaving nothing."""

from datetime import date

import pytest

from occe_bureau import gifts
from occe_bureau.gifts.donors import DonorIndex, known_matches
from tests.core.donations_helpers import TODAY, gift, make_coop, person, setup_association

KNOWN = [("Martin", "Claire", "3 rue des Lilas", "92000"), ("Lefèvre", "Hélène", "1 rue A", "92000"),
         ("Dupont", "Marie", "1 rue A", "92100"), ("Nguyễn", "Lan", "2 rue B", "92100"),
         ("Zzzzzzzzzz", "Aaaaaaaaaa", "9 rue Z", "92200"), ("Li", "Wei", "4 rue C", "92300")]
ASKED = [("Martin", "Claire", "3 rue des Lilas", "92000"),  # the same donor
         ("Martin", "Claire", "8 rue Neuve", "92000"),      # a namesake elsewhere
         ("Martinn", "Claire", "3 rue des Lilas", "92000"),  # a typo
         ("Lefebvre", "Helene", "1 rue A", "92500"),         # a typo, another postal code
         ("Dupond", "Marie", "1 rue A", "92100"), ("Nguyen", "Lan", "2 rue B", "92100"),
         ("Zzzzzzzzzy", "Aaaaaaaaaa", "9 rue Z", "92200"),   # letters beyond the bit mask
         ("Lu", "Wei", "4 rue C", "92300"), ("Bernard", "Paul", "5 rue D", "92000")]


@pytest.fixture
def coop(db):
    setup_association(db)
    coop = make_coop(db)
    gifts.enter_request(db, coop, [gift(donor=person(last, first, address=address, postal_code=pc))
                                   for last, first, address, pc in KNOWN],
                        new_donor_ok=True, today=TODAY)
    return coop


def test_the_index_answers_as_each_donor_looked_for_alone(db, coop):
    asked = [person(last, first, address=address, postal_code=pc)
             for last, first, address, pc in ASKED]
    with db.session() as session:
        index = DonorIndex(session, asked)
        for data in asked:
            assert index.matches(data) == known_matches(session, data), data.display_name
    with db.session() as session:  # and it does find something
        found = [DonorIndex(session, asked).matches(d) for d in asked]
    assert found[0].same and found[1].namesakes and found[2].similar and found[3].similar


def test_lines_like_earlier_lines_are_asked_about_as_before(db, coop):
    lines = [gift(donor=person("Rousseau", "Anne", address="1 rue X", postal_code="92400")),
             gift(amount="20", donor=person("Rousseau", "Anne", address="1 rue X", postal_code="92400")),
             gift(amount="21", donor=person("Rousseau", "Anne", address="2 rue Y", postal_code="92400")),
             gift(amount="22", donor=person("Rousseaux", "Anne", address="3 rue Z", postal_code="92401"))]
    plan = gifts.plan_request(db, coop, lines, today=TODAY)
    matches = [g.match for g in plan.lines]
    assert matches == [gifts.DonorMatch.NEW, gifts.DonorMatch.SAME_LINE, gifts.DonorMatch.NAMESAKE,
                       gifts.DonorMatch.SIMILAR]
    assert [c.line for c in plan.lines[3].candidates] == [1, 3]


def test_a_request_is_planned_and_saved_step_by_step_and_a_stopped_save_leaves_nothing(db, coop):
    lines = [gift(amount=str(10 + i), on=date(2025, 3, 5),
                  donor=person(f"Nouveau{i:04d}", "Jean", address=f"{i} rue Neuve",
                               postal_code="92600")) for i in range(600)]
    steps = gifts.plan_steps(db, coop, lines, today=TODAY)
    progress = []
    while True:
        try:
            progress.append(next(steps))
        except StopIteration as stop:
            plan = stop.value
            break
    assert len(progress) >= 3 and progress[-1] == (600, 600)
    assert [done for done, _total in progress] == sorted(done for done, _total in progress)
    plan.all_new()
    before = len(gifts.list_donations(db, gifts.DonationFilter()))
    saving = gifts.apply_steps(db, plan)
    assert next(saving) == (250, 600)
    saving.close()  # Annuler: rolled back
    assert len(gifts.list_donations(db, gifts.DonationFilter())) == before
    ids = gifts.apply_request(db, plan)
    assert len(ids) == 600 and len(set(ids)) == 600
    rows = {r.id: r for r in gifts.list_donations(db, gifts.DonationFilter(search="nouveau0599"))}
    assert rows[ids[-1]].amount_cents == 60900 and rows[ids[-1]].donor_name == "Nouveau0599 Jean"


def test_the_index_answers_the_same_among_hundreds_of_donors_of_one_postal_code(db, coop, monkeypatch):
    """Large groups of known donors are looked at through their letters' postings."""
    from occe_bureau import likeness

    POSTINGS_FROM = 64
    monkeypatch.setattr(likeness, "POSTINGS_FROM", 8)  # every group here goes through postings
    stems = ["Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois",
             "Moreau", "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "Fournier"]
    many = [gift(amount=str(5 + i), donor=person(f"{stems[i % 16]}{'e' * (i // 16 % 3)}",
                                                   f"Prénom{i // 48}", address=f"{i} rue Longue",
                                                   postal_code="92700"))
            for i in range(4 * POSTINGS_FROM)]
    gifts.enter_request(db, coop, many, new_donor_ok=True, twice_ok=True, today=TODAY)
    asked = [person(f"{stem}{suffix}", f"Prénom{n}", address="1 rue Autre", postal_code=pc)
             for stem in stems for suffix in ("", "s", "ee") for n in (0, 1, 7)
             for pc in ("92700", "92800")]
    with db.session() as session:
        index = DonorIndex(session, asked)
        answers = [index.matches(d) for d in asked]
        assert answers == [known_matches(session, d) for d in asked]
        by_postings = [group for by_length in index.by_postal.values()
                       for group in by_length.values() if len(group) == 3]
        assert by_postings
    assert sum(bool(a.similar) for a in answers) > 20 and sum(bool(a.namesakes) for a in answers) > 5
