"""The lending desk's papers: the loan slip (two copies), the return receipt, the reminder letter.

Plain data in (already chosen texts, already formatted labels), PDF bytes out. Every user
text goes through `esc()`: a borrower named "<b>Zoé</b>" prints exactly like that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, HRFlowable, KeepTogether, PageBreak, Paragraph, Spacer, Table

from occe_bureau.printing import (MARGIN, TABLE_GRID, Letterhead, PageSection, esc,
                                  image_flowable, render, styles)
from occe_bureau.formats import format_date, format_money

WIDTH = 210 * mm - 2 * MARGIN
COPIES = ("Exemplaire de l'association", "Exemplaire de l'emprunteur")


@dataclass
class SlipItem:
    code: str
    name: str
    accessories: list[str] = field(default_factory=list)
    replacement_value_cents: int = 0
    # For the return receipt:
    status_label: str = ""
    returned_on: date | None = None
    condition: str = ""
    missing_accessories: str = ""
    return_notes: str = ""
    still_out: bool = False  # not back yet (the return receipt lists it as still on loan)


@dataclass
class SlipData:
    slip_label: str
    coop_number: str
    coop_name: str
    coop_address_lines: list[str]
    borrower: str
    start_date: date
    due_date: date
    items: list[SlipItem]
    handed_over_by: str = ""
    mandataire_name: str = ""
    notes: str = ""
    conditions: str = ""
    is_booking: bool = False


@dataclass
class ReminderData:
    slip: SlipData
    today: date
    days_late: int
    reminder_number: int  # 1 for the first reminder
    text: str
    place: str = ""
    salutation: str = "Madame, Monsieur"  # "Madame" for a letter to Mme Benali
    last: bool = False  # the last letter (the third and after)


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(text, styles()[style])


def _coop_block(data: SlipData) -> Table:
    left = [_p("<b>Coopérative</b>", "small"),
            _p(f"<b>{esc(data.coop_number)} – {esc(data.coop_name)}</b>")]
    left += [_p(esc(line)) for line in data.coop_address_lines]
    right = [_p("<b>Emprunteur</b>", "small"), _p(esc(data.borrower))]
    if data.mandataire_name and data.mandataire_name != data.borrower:
        right.append(_p(f"Mandataire : {esc(data.mandataire_name)}", "small"))
    dates = [_p("<b>Dates</b>", "small"),
             _p(f"Départ : <b>{format_date(data.start_date)}</b>"),
             _p(f"Retour prévu : <b>{format_date(data.due_date)}</b>")]
    table = Table([[left, right, dates]], colWidths=[WIDTH * 0.42, WIDTH * 0.30, WIDTH * 0.28])
    table.setStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
                    ("LINEBEFORE", (1, 0), (-1, -1), 0.4, colors.HexColor("#bbbbbb")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)])
    return table


def _items_table(items: list[SlipItem]) -> Table:
    header = [_p("<b>Code</b>", "cell"), _p("<b>Matériel</b>", "cell"),
              _p("<b>Accessoires à vérifier</b>", "cell"),
              _p("<b>Valeur de remplacement</b>", "tiny"),
              _p("<b>Vérifié au départ</b>", "tiny"), _p("<b>Vérifié au retour</b>", "tiny")]
    rows = [header]
    for item in items:
        accessories = "<br/>".join(f"☐ {esc(a)}" for a in item.accessories) or "—"
        rows.append([_p(esc(item.code), "cell_bold"), _p(esc(item.name), "cell"),
                     _p(accessories, "cell"),
                     _p(format_money(item.replacement_value_cents), "cell_right"),
                     _p("☐", "cell"), _p("☐", "cell")])
    total = sum(i.replacement_value_cents for i in items)
    rows.append(["", _p(f"<b>{len(items)} matériel{'s' if len(items) > 1 else ''}</b>", "cell"),
                 _p("<b>Valeur totale</b>", "cell_right"), _p(f"<b>{format_money(total)}</b>", "cell_right"),
                 "", ""])
    table = Table(rows, colWidths=[WIDTH * 0.11, WIDTH * 0.27, WIDTH * 0.30, WIDTH * 0.14,
                                   WIDTH * 0.09, WIDTH * 0.09], repeatRows=1, splitInRow=1)
    table.setStyle(TABLE_GRID + [("SPAN", (0, -1), (0, -1))])
    return table


def _signature_boxes(left_title: str, left_name: str, right_title: str, right_name: str) -> Table:
    def box(title: str, name: str):
        lines = [_p(f"<b>{title}</b>", "small")]
        lines.append(_p(f"Nom : {esc(name)}" if name else "Nom :", "small"))
        lines += [_p("Date :", "small"), _p("Signature :", "small"), Spacer(1, 12 * mm)]
        return lines
    table = Table([[box(left_title, left_name), box(right_title, right_name)]],
                  colWidths=[WIDTH / 2, WIDTH / 2])
    table.setStyle([("BOX", (0, 0), (0, 0), 0.5, colors.HexColor("#888888")),
                    ("BOX", (1, 0), (1, 0), 0.5, colors.HexColor("#888888")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP")])
    return table


def _return_part(data: SlipData) -> list:
    rows = [[_p("<b>Retour du matériel</b> (à remplir au retour)", "small"), ""],
            [_p("Date du retour : ____ / ____ / ________", "small"),
             _p("Matériel complet : ☐ oui   ☐ non", "small")],
            [_p("État : ☐ bon   ☐ abîmé (préciser)", "small"),
             _p("Accessoires manquants :", "small")],
            [_p("Reçu par (nom, signature) :", "small"), _p("Signature de l'emprunteur :", "small")],
            [Spacer(1, 10 * mm), ""]]
    table = Table(rows, colWidths=[WIDTH / 2, WIDTH / 2])
    table.setStyle([("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                    ("SPAN", (0, 0), (1, 0)),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                    ("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black, None, (3, 2)),
                    ("VALIGN", (0, 0), (-1, -1), "TOP")])
    cut = HRFlowable(width="100%", thickness=0.5, dash=(3, 2), color=colors.HexColor("#777777"),
                     spaceBefore=3 * mm, spaceAfter=2 * mm)
    return [KeepTogether([cut, table])]


def _title(text: str, subtitle: str = "") -> list:
    parts = [_p(text, "title")]
    if subtitle:
        parts.append(_p(subtitle, "subtitle"))
    return parts


def loan_slip_pdf(data: SlipData, head: Letterhead) -> bytes:
    """The bon de prêt: two copies (association, borrower), each starting on its own page."""
    story: list = []
    kind = "Bon de réservation" if data.is_booking else "Bon de prêt"
    for index, copy in enumerate(COPIES):
        if index:
            story.append(PageBreak())
        # Each copy is numbered on its own, and each of its pages says which slip and copy.
        story.append(PageSection(f"{kind} n° {data.slip_label} – {copy}"))
        story += _title(f"{kind} n° {esc(data.slip_label)}", f"<i>{copy}</i>")
        story += [_coop_block(data), Spacer(1, 4 * mm), _items_table(data.items)]
        if data.notes:
            story += [Spacer(1, 2 * mm), _p(f"<b>Notes :</b> {esc(data.notes)}", "small")]
        if data.conditions:
            story += [_p("Conditions du prêt", "h2"), _p(esc(data.conditions), "small")]
        story += [Spacer(1, 4 * mm), CondPageBreak(40 * mm),
                  _signature_boxes("Remis par (pour l'association)", data.handed_over_by,
                                   "Reçu par l'emprunteur", data.borrower)]
        story += _return_part(data)
    return render(story, head, title=f"{kind} n° {data.slip_label}")


def _receipt_table(items: list[SlipItem]) -> Table:
    """One row per item (what, its situation, the day it came back, its state, what is
    missing), and under it, across the row, the remarks made at its return."""
    rows = [[_p("<b>Code</b>", "cell"), _p("<b>Matériel</b>", "cell"),
             _p("<b>Situation</b>", "cell"), _p("<b>Rendu le</b>", "cell"),
             _p("<b>État au retour</b>", "cell"), _p("<b>Manquant</b>", "cell")]]
    spans = []
    for item in items:
        rows.append([_p(esc(item.code), "cell_bold"), _p(esc(item.name), "cell"),
                     _p(esc(item.status_label), "cell"), _p(format_date(item.returned_on), "cell"),
                     _p(esc(item.condition) or "—", "cell"),
                     _p(esc(item.missing_accessories) or "—", "cell")])
        if item.return_notes:
            rows.append(["", _p(f"<b>Remarques :</b> {esc(item.return_notes)}", "cell"),
                         "", "", "", ""])
            row = len(rows) - 1
            spans += [("SPAN", (0, row - 1), (0, row)), ("SPAN", (1, row), (5, row))]
    table = Table(rows, colWidths=[WIDTH * 0.12, WIDTH * 0.26, WIDTH * 0.12, WIDTH * 0.12,
                                   WIDTH * 0.16, WIDTH * 0.22], repeatRows=1, splitInRow=1)
    table.setStyle(TABLE_GRID + spans)
    return table


def return_receipt_pdf(data: SlipData, head: Letterhead) -> bytes:
    """What came back, in what state, what is missing, the remarks, and what is still out."""
    story = _title(f"Reçu de retour – bon de prêt n° {esc(data.slip_label)}")
    story += [_coop_block(data), Spacer(1, 4 * mm), _receipt_table(data.items)]
    missing = [i for i in data.items if i.missing_accessories]
    still_out = [i for i in data.items if i.still_out]
    story.append(Spacer(1, 3 * mm))
    if still_out:
        story.append(_p("<b>Encore en prêt :</b> " + esc(", ".join(f"{i.code} – {i.name}" for i in still_out))
                        + f" (retour prévu le {format_date(data.due_date)})."))
    if missing:
        story.append(_p("<b>Accessoires manquants à rapporter :</b> "
                        + esc("; ".join(f"{i.code} : {i.missing_accessories}" for i in missing))))
    if not still_out and not missing:
        story.append(_p("Tout le matériel de ce prêt a été rendu. Merci !"))
    story += [Spacer(1, 6 * mm),
              _signature_boxes("Reçu par (pour l'association)", "", "L'emprunteur", data.borrower)]
    return render(story, head, title=f"Reçu de retour – bon n° {data.slip_label}")


def reminder_letter_pdf(data: ReminderData, head: Letterhead) -> bytes:
    """A letter to the coop for an overdue loan (the reminder itself is logged by the service)."""
    return render(_reminder_story(data, head), head, title=f"Relance – bon n° {data.slip.slip_label}")


def reminder_letters_pdf(letters: list[ReminderData], head: Letterhead) -> bytes:
    """Every letter of a batch in one document, each on its own page (no page numbers: each
    letter goes to a different school)."""
    story: list = []
    for index, data in enumerate(letters):
        if index:
            story.append(PageBreak())
        story += _reminder_story(data, head)
    return render(story, head, title=f"Relances – {len(letters)} lettres", page_numbers=False)


def _reminder_story(data: ReminderData, head: Letterhead) -> list:
    slip = data.slip
    recipient = [f"<b>{esc(slip.coop_name)}</b>", f"À l'attention de {esc(slip.borrower)}"]
    recipient += [esc(line) for line in slip.coop_address_lines]
    address = Table([["", _p("<br/>".join(recipient))]], colWidths=[WIDTH * 0.55, WIDTH * 0.45])
    where = f"{esc(data.place)}, le " if data.place else "Le "
    ordinal = "Relance" if data.reminder_number <= 1 else f"{data.reminder_number}<super>e</super> relance"
    if data.last:
        ordinal = (f"{data.reminder_number}<super>e</super> et dernière relance"
                   if data.reminder_number > 1 else "Dernière relance")
    story: list = [Spacer(1, 6 * mm), address, Spacer(1, 8 * mm),
                   _p(f"{where}{format_date(data.today)}", "right"), Spacer(1, 6 * mm),
                   _p(f"<b>Objet : {ordinal} – matériel non rendu (bon de prêt n° "
                      f"{esc(slip.slip_label)}, coopérative {esc(slip.coop_number)})</b>"),
                   Spacer(1, 4 * mm), _p(f"{esc(data.salutation)},"), Spacer(1, 2 * mm),
                   _p(esc(data.text)), Spacer(1, 3 * mm)]
    rows = [[_p("<b>Code</b>", "cell"), _p("<b>Matériel</b>", "cell"),
             _p("<b>Parti le</b>", "cell"), _p("<b>Retour prévu</b>", "cell"),
             _p("<b>Retard</b>", "cell_right")]]
    for item in slip.items:
        rows.append([_p(esc(item.code), "cell_bold"), _p(esc(item.name), "cell"),
                     _p(format_date(slip.start_date), "cell"), _p(format_date(slip.due_date), "cell"),
                     _p(f"{data.days_late} jour{'s' if data.days_late > 1 else ''}", "cell_right")])
    table = Table(rows, colWidths=[WIDTH * 0.14, WIDTH * 0.44, WIDTH * 0.14, WIDTH * 0.14,
                                   WIDTH * 0.14], repeatRows=1)
    table.setStyle(TABLE_GRID)
    story += [table, Spacer(1, 5 * mm),
              _p(f"Nous vous prions d'agréer, {esc(data.salutation)}, nos salutations coopératives."),
              Spacer(1, 8 * mm)]
    signature = [_p(esc(head.signatory_name) or "&nbsp;", "bold"),
                 _p(esc(head.signatory_title), "small")]
    image = image_flowable(head.signature, 45 * mm, 20 * mm)
    if image is not None:
        signature.insert(0, image)
    story.append(Table([["", signature]], colWidths=[WIDTH * 0.55, WIDTH * 0.45]))
    return story
