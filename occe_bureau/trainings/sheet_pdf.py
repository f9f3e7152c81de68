"""The attendance sheet (feuille d'émargement) of a session: what is signed in the room.

Plain data in (`papers.AttendanceSheet`), PDF bytes out. The session's block (training, date,
times, place or link, trainer, partner) and the column titles are the first rows of the one
table, repeated at the top of every page, so that a sheet that runs over several pages says on
each what it is. One line per participant, with their coop and one box to sign per half-day.
User text goes through `esc()`: a name typed "<b>Zoé</b>" or "=1+1" prints exactly so.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, Paragraph, Spacer, Table, TableStyle

from occe_bureau.formats import counted, format_clock, format_day
from occe_bureau.printing import FONT, FONT_BOLD, MARGIN, esc, render, styles, text_lines
from occe_bureau.trainings.papers import AttendanceSheet, HalfDay, SessionPaper

WIDTH = 210 * mm - 2 * MARGIN
NUMBER_WIDTH = 9 * mm
BOX_HEIGHT = 12 * mm          # room for a signature
SIZE = 8.5
PADDING = 4
MAX_LINES = 10                # of a name or a coop (a real one takes one to three, 120 capitals seven)
HEADER_MAX_HEIGHT = 80 * mm   # an absurdly long place or title shrinks rather than breaks the page
GRID = colors.HexColor("#777777")
SHADE = colors.HexColor("#e8eef5")
ZEBRA = colors.HexColor("#f6f8fb")


def _session_facts(session: SessionPaper) -> list[list[tuple[str, str]]]:
    """The session's facts, by lines of one or two (label, value) pairs."""
    times = f"de {format_clock(session.start)} à {format_clock(session.end)}"
    lines = [[("Date", format_day(session.day)), ("Horaires", times)]]
    if session.place:
        lines.append([("Lieu", session.place)])
    if session.video_link:
        lines.append([("Visioconférence", session.video_link)])
    people = [pair for pair in (("Animée par", session.trainers), ("Partenaire", session.partner))
              if pair[1]]
    if people:
        lines.append(people)
    if session.theme_label:
        lines.append([("Thème", session.theme_label)])
    return lines


def _header(sheet: AttendanceSheet) -> KeepInFrame:
    s = styles()
    session = sheet.session
    subtitle = f"<b>{esc(session.training_title)}</b>"
    if session.session_label:
        subtitle += f"<br/>{esc(session.session_label)}"
    content = [Paragraph("Feuille d'émargement", s["title"]), Paragraph(subtitle, s["subtitle"])]
    inner = WIDTH - 4 * mm
    label, value = 34 * mm, inner / 2 - 34 * mm
    rows, spans = [], []
    for i, pairs in enumerate(_session_facts(session)):
        cells = []
        for name, text in pairs:
            cells += [Paragraph(f"<b>{esc(name)} :</b>", s["cell"]), Paragraph(esc(text), s["cell"])]
        if len(pairs) == 1:
            cells += ["", ""]
            spans.append(("SPAN", (1, i), (3, i)))
        rows.append(cells)
    facts = Table(rows, colWidths=[label, value, label, value])
    facts.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5)] + spans))
    content += [facts, Spacer(0, 1 * mm)]
    return KeepInFrame(inner, HEADER_MAX_HEIGHT, content, mode="shrink")


def _columns(boxes: int) -> list[float]:
    """N°, name, coop, then the boxes to sign (one or two half-days)."""
    box = 50 * mm if boxes == 1 else 34 * mm
    rest = WIDTH - NUMBER_WIDTH - box * boxes
    return [NUMBER_WIDTH, rest * 0.46, rest * 0.54] + [box] * boxes


def attendance_sheet_pdf(sheet: AttendanceSheet) -> bytes:
    """The sheet of one session on A4 pages, its block and column titles on each page."""
    s = styles()
    session = sheet.session
    half_days = sorted(set(session.half_days), key=list(HalfDay).index)  # morning first
    box_titles = ([f"Signature<br/><b>{esc(h.label)}</b>" for h in half_days]
                  or ["<b>Signature</b>"])
    boxes = len(box_titles)
    widths = _columns(boxes)
    columns = 3 + boxes

    data: list[list] = [[_header(sheet)] + [""] * (columns - 1),
                        [Paragraph("<b>N°</b>", s["cell"]), Paragraph("<b>Nom et prénom</b>", s["cell"]),
                         Paragraph("<b>Coopérative</b>", s["cell"])]
                        + [Paragraph(t, s["center"]) for t in box_titles]]
    # Names and coops as plain strings: drawn as text (never as markup), wrapped here, and far
    # cheaper than a Paragraph per cell; a pasted page of text stops after a few lines.
    name_width, coop_width = widths[1] - 2 * PADDING, widths[2] - 2 * PADDING
    for number, row in enumerate(sheet.rows, start=1):
        data.append([str(number), text_lines(row.name, FONT_BOLD, SIZE, name_width, MAX_LINES),
                     text_lines(row.coop, FONT, SIZE, coop_width, MAX_LINES)]
                    + [Spacer(0, BOX_HEIGHT - 4) for _ in range(boxes)])
    if not sheet.rows:
        data.append(["", "Aucun participant inscrit.", ""]
                    + [Spacer(0, BOX_HEIGHT - 4) for _ in range(boxes)])

    participants = counted(len(sheet.rows), "participant inscrit", "participants inscrits")
    last = len(data)
    data.append([Paragraph(f"{participants}.", s["body"]), "", "",
                 [Paragraph("Signature de la personne qui anime la formation :", s["body"]),
                  Spacer(0, 16 * mm)]] + [""] * (boxes - 1))
    sign_from = 3
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, SIZE),
        ("FONT", (1, 2), (1, last - 1), FONT_BOLD if sheet.rows else FONT, SIZE),
        ("ALIGN", (0, 2), (0, last - 1), "RIGHT"),
        ("LEFTPADDING", (0, 1), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 1), (-1, -1), PADDING),
        ("SPAN", (0, 0), (-1, 0)),
        ("LEFTPADDING", (0, 0), (-1, 0), 0),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 3 * mm),
        ("GRID", (0, 1), (-1, last - 1), 0.5, GRID),
        ("BACKGROUND", (0, 1), (-1, 1), SHADE),
        ("VALIGN", (0, 1), (-1, -2), "MIDDLE"),
        ("TOPPADDING", (0, 1), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 2),
        ("ROWBACKGROUNDS", (0, 2), (2, last - 1), [colors.white, ZEBRA]),
        # The count and the trainer's box close the sheet, on the page of its last lines.
        ("SPAN", (0, last), (sign_from - 1, last)),
        ("SPAN", (sign_from, last), (-1, last)),
        ("BOX", (sign_from, last), (-1, last), 0.5, GRID),
        ("LEFTPADDING", (0, last), (0, last), 0),
        ("TOPPADDING", (0, last), (-1, last), 4 * mm),
        ("VALIGN", (0, last), (-1, last), "TOP"),
        ("NOSPLIT", (0, max(2, last - 2)), (-1, last)),
    ]
    table = Table(data, colWidths=widths, repeatRows=2)
    table.setStyle(TableStyle(style))
    title = f"Feuille d'émargement – {session.training_title} – {format_day(session.day)}"
    return render([table], sheet.letterhead, title=title)
