"""The certificate of attendance (attestation de présence): one page per participant, and one
PDF for all the participants of a course at once.

Plain data in (`papers.Certificate`), PDF bytes out. It says who attended which training, on
which dates, for how many hours of how many, signed by the president (the signature image of
the association's settings when there is one). User text goes through `esc()`.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, PageBreak, Paragraph, Spacer

from occe_bureau.formats import format_dates, format_duration
from occe_bureau.printing import FONT_BOLD, MARGIN, HEADER_HEIGHT, esc, render, signature_block, styles
from occe_bureau.trainings.papers import Certificate

WIDTH = 210 * mm - 2 * MARGIN
# The body of a page (A4 less the margins, the letterhead and the foot), kept on its one page.
PAGE_BODY = 297 * mm - 2 * MARGIN - HEADER_HEIGHT - 4 * mm


def _who_certifies(cert: Certificate) -> str:
    """"Claire Martin, présidente, atteste que" (the association is the letterhead above)."""
    head = cert.letterhead
    if head.signatory_name:
        title = f", {esc(head.signatory_title)}" if head.signatory_title else ""
        return f"{esc(head.signatory_name)}{title}, atteste que"
    return "L'association atteste que"


def _dates(cert: Certificate) -> str:
    days = sorted(set(cert.days))
    if not days:
        return ""
    label = "Date de présence" if len(days) == 1 else "Dates de présence"
    return f"{label} : {format_dates(days)}."


def _hours(cert: Certificate) -> str:
    attended = format_duration(cert.minutes_attended)
    if cert.course_minutes and cert.minutes_attended >= cert.course_minutes:
        return f"Durée de présence : <b>{attended}</b>, soit la totalité de la formation."
    if cert.course_minutes:
        return (f"Durée de présence : <b>{attended}</b>, sur une formation de "
                f"{format_duration(cert.course_minutes)}.")
    return f"Durée de présence : <b>{attended}</b>."


def _page(cert: Certificate) -> KeepInFrame:
    s = styles()
    body = s["body"].clone("certificate_body", fontSize=11, leading=15.5)
    centred = s["center"].clone("certificate_centre", fontSize=11, leading=15.5)
    name = s["title"].clone("certificate_name", fontSize=14, leading=18, spaceAfter=0)
    training = s["title"].clone("certificate_training", fontName=FONT_BOLD, fontSize=13,
                                leading=17, spaceAfter=0)
    content = [
        Spacer(0, 22 * mm),
        Paragraph("Attestation de présence", s["title"].clone("certificate_title", fontSize=20,
                                                              leading=25)),
        Spacer(0, 16 * mm),
        Paragraph(_who_certifies(cert), body),
        Spacer(0, 5 * mm),
        Paragraph(esc(cert.participant), name),
    ]
    if cert.coop:
        content += [Spacer(0, 1.5 * mm), Paragraph(esc(cert.coop), centred)]
    content += [Spacer(0, 6 * mm), Paragraph("a suivi la formation", body), Spacer(0, 3 * mm),
                Paragraph(f"« {esc(cert.training_title)} »", training), Spacer(0, 8 * mm)]
    dates = _dates(cert)
    if dates:
        content += [Paragraph(dates, body), Spacer(0, 2 * mm)]
    content += [Paragraph(_hours(cert), body), Spacer(0, 8 * mm),
                Paragraph("Attestation délivrée pour servir et valoir ce que de droit.", body),
                Spacer(0, 14 * mm),
                signature_block(cert.letterhead, cert.place_and_date, width=80 * mm,
                                image_width=55 * mm, image_height=22 * mm)]
    # A very long name or title shrinks the page's text rather than spill onto a second page.
    return KeepInFrame(WIDTH, PAGE_BODY - 2 * mm, content, mode="shrink")


def certificates_pdf(certs: Sequence[Certificate]) -> bytes:
    """One page per certificate, all in one PDF (a whole course at once)."""
    if not certs:
        raise ValueError("Aucune attestation à imprimer.")
    story: list = []
    for i, cert in enumerate(certs):
        if i:
            story.append(PageBreak())
        story.append(_page(cert))
    title = ("Attestation de présence – " + certs[0].participant if len(certs) == 1
             else f"Attestations de présence – {certs[0].training_title}")
    return render(story, certs[0].letterhead, title=title, page_numbers=False)
