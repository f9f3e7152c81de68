"""Benchmarks of the Bilan on 10× a real département.

Run: .venv/bin/python -m bench.bench_bilan   (prints a table; nothing is asserted)

- all the figures of the report's year beside the year before (every section: the coops'
  register, days out, sales, trainings, gifts and the 222 bis declaration); the floor is
  sqlite3 running one grouped statement per domain and per year, fetched and not turned into
  anything (the least that reads those figures);
- the "Rapport d'activité" PDF with its charts, from figures already there; the floor is bare
  ReportLab laying out the same number of paragraphs, tables and bar charts, with its built-in
  font;
- opening the tab once the figures are there: the tab made, shown and every section page filled
  (tables, sentences, charts drawn from SVG); the floor is a bare QTabWidget of as many
  QTableViews of the same rows and QSvgWidgets of the same drawings;
- opening the tab from nothing (figures computed), for the record.
"""

from __future__ import annotations

import sqlite3

from bench.common import copy_of, dataset, measure, print_table


def floor_figures(raw: sqlite3.Connection, year: int) -> None:
    for y in (year, year - 1):
        start, end = f"{y}-09-01", f"{y + 1}-08-31"
        raw.execute("SELECT c.kind, COUNT(*), SUM(y.classes), SUM(y.pupils), SUM(y.adults), "
                    "SUM(y.cotisation_paid_cents), COUNT(y.cra_received_on), COUNT(y.crf_received_on), "
                    "COUNT(y.control_on) FROM coop_year y JOIN coop c ON c.id = y.coop_id "
                    f"WHERE y.year = {y} GROUP BY c.kind").fetchall()
        raw.execute("SELECT l.item_id, l.loan_id, o.coop_id, l.start_date, l.end_date FROM loan_line l "
                    f"JOIN loan o ON o.id = l.loan_id WHERE l.start_date <= '{end}' AND "
                    f"(l.end_date >= '{start}' OR l.status = 'out') AND l.status != 'cancelled'").fetchall()
        raw.execute("SELECT l.product_id, SUM(l.quantity), SUM(l.quantity * l.unit_price_cents) "
                    "FROM sale_order_line l JOIN sale_order o ON o.id = l.order_id "
                    f"WHERE o.year = {y} AND o.state != 'annulee' GROUP BY l.product_id").fetchall()
        raw.execute("SELECT s.training_id, COUNT(*) FROM training_session s "
                    f"WHERE s.day BETWEEN '{start}' AND '{end}' GROUP BY s.training_id").fetchall()
        raw.execute("SELECT source, COUNT(*), SUM(amount_cents) FROM donation "
                    f"WHERE received_on BETWEEN '{start}' AND '{end}' GROUP BY source").fetchall()
        raw.execute(f"SELECT COUNT(*), SUM(amount_cents) FROM tax_receipt WHERE year = {y} "
                    "AND cancelled = 0").fetchall()


def floor_pdf(paragraphs: int, tables: list[list[list[str]]], charts: list[list[int]]) -> bytes:
    import io

    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    style = getSampleStyleSheet()["BodyText"]
    story = [Paragraph(f"Paragraphe {i}", style) for i in range(paragraphs)]
    for values in charts:
        d = Drawing(240, 160)
        bars = VerticalBarChart()
        bars.data = [values]
        d.add(bars)
        story.append(d)
    story += [Table(rows) for rows in tables]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build(story)
    return buffer.getvalue()


def main() -> None:
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtSvgWidgets import QSvgWidget
    from PySide6.QtWidgets import QApplication, QTableView, QTabWidget

    from occe_bureau import bilan, clock
    from occe_bureau.db import Database
    from occe_bureau.formats import school_year_of
    from ui.bilan.tab import BilanTab

    path = copy_of(dataset(), "bench_bilan.sqlite3")
    app = QApplication.instance() or QApplication([])
    db = Database(f"sqlite:///{path}")
    raw = sqlite3.connect(str(path))
    year = school_year_of(clock.today()) - 1
    period = bilan.Period.school_year(year)
    sizes = {t: raw.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
             for t in ("coop", "loan", "donation", "tax_receipt", "sale_order", "training_session")}
    print("data set:", ", ".join(f"{n} {t}" for t, n in sizes.items()))

    report = bilan.report(db, period)  # warm every import
    figures_ms = measure(lambda: bilan.report(db, period), repeat=9)
    figures_floor = measure(lambda: floor_figures(raw, year), repeat=9)

    pdf_ms = measure(lambda: bilan.report_pdf(db, report), repeat=7)
    tables = [[[f.label, f.value_text, f.previous_text, f.change_text] for f in s.figures]
              for s in report.sections]
    charts = [list(c.values) for s in report.sections for c in s.charts]
    sentences = sum(len(s.sentences) for s in report.sections)
    pdf_floor = measure(lambda: floor_pdf(sentences, tables, charts), repeat=7)

    def open_tab(compute: bool) -> None:
        real = bilan.report
        if not compute:
            bilan.report = lambda *_a, **_k: report
        try:
            tab = BilanTab(db)
            tab.resize(1500, 900)
            tab.show()
            tab.on_shown()
            app.processEvents()
        finally:
            bilan.report = real
        tab.close()
        tab.deleteLater()
        app.processEvents()


    tab_ms = measure(lambda: open_tab(False), repeat=9)
    tab_cold_ms = measure(lambda: open_tab(True), repeat=5)
    svgs = [bilan.chart_svg(c) for s in report.sections for c in s.charts]

    def bare_tab() -> None:
        pages = QTabWidget()
        for rows in tables:
            model = QStandardItemModel(len(rows), 4)
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    model.setItem(r, c, QStandardItem(text))
            view = QTableView()
            view.setModel(model)
            pages.addTab(view, "x")
        for data in svgs:
            widget = QSvgWidget()
            widget.load(QByteArray(data))
            pages.addTab(widget, "c")
        pages.resize(1500, 900)
        pages.show()
        app.processEvents()
        pages.close()
        pages.deleteLater()
        app.processEvents()

    tab_floor = measure(bare_tab, repeat=9)
    print_table("Bilan on the 10x data set", [
        ("all the figures of a year (and the one before)", figures_ms,
         "sqlite3, one grouped query a domain a year", figures_floor, "goal < 300 ms"),
        ("the PDF with its charts", pdf_ms, "bare ReportLab, same flowables", pdf_floor, "goal < 1 000 ms"),
        ("opening the tab, figures there", tab_ms, "bare QTabWidget, tables + SVG", tab_floor,
         "goal < 150 ms"),
        ("opening the tab, figures computed", tab_cold_ms, "—", None, "—"),
    ])


if __name__ == "__main__":
    main()
