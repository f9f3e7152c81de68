"""A figure of the Bilan opens the list behind it in its own tab, already filtered: each tab's
`open_list`, through the main window, on the demo département."""

from __future__ import annotations

from occe_bureau import bilan, clock, lending
from occe_bureau.bilan import ListLink, ListView
from occe_bureau.coops import CoopKind
from occe_bureau.formats import school_year_of
from ui.shell.tab_base import NOT_OPENED

YEAR = school_year_of(clock.today()) - 1  # the demo's report year


def link(view: ListView, period: bilan.Period | None = None, **filters) -> ListLink:
    period = period or bilan.Period.school_year(YEAR)
    return ListLink(view, period.start, period.end, period.start_year, **filters)


def test_the_coops_of_a_kind_controlled_or_with_a_document_missing(qtbot, window):
    window.open_list(link(ListView.COOPS, coop_kind=CoopKind.MATERNELLE.value))
    tab = window.tabs.currentWidget()
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Coopératives"
    assert tab.year_combo.currentData() == YEAR and tab.kind_combo.currentData() == CoopKind.MATERNELLE
    assert tab.model.rowCount() == 268
    window.open_list(link(ListView.COOPS, controlled=True))
    assert tab.controlled_check.isChecked() and tab.kind_combo.currentData() is None
    assert tab.model.rowCount() == 13
    window.open_list(link(ListView.COOPS, missing_documents=True))
    assert not tab.controlled_check.isChecked() and tab.missing_check.isChecked()
    assert 0 < tab.model.rowCount() < 625


def test_the_loans_of_a_category_and_the_days_out_of_a_period(qtbot, window):
    usage = lending.usage_for_school_year(window.db, YEAR)
    camera = next(f for f in usage.by_category if f.label == "Matériel de prise de vue et de son")
    window.open_list(link(ListView.LOANS, category_id=camera.key))
    tab = window.tabs.currentWidget()
    assert tab.pages.currentWidget() is tab.loans_page
    page = tab.loans_page
    assert page.narrowed_bar.isVisibleTo(page) and "Matériel de prise de vue et de son" in page.narrowed_label.text()
    assert page.model.rowCount() == camera.loans
    page.unnarrow_button.click()
    assert not page.narrowed_bar.isVisibleTo(page) and page.narrowed is None
    spring = bilan.Period(clock.today().replace(month=1, day=1), clock.today())
    window.open_list(link(ListView.DAYS_OUT, spring))
    assert tab.pages.currentWidget() is tab.stats_page
    assert tab.stats_page.free_period.isChecked()
    assert (tab.stats_page.report.period_start, tab.stats_page.report.period_end) == (spring.start, spring.end)


def test_the_gifts_of_an_origin_and_the_receipts_of_the_year(qtbot, window):
    window.open_list(link(ListView.DONATIONS, source="plateforme"))
    tab = window.tabs.currentWidget()
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Dons et reçus"
    assert tab.year_combo.currentData() == YEAR and tab.source_combo.currentData() == "plateforme"
    assert tab.pages.currentIndex() == 0 and tab.donation_model.total() == 166
    window.open_list(link(ListView.RECEIPTS))
    assert tab.pages.currentIndex() == 1 and tab.source_combo.currentData() is None
    assert tab.receipt_model.total() > 0


def test_the_orders_and_figures_of_sales_the_trainings_of_the_year(qtbot, window):
    window.open_list(link(ListView.ORDERS))
    tab = window.tabs.currentWidget()
    assert tab.pages.currentWidget() is tab.orders_page and tab.orders_page.year.currentData() == YEAR
    assert tab.orders_page.model.rowCount() > 0
    window.open_list(link(ListView.SALES_FIGURES))
    assert tab.pages.currentWidget() is tab.figures_page and tab.figures_page.figures.school_year == YEAR
    window.open_list(link(ListView.TRAINING_FIGURES))
    tab = window.tabs.currentWidget()
    assert tab.pages.currentWidget() is tab.figures_page and tab.figures_page.figures.school_year == YEAR
    film = next(f for f in tab.figures_page.figures.by_training if f.label == "Réaliser un film avec sa classe")
    window.open_list(link(ListView.TRAININGS, training_id=film.key))
    assert tab.pages.currentWidget() is tab.trainings_page
    assert tab.trainings_page.training().id == film.key


def test_a_list_a_tab_cannot_open_says_so(qtbot, window):
    tab = window.tab(0)
    assert tab.open_list(link(ListView.ORDERS)) == NOT_OPENED
