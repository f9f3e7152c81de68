"""The figures each domain gives the Bilan (the annual report): counted by the domain, through
its face, on small data built with the domains' own functions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from occe_bureau import clock, gifts, lending, sales, trainings
from occe_bureau.coops import (
    CoopData, CoopKind, CountedText, YearData, create_coop, documents_due_on, set_archived,
    year_figures as coop_year_figures,
)
from occe_bureau.formats import school_year_bounds, school_year_label, school_year_of
from occe_bureau.gifts import GiftSource, MonthFigure, SourceFigure
from occe_bureau.lending import ItemState, loans_per_month, usage
from occe_bureau.trainings import HalfDay, Presence
from tests.core.donations_helpers import PNG_1PX, gift, person, setup_association
from tests.core.donations_helpers import make_coop as make_gift_coop
from tests.core.loans_helpers import book, lend, make_coop, make_item
from tests.core.sales_helpers import order, setup_sales
from tests.core.trainings_helpers import person as participant
from tests.core.trainings_helpers import session as training_session
from tests.core.trainings_helpers import theme_id, training


# ---- coops ----------------------------------------------------------------------------------

def _coop(db, number, kind, year, **figures):
    return create_coop(db, CoopData(number=number, name=f"École {number}", kind=kind),
                       {year: YearData(**figures)})


def test_coop_kind_degree():
    assert [k for k in CoopKind if k.degree == 1] == [
        CoopKind.MATERNELLE, CoopKind.ELEMENTAIRE, CoopKind.PRIMAIRE]
    assert CoopKind.COLLEGE.degree == CoopKind.AUTRE.degree == 2


def test_coop_year_figures_count_the_coops_with_that_years_row(db):
    year = school_year_of(clock.today()) - 1
    a = _coop(db, "92-0001", "maternelle", year, classes=3, pupils=70, adults=6,
              cotisation_due_cents=5000, cotisation_paid_cents=5000, cotisation_paid_on=clock.today(),
              cra_received_on=clock.today(), control_reason="Tirage au sort")
    _coop(db, "92-0002", "maternelle", year, classes=2, pupils=40, adults=3,
          cotisation_due_cents=5000, cotisation_paid_cents=2000,
          cotisation_paid_on=clock.today(), crf_received_on=clock.today(),
          control_reason="Tirage au sort")
    _coop(db, "92-0003", "college", year, classes=10, pupils=300, adults=20,
          control_on=clock.today(), control_reason="Signalement")
    _coop(db, "92-0004", "lycee", year, pupils=1)        # nothing due: not paid in full
    _coop(db, "92-0005", "primaire", year - 1, pupils=99)  # another year: not counted
    set_archived(db, a, True)                            # archived since: still counted

    f = coop_year_figures(db, year, today=documents_due_on(year) + timedelta(days=1))
    assert f.school_year == year and f.label == school_year_label(year)
    assert f.coops == 4
    assert list(f.by_kind) == list(CoopKind)
    assert f.by_kind[CoopKind.MATERNELLE] == 2 and f.by_kind[CoopKind.COLLEGE] == 1
    assert f.by_kind[CoopKind.LYCEE] == 1 and f.by_kind[CoopKind.PRIMAIRE] == 0
    assert (f.first_degree, f.second_degree) == (2, 2)
    assert (f.classes, f.pupils, f.adults, f.members) == (15, 411, 29, 440)
    assert (f.cotisations_due_cents, f.cotisations_paid_cents) == (10000, 7000)
    assert (f.cotisations_paid, f.cotisations_unpaid) == (1, 3)
    assert f.documents_due is True
    assert (f.cra_received, f.crf_received, f.cra_missing, f.crf_missing) == (1, 1, 3, 3)
    assert f.controls == 3
    assert f.control_reasons == (CountedText("Tirage au sort", 2), CountedText("Signalement", 1))


def test_coop_year_figures_documents_not_due_before_30_september(db):
    year = school_year_of(clock.today())
    f = coop_year_figures(db, year, today=documents_due_on(year))
    assert f.documents_due is False
    assert f.coops == 0 and sum(f.by_kind.values()) == 0 and f.control_reasons == ()
    assert coop_year_figures(db, year).documents_due is (clock.today() > documents_due_on(year))


# ---- lending --------------------------------------------------------------------------------

def _month(k: int) -> date:
    """The first day of the month `k` months before today's."""
    today = clock.today()
    index = today.year * 12 + today.month - 1 - k
    return date(index // 12, index % 12 + 1, 1)


def _lending_data(db):
    today = clock.today()
    coop = make_coop(db)
    cam, mic = make_item(db), make_item(db, "SON-01", "Kit son")
    loto = make_item(db, "LOTO-01", "Loto des odeurs", "Lotos")
    old = make_item(db, "VIEUX-01", "Vieux projecteur", state=ItemState.RETIRED)
    # Months -5 (before the period), -3 (two items, 5 days each), -1 (still out).
    early = lend(db, coop, [loto], _month(5), _month(5) + timedelta(days=2), today=_month(5))
    lending.return_items(db, early, [lending.ReturnData(loto, _month(5) + timedelta(days=2))],
                         today=_month(5) + timedelta(days=2))
    left, back = _month(3) + timedelta(days=4), _month(3) + timedelta(days=8)
    both = lend(db, coop, [cam, mic], left, back, today=left)
    lending.return_items(db, both, [lending.ReturnData(cam, back), lending.ReturnData(mic, back)],
                         today=back)
    lend(db, coop, [cam], _month(1), today + timedelta(days=30), today=_month(1))
    # Bookings count nothing, in the period or not.
    book(db, coop, [mic], today + timedelta(days=40), today + timedelta(days=45), today=today)
    return dict(cam=cam, mic=mic, loto=loto, old=old, cam_open_days=(today - _month(1)).days + 1)


def test_loans_per_month_counts_slips_by_the_month_their_first_item_left(db):
    _lending_data(db)
    per_month = loans_per_month(db, _month(4), _month(-2) + timedelta(days=5))
    months = [_month(k) for k in (4, 3, 2, 1, 0, -1, -2)]
    assert [m for m, _n in per_month] == months
    assert [n for _m, n in per_month] == [0, 1, 0, 1, 0, 0, 0]
    assert loans_per_month(db, _month(6), _month(5))[1] == (_month(5), 1)
    assert loans_per_month(db, _month(3) + timedelta(days=5), _month(3) + timedelta(days=20)) == [
        (_month(3), 0)]  # left the day before the period


def test_most_and_least_used_items(db):
    ids = _lending_data(db)
    report = usage(db, _month(4), clock.today())
    most = report.most_used()
    assert [f.key for f in most] == [ids["cam"], ids["mic"]]  # unused items left out
    assert [f.days for f in most] == [5 + ids["cam_open_days"], 5]
    assert [f.key for f in report.most_used(1)] == [ids["cam"]]
    assert [f.key for f in report.least_used()] == [ids["loto"], ids["mic"], ids["cam"]]
    assert [f.key for f in report.least_used(1)] == [ids["loto"]]
    # Without the items' states, every item of the inventory (by label on equal days).
    unknown = replace(report, out_of_service=None)
    assert [f.key for f in unknown.least_used(2)] == [ids["loto"], ids["old"]]


# ---- gifts ----------------------------------------------------------------------------------

def test_gift_figures_of_a_period(db):
    setup_association(db, signature=PNG_1PX)
    coop = make_gift_coop(db)
    today = clock.today()
    on = lambda k, day=3: _month(k) + timedelta(days=day)  # noqa: E731
    ids = gifts.enter_request(db, coop, [
        gift("10", on=on(5), donor=person("Avant", "Anne")),           # before the period
        gift("20", on=on(3), donor=person("Martin", "Claire")),
        gift("30", on=on(1), donor=person("Nowak", "Ewa"), source=GiftSource.PLATEFORME),
        gift("40", on=on(1, 5), donor=person("Traoré", "Awa")),
        gift("50", on=on(1, 6), donor=person("Retiré", "Paul")),       # withdrawn
    ], today=today)
    gifts.withdraw_donation(db, ids[4], "Saisi par erreur")
    gifts.issue_receipt(db, ids[0], today=today)   # a gift of before, receipted in the period
    gifts.issue_receipt(db, ids[1], today=today)
    cancelled = gifts.issue_receipt(db, ids[2], today=today)
    gifts.cancel_receipt(db, cancelled, "Erreur sur le nom", today=today)

    f = gifts.period_figures(db, _month(4), today)
    assert (f.start, f.end) == (_month(4), today)
    assert (f.gifts, f.amount_cents) == (3, 9000)
    assert f.by_source == (SourceFigure(GiftSource.COOP, 2, 6000),
                           SourceFigure(GiftSource.PLATEFORME, 1, 3000),
                           SourceFigure(GiftSource.AUTRE, 0, 0))
    assert f.source(GiftSource.PLATEFORME).amount_cents == 3000
    assert (f.receipts, f.receipts_cents, f.cancelled) == (2, 3000, 1)
    assert f.pending == 2  # the one whose receipt was cancelled, and the one never receipted
    assert f.per_month == (MonthFigure(_month(4), 0, 0), MonthFigure(_month(3), 1, 2000),
                           MonthFigure(_month(2), 0, 0), MonthFigure(_month(1), 2, 7000),
                           MonthFigure(_month(0), 0, 0))

    tomorrow = today + timedelta(days=1)
    empty = gifts.period_figures(db, tomorrow, tomorrow)
    assert (empty.gifts, empty.receipts, empty.pending) == (0, 0, 0)
    assert [s.gifts for s in empty.by_source] == [0, 0, 0]
    assert empty.per_month == (MonthFigure(tomorrow.replace(day=1), 0, 0),)


def test_declared_figures_are_the_declarations(db):
    setup_association(db, signature=PNG_1PX)
    coop = make_gift_coop(db)
    today = clock.today()
    ids = gifts.enter_request(db, coop, [gift("25", on=today, donor=person("Martin", "Anne")),
                                         gift("75", on=today, donor=person("Nowak", "Ewa"))],
                              today=today)
    for donation in ids:
        gifts.issue_receipt(db, donation, today=today)
    year = gifts.current_financial_year(db)
    declared, decl = gifts.declared_figures(db, year), gifts.declaration(db, year)
    assert (declared.year, declared.label) == (year, decl.label)
    assert (declared.count, declared.total_cents) == (2, 10000)
    assert gifts.declared_figures(db, year - 1).count == 0


# ---- trainings ------------------------------------------------------------------------------

def test_training_figures_over_any_period_up_to_today(db):
    today = clock.today()
    film = training(db)
    other = training(db, title="Nouveaux mandataires",
                     theme="Comptabilité et juridique pour les mandataires")
    before = training_session(db, film, day=_month(3) + timedelta(days=2))
    held = training_session(db, film, day=_month(1) + timedelta(days=2))
    training_session(db, other, day=_month(1) + timedelta(days=3))
    training_session(db, film, day=today + timedelta(days=10))  # not held yet
    a, b = participant(db, "Adam"), participant(db, "Bernard")
    for s in (before, held):
        trainings.register(db, a, film, s)
    trainings.register(db, b, film, held)
    trainings.record_attendance(db, held, {(p, HalfDay.AFTERNOON): Presence.PRESENT for p in (a, b)})
    trainings.record_attendance(db, before, {(a, HalfDay.AFTERNOON): Presence.PRESENT})

    end = today + timedelta(days=30)
    f = trainings.period_figures(db, _month(2), end)
    assert (f.start, f.end, f.today, f.counted_until) == (_month(2), end, today, today)
    assert f.school_year == school_year_of(_month(2))
    assert (f.total.sessions, f.total.registrations, f.total.present, f.total.teachers) == (2, 2, 2, 2)
    film_figure = f.training("Réaliser un film avec sa classe")
    assert film_figure.key == film and film_figure.sessions == 1
    assert f.training("Nouveaux mandataires").key == other
    assert f.theme("Cinéma").key == theme_id(db, "Cinéma")
    assert f.period_label.startswith("du ")
    wider = trainings.period_figures(db, _month(4), today)
    assert (wider.total.sessions, wider.total.present, wider.total.teachers) == (3, 3, 2)

    year = school_year_of(today)
    by_year = trainings.year_figures(db, year)
    assert (by_year.start, by_year.end) == school_year_bounds(year)
    assert by_year.period_label == f"année scolaire {school_year_label(year)}"
    same = trainings.period_figures(db, *school_year_bounds(year))
    assert by_year.total == same.total and by_year.by_training == same.by_training


# ---- sales ----------------------------------------------------------------------------------

def test_sales_figures_of_the_orders_placed_in_a_period(db):
    ctx = setup_sales(db)
    cycle2, book = ctx["agendas"][2], ctx["book"]
    order(db, ctx, [(cycle2, 10, 650)], on=_month(3) + timedelta(days=1))
    order(db, ctx, [(cycle2, 4, 650), (book, 3, 100)], on=_month(1) + timedelta(days=1))
    gone = order(db, ctx, [(cycle2, 100, 650)], on=_month(1) + timedelta(days=2))
    sales.cancel_order(db, gone, "Commande en double")

    f = sales.period_figures(db, _month(2), clock.today())
    assert (f.start, f.end, f.school_year) == (_month(2), clock.today(), school_year_of(_month(2)))
    assert (f.orders, f.amount_cents) == (1, 4 * 650 + 3 * 100)
    assert f.cycle(2).quantity == 4 and f.cycle(1).quantity == 0
    assert f.quantity_of(sales.ProductKind.BOOK) == 3
    assert [(c.orders, c.agendas, c.books) for c in f.coops] == [(1, 4, 3)]
    wider = sales.period_figures(db, _month(3) + timedelta(days=1), clock.today())
    assert (wider.orders, wider.cycle(2).quantity) == (2, 14)
    assert sales.period_figures(db, _month(3) + timedelta(days=2), _month(2)).orders == 0
    by_year = sales.year_figures(db, school_year_of(_month(1)))
    assert (by_year.start, by_year.end) == (None, None)
    assert by_year.orders == (2 if school_year_of(_month(3)) == school_year_of(_month(1)) else 1)


# ---- the lists behind the Bilan's figures (the filters its links set) -------------------------

def test_the_register_lists_the_coops_controlled_in_the_year(db):
    from occe_bureau.coops import CoopFilter, CoopStatus, list_coops

    year = school_year_of(clock.today()) - 1
    _coop(db, "92-0001", "maternelle", year, control_reason="Bilan papier")
    _coop(db, "92-0002", "college", year, control_on=clock.today(), control_reason="Signalement")
    _coop(db, "92-0003", "lycee", year, pupils=10)
    _coop(db, "92-0004", "primaire", year - 1, control_reason="Bilan papier")  # the year before
    rows = list_coops(db, CoopFilter(year=year, status=CoopStatus.ALL, controlled=True))
    assert [r.number for r in rows] == ["92-0001", "92-0002"]
    assert len(list_coops(db, CoopFilter(year=year, status=CoopStatus.ALL))) == 4


def test_the_loans_of_an_item_or_of_a_category(db):
    coop = make_coop(db)
    cam = make_item(db)
    box = make_item(db, code="JCP-01", name="Malle jeux", category="Jeux coopératifs")
    today = clock.today()
    both = lend(db, coop, [cam, box], today - timedelta(days=30), today - timedelta(days=20), today=today)
    box2 = make_item(db, code="JCP-02", name="Malle jeux 2", category="Jeux coopératifs")
    games = lend(db, coop, [box2], today - timedelta(days=10), today + timedelta(days=5), today=today)
    booked = book(db, coop, [cam], today + timedelta(days=20), today + timedelta(days=25), today=today)
    camera_category = lending.get_item(db, cam).data.category_id
    game_category = lending.get_item(db, box).data.category_id

    def ids(**filters):
        return sorted(r.id for r in lending.list_loans(
            db, lending.LoanFilter(view=lending.VIEW_ALL, **filters), today=today))

    assert ids(item_id=cam) == sorted([both, booked])
    assert ids(item_id=box) == [both] and ids(item_id=box2) == [games]
    assert ids(category_id=game_category) == sorted([both, games])
    assert ids(category_id=camera_category, period=(today - timedelta(days=40), today)) == [both]


def test_the_gifts_of_one_origin(db):
    setup_association(db, signature=PNG_1PX)
    coop = make_gift_coop(db)
    gifts.enter_request(db, coop, [gift("10"), gift("20", donor=person("Nowak", "Ewa"), source="plateforme"),
                                   gift("30", donor=person("Hansen", "Ole"), source="plateforme")],
                        today=date(2025, 3, 10))
    amounts = {source: sorted(r.amount_cents for r in gifts.list_donations(db, gifts.DonationFilter(source=source)))
               for source in (None, "plateforme", "coop", "autre")}
    assert amounts == {None: [1000, 2000, 3000], "plateforme": [2000, 3000], "coop": [1000], "autre": []}
