"""The Dons et reçus tab on the 10× data set (about 6 700 gifts and receipts in a year).

    .venv/bin/python -m bench.bench_gifts_tab

Measures the real tab (widgets and data, offscreen) opened on the busiest financial year,
a sort by amount and a search, each beside its floor: raw sqlite3 reading what the tab shows
(the count and the first page of each list, and the year's totals).
"""

from __future__ import annotations

import sqlite3

from bench.common import dataset, measure, print_table
from occe_bureau import clock, gifts
from occe_bureau.db import Database


def main() -> None:
    path = dataset()
    db = Database(f"sqlite:///{path}")
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from ui.gifts.tab import DonationsTab

    app = QApplication.instance() or QApplication([])
    current = gifts.current_financial_year(db)
    start, end = gifts.financial_year_bounds(current - 1, gifts.financial_year_start(db))
    year_size = len(gifts.list_donations(db, gifts.DonationFilter(start=start, end=end)))

    def open_tab():
        tab = DonationsTab(db)
        tab.on_shown()
        tab.year_combo.setCurrentIndex(tab.year_combo.findData(current - 1))  # the full year
        app.processEvents()
        tab.deleteLater()
        app.processEvents()

    tab = DonationsTab(db)
    tab.on_shown()
    tab.year_combo.setCurrentIndex(tab.year_combo.findData(current - 1))
    amount = tab.donation_model.column("Montant")

    def sort_by_amount():
        tab.donation_table.sortByColumn(amount, Qt.SortOrder.DescendingOrder)
        tab.donation_table.sortByColumn(amount, Qt.SortOrder.AscendingOrder)

    def search():
        tab.search.setText("martin")
        tab.apply_search()
        tab.search.setText("")
        tab.apply_search()

    def floor_tab():  # what the tab shows, read by the bare stack
        con = sqlite3.connect(path)
        try:
            for table, where in (("donation", "received_on BETWEEN ? AND ?"),
                                 ("tax_receipt", "issued_on BETWEEN ? AND ?")):
                con.execute(f"SELECT count(*) FROM {table} WHERE {where}",
                            (start.isoformat(), end.isoformat())).fetchall()
                con.execute(f"SELECT * FROM {table} WHERE {where} ORDER BY id DESC LIMIT 200",
                            (start.isoformat(), end.isoformat())).fetchall()
            con.execute("SELECT count(*), sum(amount_cents) FROM donation WHERE received_on "
                        "BETWEEN ? AND ?", (start.isoformat(), end.isoformat())).fetchall()
        finally:
            con.close()

    def floor_sort():
        con = sqlite3.connect(path)
        try:
            for order in ("DESC", "ASC"):
                con.execute("SELECT * FROM donation WHERE received_on BETWEEN ? AND ? ORDER BY "
                            f"amount_cents {order} LIMIT 200",
                            (start.isoformat(), end.isoformat())).fetchall()
        finally:
            con.close()

    def whole_year():  # what the tab read before it read a page at a time
        gifts.list_donations(db, gifts.DonationFilter(start=start, end=end))
        gifts.list_receipts(db, gifts.ReceiptFilter(year=current - 1))

    floor_ms = measure(floor_tab, repeat=9)
    rows = [
        (f"open the tab on a full year ({year_size} gifts)", measure(open_tab, repeat=9),
         "sqlite3: counts + first pages + totals", floor_ms, "< 150 ms"),
        ("sort the gifts by amount (twice)", measure(sort_by_amount, repeat=9),
         "sqlite3: ORDER BY amount LIMIT 200 (twice)", measure(floor_sort, repeat=9), "—"),
        ("search a name, then clear it", measure(search, repeat=9),
         "sqlite3: counts + first pages + totals", floor_ms, "—"),
        ("(before: the whole year's lists read)", measure(whole_year, repeat=5),
         "sqlite3: counts + first pages + totals", floor_ms, "—"),
    ]
    print_table(f"Dons et reçus tab, 10× data set ({clock.today():%d/%m/%Y})", rows)
    db.dispose()


if __name__ == "__main__":
    main()
