"""Receipts benchmark on the 10x demo data set (about 25 000 gifts). A script, not a test.

    .venv/bin/python bench/bench_receipts.py [--scale 10] [--batch 5000]

Builds the demo database in a temporary folder, then measures:
- issuing and rendering N pending receipts into one PDF (the batch, with its progress calls),
  against the floor of ReportLab drawing N nearly empty pages; and the receipt chain's part
  of that batch;
- one receipt: issue + render, against the floor of one nearly empty page;
- the declaration of a financial year, against a raw SQL count/sum over the same rows.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, text  # noqa: E402

from occe_bureau.db import Database  # noqa: E402
from occe_bureau.demo import build_demo  # noqa: E402
from occe_bureau.migrate import prepare_database  # noqa: E402
from occe_bureau.gifts.models import Donation  # noqa: E402
from occe_bureau import gifts  # noqa: E402
from occe_bureau import clock


def timed(fn, repeat: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def empty_pages(n: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from occe_bureau.printing import FONT, register_fonts

    register_fonts()
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    for i in range(n):
        c.setFont(FONT, 10)
        c.drawString(50, 800, f"Reçu n° {i}")
        c.showPage()
    c.save()
    return buffer.getvalue()


def add_pending(db: Database, count: int, today: date) -> None:
    """Make sure `count` gifts are waiting for a receipt (copies of existing gifts)."""
    with db.transaction() as s:
        have = s.scalar(select(text("count(*)")).select_from(Donation).where(Donation.receipt_id.is_(None)))
        missing = count - have
        if missing <= 0:
            return
        rows = s.execute(select(Donation.donor_id, Donation.coop_id, Donation.amount_cents,
                                Donation.received_on, Donation.method).limit(missing)).all()
        now = clock.now()
        s.execute(insert(Donation), [dict(
            donor_id=r[0], coop_id=r[1], amount_cents=r[2], received_on=min(today, r[3]),
            method=r[4], cheque_number="", form="manuel", nature="numeraire", source="coop",
            project="", notes="", kind_description="", kind_valuation="", service_confirmed=False, withdrawn=False, withdrawn_reason="",
            receipt_id=None, created_at=now) for r in rows])


def chain_timer(stop: bool = False) -> list[float]:
    """Time spent in the receipt chain's step of each issue (hashing the receipt and moving
    the register on; the receipt's own INSERT left out), added up in the returned list."""
    from occe_bureau.gifts.chain import ChainHead

    if stop:
        ChainHead.extend = ChainHead.real_extend
        return []
    spent = [0.0]
    real = ChainHead.real_extend = ChainHead.extend

    def extend(self, conn, values, lines, insert_receipt):
        inserting = [0.0]

        def timed_insert(v):
            started = time.perf_counter()
            receipt_id = insert_receipt(v)
            inserting[0] += time.perf_counter() - started
            return receipt_id

        started = time.perf_counter()
        receipt_id = real(self, conn, values, lines, timed_insert)
        spent[0] += (time.perf_counter() - started - inserting[0]) * 1000
        return receipt_id

    ChainHead.extend = extend
    return spent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--batch", type=int, default=5000)
    args = parser.parse_args()
    today = clock.today()
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        prepare_database(db, Path(folder) / "backups")
        t0 = time.perf_counter()
        build_demo(db, scale=args.scale, today=today)
        with db.session() as s:
            n_gifts = s.scalar(text("SELECT count(*) FROM donation"))
            receipts = s.scalar(text("SELECT count(*) FROM tax_receipt"))
        print(f"Demo scale {args.scale}: {n_gifts} gifts, {receipts} receipts, built in "
              f"{time.perf_counter() - t0:.1f} s")
        add_pending(db, args.batch, today)

        rows = []
        # batch: issue + render N receipts into one PDF
        batch = gifts.ReceiptBatch(db, gifts.BatchSelection(), today=today)
        batch.groups = batch.groups[:args.batch]
        batch.total = len(batch.groups)
        progress_calls = 0

        def progress(done, total):
            nonlocal progress_calls
            progress_calls += 1

        chain_ms = chain_timer()
        start = time.perf_counter()
        result = batch.run(progress=progress)
        batch_ms = (time.perf_counter() - start) * 1000
        chain_timer(stop=True)
        n = len(result.receipt_ids)
        floor_ms, _ = timed(lambda: empty_pages(n), repeat=1)
        rate = n / (batch_ms / 1000)
        rows.append((f"batch: issue + render {n} receipts, one PDF ({len(result.pdf) // 1024} Ko, "
                     f"{progress_calls} progress calls) — {rate:.0f} reçus/s",
                     batch_ms, floor_ms, f">= 250/s ({n / 250 * 1000:.0f} ms)"))
        rows.append((f"  of which the receipt chain (hash + register, {chain_ms[0] / n * 1000:.0f} µs a "
                     "receipt); floor: the whole batch", chain_ms[0], batch_ms,
                     f"{chain_ms[0] / batch_ms:.1%} of the batch"))

        # one receipt: issue + render
        add_pending(db, 20, today)
        pending = gifts.pending_groups(db, gifts.BatchSelection())
        it = iter(pending)

        def one():
            rid = gifts.issue_receipt(db, next(it)[0], today=today)
            return gifts.render_receipt(db, rid)

        one_ms, _ = timed(one, repeat=9)
        one_floor, _ = timed(lambda: empty_pages(1), repeat=9)
        rows.append(("one receipt: issue + render", one_ms, one_floor, "< 50 ms"))
        reprint_ms, _ = timed(lambda: gifts.render_receipt(db, result.receipt_ids[0]), repeat=9)
        rows.append(("one receipt: reprint (duplicate)", reprint_ms, one_floor, "< 50 ms"))

        # declaration of the last complete financial year
        year = gifts.current_financial_year(db, today) - 1
        decl_ms, decl = timed(lambda: gifts.declaration(db, year), repeat=7)
        start_d, end_d = gifts.financial_year_bounds(year, gifts.financial_year_start(db))

        import sqlite3

        def raw():  # the bare stack: sqlite3 reading the same columns of the same rows
            con = sqlite3.connect(db.sqlite_file)
            try:
                return con.execute(
                    "SELECT id, number, year, seq, issued_on, CASE WHEN donor_kind = 'company' OR "
                    "donor_first_names = '' THEN donor_name ELSE donor_name || ' ' || "
                    "donor_first_names END, coop_label, amount_cents, gift_date, period_start, "
                    "period_end, methods, cancelled, cancelled_on, cancel_reason "
                    "FROM tax_receipt WHERE issued_on >= ? AND issued_on <= ? ORDER BY year, seq",
                    (start_d.isoformat(), end_d.isoformat())).fetchall()
            finally:
                con.close()

        raw_ms, _ = timed(raw, repeat=7)
        rows.append((f"declaration {decl.label}: {decl.count} receipts, {decl.total_cents / 100:.2f} €,"
                     " with the list", decl_ms, raw_ms, "< 100 ms"))
        totals_ms, _ = timed(lambda: gifts.year_totals(db, year), repeat=7)

        def raw_totals():
            con = sqlite3.connect(db.sqlite_file)
            try:
                return con.execute("SELECT count(*), sum(amount_cents) FROM tax_receipt WHERE "
                                   "issued_on >= ? AND issued_on <= ? AND cancelled = 0",
                                   (start_d.isoformat(), end_d.isoformat())).fetchall()
            finally:
                con.close()

        rows.append(("year totals shown in the tab (gifts, receipts, cancelled, pending)", totals_ms,
                     timed(raw_totals, repeat=7)[0], "< 100 ms"))


        def tab_load():
            gifts.list_donations(db, gifts.DonationFilter(start=start_d, end=end_d))
            gifts.list_receipts(db, gifts.ReceiptFilter(year=year))
            gifts.totals_by_coop(db, start_d, end_d)
            gifts.year_totals(db, year)

        def raw_tab():
            con = sqlite3.connect(db.sqlite_file)
            try:
                con.execute(
                    "SELECT d.id, d.received_on, d.amount_cents, d.method, d.cheque_number, d.source, "
                    "d.project, o.id, o.kind, o.last_name, o.first_names, o.company_name, "
                    "o.postal_code, o.city, c.id, c.number, c.name, d.receipt_id, r.number, "
                    "d.withdrawn, o.search_key || ' ' || c.search_key FROM donation d "
                    "JOIN donor o ON o.id = d.donor_id JOIN coop c ON c.id = d.coop_id "
                    "LEFT JOIN tax_receipt r ON r.id = d.receipt_id "
                    "WHERE d.received_on >= ? AND d.received_on <= ?",
                    (start_d.isoformat(), end_d.isoformat())).fetchall()
                con.execute("SELECT * FROM tax_receipt WHERE year = ?", (year,)).fetchall()
            finally:
                con.close()

        tab_ms, _ = timed(tab_load, repeat=5)
        rows.append(("tab load for a year (gifts, receipts, per coop, totals)", tab_ms,
                     timed(raw_tab, repeat=5)[0], "—"))

        from occe_bureau.association import letterhead
        from occe_bureau.gifts.declaration_pdf import declaration_pdf
        from occe_bureau.gifts.declaration_xlsx import declaration_xlsx

        head = letterhead(db)
        pdf_ms, decl_pdf = timed(lambda: declaration_pdf(decl, head), repeat=3)
        xlsx_path = Path(tempfile.mkdtemp()) / "declaration.xlsx"
        xlsx_ms, _ = timed(lambda: declaration_xlsx(decl, xlsx_path), repeat=3)
        import pypdfium2

        pages = len(pypdfium2.PdfDocument(decl_pdf))
        listed = len(decl.rows) + len(decl.late) + len(decl.cancelled)
        rows.append((f"declaration PDF ({pages} pages for {listed} receipts listed)", pdf_ms,
                     timed(lambda: empty_pages(pages), 1)[0], "—"))
        def bare_xlsx():  # openpyxl streaming the same number of rows, no formats
            from openpyxl import Workbook

            wb = Workbook(write_only=True)
            ws = wb.create_sheet()
            for r in decl.rows:
                ws.append([r.number, r.issued_on, r.donor_display, r.coop_label, r.gift_date, None,
                           None, r.methods, r.amount_cents / 100, None, ""])
            out = io.BytesIO()
            wb.save(out)

        rows.append(("declaration XLSX", xlsx_ms, timed(bare_xlsx, repeat=1)[0], "—"))
        db.dispose()

    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)} | median ms | floor ms | goal")
    print(f"{'-' * width}-|-----------|----------|-----")
    for name, ms, floor, goal in rows:
        print(f"{name.ljust(width)} | {ms:9.1f} | {floor:8.1f} | {goal}")


if __name__ == "__main__":
    main()
