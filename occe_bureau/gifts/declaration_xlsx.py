"""The yearly declaration of receipts (article 222 bis CGI) as a workbook, written by the
shared spreadsheet writer (occe_bureau.tabular: one formula neutraliser for every export).

Amounts go in as integer cents; the writer turns them into exact decimal euros. The two
figures are written above the list from the integer totals, so that nobody has to add up a
column of floating-point numbers to know them."""

from __future__ import annotations

from pathlib import Path

from occe_bureau.formats import format_date
from occe_bureau.tabular import OutColumn, euros, write_table

COLUMNS = [
    OutColumn("N°", width=13), OutColumn("Émis le", "date", 11), OutColumn("Donateur", width=30),
    OutColumn("Coopérative", width=40), OutColumn("Date du don", "date", 11),
    OutColumn("Période du", "date", 11), OutColumn("Période au", "date", 11),
    OutColumn("Mode", width=16), OutColumn("Montant (€)", "money", 12),
    OutColumn("Annulé le", "date", 11), OutColumn("Motif d'annulation", width=30),
    OutColumn("Dons de l'exercice (€)", "money", 14), OutColumn("Compté", width=44),
]

COUNTED = "dans le nombre et le montant"
LATE = "dans le montant seulement (délivré après la clôture)"
CANCELLED_AFTER = "dans le nombre seulement (annulé après la clôture)"
CANCELLED = "non compté (annulé avant la clôture)"


def _row(r, counted: str) -> list:
    return [r.number, r.issued_on, r.donor_display, r.coop_label, r.gift_date, r.period_start,
            r.period_end, r.methods_label, r.amount_cents, r.cancelled_on, r.cancel_reason,
            r.counted_cents, counted]


def declaration_xlsx(decl, path: str | Path) -> int:
    """Write the declaration (a gifts.declaration_pdf.Declaration) to `path`: the heading and
    the two figures (with how each is counted) above the list of receipts: those issued in the
    year, those issued after it for its gifts, the cancelled ones last.
    Returns the rows listed."""
    start, end = format_date(decl.start), format_date(decl.end)
    preamble = [
        [f"Déclaration des reçus fiscaux – exercice {decl.label} (du {start} au {end})"],
        [decl.association, decl.siren_rna,
         f"Établie le {format_date(decl.made_on)}" + (f" à {decl.place}" if decl.place else "")],
        ["Nombre de reçus délivrés pendant l'exercice", decl.count,
         f"reçus délivrés du {start} au {end}, sauf ceux annulés au plus tard le {end}"],
        ["Montant total des dons (€)", euros(decl.total_cents),
         f"dons reçus du {start} au {end} figurant sur un reçu valide, quelle que soit sa date"],
        ["Reçus annulés avant la clôture (non comptés)", len(decl.cancelled)],
        [],
    ]
    rows = ([_row(r, CANCELLED_AFTER if r.cancelled_on else COUNTED) for r in decl.rows]
            + [_row(r, LATE) for r in decl.late]
            + [_row(r, CANCELLED) for r in decl.cancelled])
    return write_table(path, COLUMNS, rows, sheet_title="Déclaration", preamble=preamble)
