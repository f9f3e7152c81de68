"""The certificate of attendance (attestation de présence): one page per participant, and one
PDF for all the participants of a course at once.

Plain data in (`papers.Certificate`), PDF bytes out. It says who attended which training, on
which dates, for how many hours of how many, signed by the president (the signature image of
the association's settings when there is one).

A course prints all its certificates at once, so the page is drawn straight onto the canvas
(as the tax receipts are): the letterhead and the signature image are drawn once into form
objects and placed on every page, and text is drawn as text, never parsed as markup, so a name
typed "<b>Zoé</b>" or "=1+1" prints exactly so. Each text has a number of lines it may take
(far more than a real one needs), so that a certificate always holds on its one page.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from occe_bureau.formats import format_dates, format_duration
from occe_bureau.printing import (FONT, FONT_BOLD, HEADER_HEIGHT, MARGIN, FormCache, TextPen,
                                  canvas_document)
from occe_bureau.trainings.papers import Certificate

WIDTH, HEIGHT = A4
LEFT = MARGIN
TEXT_WIDTH = WIDTH - 2 * MARGIN
SIGN_WIDTH = 80 * mm
SIZE = 11
LEADING = 15.5


def _who_certifies(cert: Certificate) -> str:
    """"Claire Martin, présidente, atteste que" (the association is the letterhead above)."""
    head = cert.letterhead
    if head.signatory_name:
        title = f", {head.signatory_title}" if head.signatory_title else ""
        return f"{head.signatory_name}{title}, atteste que"
    return "L'association atteste que"


def _dates(cert: Certificate) -> str:
    days = sorted(set(cert.days))
    if not days:
        return ""
    label = "Date de présence" if len(days) == 1 else "Dates de présence"
    return f"{label} : {format_dates(days)}."


def _hours(cert: Certificate) -> tuple[str, str, str]:
    """The hours' sentence, in three parts: before, the hours attended (in bold), after."""
    attended = format_duration(cert.minutes_attended)
    if cert.course_minutes and cert.minutes_attended >= cert.course_minutes:
        return "Durée de présence : ", attended, ", soit la totalité de la formation."
    if cert.course_minutes:
        return ("Durée de présence : ", attended,
                f", sur une formation de {format_duration(cert.course_minutes)}.")
    return "Durée de présence : ", attended, "."


def _page(canvas, forms: FormCache, cert: Certificate) -> None:
    head = cert.letterhead
    forms.letterhead(head)
    pen = TextPen(canvas, HEIGHT - MARGIN - HEADER_HEIGHT - 24 * mm)
    pen.paragraph("Attestation de présence", FONT_BOLD, 20, width=TEXT_WIDTH, align="center")
    pen.down(12 * mm)
    pen.paragraph(_who_certifies(cert), FONT, SIZE, leading=LEADING, max_lines=3)
    pen.down(4 * mm)
    pen.paragraph(cert.participant, FONT_BOLD, 14, width=TEXT_WIDTH, align="center",
                  leading=18, max_lines=3)
    if cert.coop:
        pen.down(1 * mm)
        pen.paragraph(cert.coop, FONT, SIZE, width=TEXT_WIDTH, align="center", leading=LEADING,
                      max_lines=2)
    pen.down(5 * mm)
    pen.paragraph("a suivi la formation", FONT, SIZE, leading=LEADING)
    pen.down(2 * mm)
    pen.paragraph(f"« {cert.training_title} »", FONT_BOLD, 13, width=TEXT_WIDTH, align="center",
                  leading=17, max_lines=4)
    pen.down(6 * mm)
    dates = _dates(cert)
    if dates:
        pen.paragraph(dates, FONT, SIZE, leading=LEADING, max_lines=4)
        pen.down(1.5 * mm)
    before, hours, after = _hours(cert)
    x = pen.put(LEFT, before, FONT, SIZE)
    x = pen.put(x, hours, FONT_BOLD, SIZE)
    pen.put(x, after, FONT, SIZE)
    pen.down(LEADING + 7 * mm)
    pen.paragraph("Attestation délivrée pour servir et valoir ce que de droit.", FONT, SIZE,
                  leading=LEADING)
    pen.down(12 * mm)

    left = WIDTH - MARGIN - SIGN_WIDTH
    if cert.place_and_date:
        pen.paragraph(cert.place_and_date, FONT, 9.5, x=left, width=SIGN_WIDTH, leading=12.5,
                      max_lines=2)
    who = head.signatory_name + (f", {head.signatory_title}" if head.signatory_title else "")
    if who:
        pen.paragraph(who, FONT_BOLD, 9.5, x=left, width=SIGN_WIDTH, leading=12.5, max_lines=2)
    pen.finish()
    if head.signature:
        forms.image(head.signature, 55 * mm, 22 * mm, x=left, top=pen.y + 8)


def certificates_pdf(certs: Sequence[Certificate]) -> bytes:
    """One page per certificate, all in one PDF (a whole course at once)."""
    if not certs:
        raise ValueError("Aucune attestation à imprimer.")
    title = ("Attestation de présence – " + certs[0].participant if len(certs) == 1
             else f"Attestations de présence – {certs[0].training_title}")
    canvas, buffer = canvas_document(title, certs[0].letterhead.name)
    forms = FormCache(canvas)
    for i, cert in enumerate(certs):
        if i:
            canvas.showPage()
        _page(canvas, forms, cert)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
