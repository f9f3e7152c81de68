"""The yearly declaration of receipts (article 222 bis CGI) as a workbook, written by the
shared spreadsheet writer (occe_bureau.tabular: one formula neutraliser for every export)."""

from __future__ import annotations

from pathlib import Path

from occe_bureau.formats import format_date
from occe_bureau.tabular import OutColumn, write_table

COLUMNS = [
    OutColumn("N°", width=13), OutColumn("Émis le", "date", 11), OutColumn("Donateur", width=30),
    OutColumn("Coopérative", width=40), OutColumn("Date du don", "date", 11),
    OutColumn("Période du", "date", 11), OutColumn("Période au", "date", 11),
    OutColumn("Mode", width=16), OutColumn("Montant (€)", "money", 12),
    OutColumn("Annulé le", "date", 11), OutColumn("Motif d'annulation", width=30),
]


def declaration_xlsx(decl, path: str | Path) -> int:
    """Write the declaration (a gifts.declaration_pdf.Declaration) to `path`: the heading and
    the totals above the list of receipts, the cancelled ones last. Returns the rows listed."""
    preamble = [
        [f"Déclaration des reçus fiscaux – exercice {decl.label} "
         f"(du {format_date(decl.start)} au {format_date(decl.end)})"],
        [decl.association, decl.siren_rna],
        ["Nombre de reçus (annulés exclus)", decl.count],
        ["Montant total (€)", decl.total_cents / 100],
        ["Reçus annulés (non comptés)", len(decl.cancelled)],
        [],
    ]
    rows = ([r.number, r.issued_on, r.donor_display, r.coop_label, r.gift_date, r.period_start,
             r.period_end, r.methods_label, r.amount_cents, r.cancelled_on, r.cancel_reason]
            for r in list(decl.rows) + list(decl.cancelled))
    return write_table(path, COLUMNS, rows, sheet_title="Déclaration", preamble=preamble)
