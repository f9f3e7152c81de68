"""The invitation (convocation) to a training: to whom, when, where or by which link, what to
bring, and whom to warn when one cannot come.

Plain data in (`papers.Invitation`: one session, or every session of a course), PDF bytes out.
User text goes through `esc()`; a video link is printed as typed and clickable in the PDF.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from occe_bureau.formats import counted, format_clock, format_date, format_day
from occe_bureau.printing import MARGIN, TABLE_GRID, cell, esc, link, render, signature_block, styles
from occe_bureau.trainings.papers import Invitation, SessionPaper

WIDTH = 210 * mm - 2 * MARGIN


def _where(session: SessionPaper) -> str:
    parts = []
    if session.place:
        parts.append(esc(session.place))
    if session.video_link:
        parts.append(f"En visioconférence : {link(session.video_link)}")
    return "<br/>".join(parts) or "Lieu communiqué ultérieurement"


def _unique(values) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen


def _sessions_table(inv: Invitation) -> Table:
    s = styles()
    rows = [[Paragraph("<b>Date</b>", s["cell"]), Paragraph("<b>Horaires</b>", s["cell"]),
             Paragraph("<b>Lieu ou lien</b>", s["cell"])]]
    for session in sorted(inv.sessions, key=lambda x: (x.day, x.start)):
        times = f"de {format_clock(session.start)} à {format_clock(session.end)}"
        day = f"<b>{format_day(session.day)}</b>"
        if session.session_label:
            day += f"<br/>{esc(session.session_label)}"
        rows.append([Paragraph(day, s["cell"]),
                     Paragraph(times, s["cell"]), cell(_where(session), s["cell"])])
    table = Table(rows, colWidths=[WIDTH * 0.24, WIDTH * 0.24, WIDTH * 0.52], repeatRows=1)
    table.setStyle(TABLE_GRID + [("TOPPADDING", (0, 0), (-1, -1), 3),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 3)])
    return table


def invitation_pdf(inv: Invitation) -> bytes:
    s = styles()
    sessions = sorted(inv.sessions, key=lambda x: (x.day, x.start))
    recipient = [f"<b>{esc(inv.participant)}</b>"] + ([esc(inv.email)] if inv.email else [])
    address = Table([["", cell("<br/>".join(recipient), s["body"])]],
                    colWidths=[WIDTH * 0.55, WIDTH * 0.45])
    address.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story: list = [Spacer(0, 4 * mm), address, Spacer(0, 6 * mm)]
    if inv.place_and_date:
        story += [Paragraph(esc(inv.place_and_date), s["right"]), Spacer(0, 5 * mm)]
    story += [Paragraph(f"<b>Objet : convocation à la formation « {esc(inv.training_title)} »</b>",
                        s["body"]),
              Spacer(0, 5 * mm), Paragraph("Madame, Monsieur,", s["body"]), Spacer(0, 2 * mm)]
    if len(sessions) > 1:
        count = counted(len(sessions), "séance", "séances")
        opening = (f"Votre inscription à la formation « {esc(inv.training_title)} » est confirmée. "
                   f"Elle se déroule en {count}, auxquelles nous vous attendons :")
    elif sessions:
        opening = (f"Votre inscription à la formation « {esc(inv.training_title)} » est confirmée. "
                   "Nous vous y attendons :")
    else:
        opening = f"Votre inscription à la formation « {esc(inv.training_title)} » est confirmée."
    story += [Paragraph(opening, s["body"]), Spacer(0, 3 * mm)]
    if sessions:
        story += [_sessions_table(inv), Spacer(0, 4 * mm)]

    facts = []
    trainers = _unique(x.trainers for x in sessions)
    if trainers:
        facts.append(("Formation animée par", " ; ".join(trainers)))
    partners = _unique(x.partner for x in sessions)
    if partners:
        facts.append(("En partenariat avec", " ; ".join(partners)))
    bring = _unique(x.what_to_bring for x in sessions)
    if len(bring) == 1:
        facts.append(("À apporter", bring[0]))
    elif bring:
        for session in sessions:
            if session.what_to_bring:
                facts.append((f"À apporter le {format_date(session.day)}", session.what_to_bring))
    for label, value in facts:
        story.append(Paragraph(f"<b>{esc(label)} :</b> {esc(value)}", s["body"]))
        story.append(Spacer(0, 1.5 * mm))

    if any(x.video_link for x in sessions):
        story += [Spacer(0, 2 * mm),
                  Paragraph("Pour une séance en visioconférence, ouvrez le lien indiqué quelques "
                            "minutes avant le début, avec un ordinateur équipé d'un micro et "
                            "d'une caméra.", s["body"])]
    story += [Spacer(0, 2 * mm),
              Paragraph("En cas d'empêchement, merci de nous prévenir au plus tôt : votre place "
                        "pourra être proposée à une personne inscrite en liste d'attente.",
                        s["body"]),
              Spacer(0, 3 * mm),
              Paragraph("Nous vous prions d'agréer, Madame, Monsieur, nos salutations "
                        "coopératives.", s["body"]),
              Spacer(0, 6 * mm),
              signature_block(inv.letterhead, width=80 * mm)]
    return render(story, inv.letterhead,
                  title=f"Convocation – {inv.training_title} – {inv.participant}")
