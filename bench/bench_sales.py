"""Benchmarks of the Ventes tab on 10× a real département (about 10 000 orders).

Run: .venv/bin/python -m bench.bench_sales   (prints a table; nothing is asserted)

- opening the tab: the tab made, shown and its first page (this school year's orders, first
  500 rows by number, with the count and the totals) filled and painted; the floor is sqlite3
  running the same two statements and a bare QTableView showing those rows;
- the year's figures of the report's year (per product and cycle, per coop, paid and unpaid);
  the floor is sqlite3 running the same three grouped statements (fetched, not turned into
  dataclasses);
- a keystroke in the search box (one SQL search, the page refilled).
"""

from __future__ import annotations

import sqlite3

from bench.common import copy_of, dataset, measure, print_table


def main() -> None:
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QApplication, QTableView
    from sqlalchemy.dialects import sqlite as sqlite_dialect

    from occe_bureau import sales
    from occe_bureau.db import Database
    from occe_bureau.formats import counted
    from occe_bureau.sales import figures as figures_module  # noqa: F401 (warm the import)
    from ui.sales.tab import SalesTab

    path = copy_of(dataset(), "bench_sales.sqlite3")
    app = QApplication.instance() or QApplication([])
    db = Database(f"sqlite:///{path}")
    raw = sqlite3.connect(str(path))
    orders, = raw.execute("SELECT COUNT(*) FROM sale_order").fetchone()
    current, = raw.execute("SELECT MAX(year) FROM sale_order").fetchone()
    report = current - 1
    print(f"data set: {orders} orders, {raw.execute('SELECT COUNT(*) FROM sale_invoice').fetchone()[0]} "
          f"invoices; tab on {current}-{current + 1}, figures of {report}-{report + 1}")

    def open_tab() -> None:
        tab = SalesTab(db)
        tab.resize(1500, 900)
        tab.show()
        tab.on_shown()
        app.processEvents()
        tab.close()
        tab.deleteLater()
        app.processEvents()

    # the floor: the same statements through sqlite3, and a bare view of their rows
    page_filter = sales.OrderFilter(school_year=current, limit=500)
    from occe_bureau.sales import orders as orders_module

    query, inv = orders_module._query(page_filter)  # noqa: SLF001 (the bench reads the same SQL)
    listed = query.order_by(*orders_module._order_by(page_filter, inv)).limit(500)  # noqa: SLF001
    count_statement = query.with_only_columns(orders_module.func.count(), maintain_column_froms=True)

    def sql(statement) -> str:
        return str(statement.compile(dialect=sqlite_dialect.dialect(),
                                     compile_kwargs={"literal_binds": True}))

    list_sql, count_sql = sql(listed), sql(count_statement)

    class Bare(QAbstractTableModel):
        rows: list = []

        def rowCount(self, parent=QModelIndex()):  # noqa: N802,B008
            return len(self.rows)

        def columnCount(self, parent=QModelIndex()):  # noqa: N802,B008
            return 9

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            if role == Qt.ItemDataRole.DisplayRole:
                return str(self.rows[index.row()][index.column()])
            return None

    def bare_tab() -> None:
        raw.execute(count_sql).fetchone()
        model = Bare()
        model.rows = raw.execute(list_sql).fetchall()
        view = QTableView()
        view.setModel(model)
        view.resize(1500, 900)
        view.show()
        app.processEvents()
        view.close()
        view.deleteLater()
        app.processEvents()

    tab_ms, tab_floor = measure(open_tab, repeat=9), measure(bare_tab, repeat=9)

    figures_sql = [
        "SELECT p.id, p.name, p.kind, p.cycle, SUM(l.quantity), SUM(l.quantity * l.unit_price_cents) "
        "FROM sale_product p JOIN sale_order_line l ON l.product_id = p.id JOIN sale_order o ON "
        f"o.id = l.order_id WHERE o.year = {report} AND o.state != 'annulee' GROUP BY p.id",
        "SELECT o.coop_id, SUM(CASE WHEN p.kind = 'agenda' THEN l.quantity ELSE 0 END), "
        "SUM(CASE WHEN p.kind = 'livre' THEN l.quantity ELSE 0 END) FROM sale_order_line l JOIN "
        "sale_order o ON o.id = l.order_id JOIN sale_product p ON p.id = l.product_id WHERE "
        f"o.year = {report} AND o.state != 'annulee' GROUP BY o.coop_id",
        "SELECT c.id, c.number, c.name, COUNT(o.id), SUM(o.total_cents), SUM(o.paid_cents) FROM coop c "
        f"JOIN sale_order o ON o.coop_id = c.id WHERE o.year = {report} AND o.state != 'annulee' "
        "GROUP BY c.id ORDER BY c.number",
    ]
    figures_ms = measure(lambda: sales.year_figures(db, report))
    figures_floor = measure(lambda: [raw.execute(s).fetchall() for s in figures_sql])
    f = sales.year_figures(db, report)
    print(" — ".join(c.text for c in f.cycles), "—", counted(f.quantity_of(sales.ProductKind.BOOK), "livre", "livres"))

    tab = SalesTab(db)
    tab.resize(1500, 900)
    tab.show()
    tab.on_shown()
    page = tab.orders_page

    def keystroke() -> None:
        for text in ("n", "na", "nan", "nant", ""):
            page.search.setText(text)
            app.processEvents()

    search_ms = measure(keystroke, repeat=7) / 5
    search_floor = measure(lambda: raw.execute(
        "SELECT o.id FROM sale_order o JOIN coop c ON c.id = o.coop_id WHERE o.year = "
        f"{current} AND c.search_key LIKE '%nan%' ORDER BY o.year DESC, o.seq DESC LIMIT 500").fetchall())

    print_table("Ventes on the 10x data set", [
        ("opening the tab (this year's orders, 500 rows)", tab_ms, "sqlite3 + bare QTableView",
         tab_floor, "goal < 150 ms"),
        ("the year's figures (product, cycle, coop, paid)", figures_ms, "sqlite3, same 3 queries",
         figures_floor, "goal < 100 ms"),
        ("a keystroke in the order search", search_ms, "sqlite3 LIKE on the coops", search_floor,
         "—"),
    ])


if __name__ == "__main__":
    main()
