"""What every printed document shares: embedded fonts, the association header, page numbers.

Renderers build a list of flowables and call `render(...)`; user text always goes
through `esc()` before it reaches a Paragraph.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, Image, PageTemplate

from occe_bureau.paths import ressources_dir

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
MARGIN = 15 * mm
HEADER_HEIGHT = 26 * mm
FOOT_GREY = colors.HexColor("#555555")


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Embed DejaVu Sans: it covers French and the names parents have (Ł, ğ, ø, ễ…).

    Streams are compressed without the ASCII85 layer on top: a quarter smaller, and no time
    spent in ReportLab's pure-Python encoder."""
    from reportlab import rl_config

    rl_config.useA85 = 0
    folder = ressources_dir() / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_ITALIC, str(folder / "DejaVuSans-Oblique.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                  boldItalic=FONT_BOLD)


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """The text cut with "…" so that it fits the width (for lines drawn on the canvas)."""
    if text_width(text, font, size) <= width:
        return text
    while text and text_width(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def esc(text: object) -> str:
    """User text made safe for a Paragraph: markup shows as typed, new lines are kept."""
    return escape("" if text is None else str(text)).replace("\n", "<br/>")


@lru_cache(maxsize=1)
def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of `text` no wider than `width`: words wrapped, and a word too long for one line
    (a pasted URL, a name with no space) cut wherever it has to be."""
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = []
    for line in simpleSplit(text, font, size, width):
        while stringWidth(line, font, size) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and stringWidth(line[:cut], font, size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return lines


def styles() -> StyleSheet1:
    register_fonts()
    sheet = StyleSheet1()
    sheet.add(ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5))
    sheet.add(ParagraphStyle("small", parent=sheet["body"], fontSize=7.5, leading=9.5))
    sheet.add(ParagraphStyle("tiny", parent=sheet["body"], fontSize=6.5, leading=8,
                             textColor=colors.HexColor("#444444")))
    sheet.add(ParagraphStyle("bold", parent=sheet["body"], fontName=FONT_BOLD))
    sheet.add(ParagraphStyle("right", parent=sheet["body"], alignment=TA_RIGHT))
    sheet.add(ParagraphStyle("center", parent=sheet["body"], alignment=TA_CENTER))
    sheet.add(ParagraphStyle("title", parent=sheet["body"], fontName=FONT_BOLD, fontSize=15,
                             leading=19, alignment=TA_CENTER, spaceAfter=3 * mm))
    sheet.add(ParagraphStyle("subtitle", parent=sheet["body"], fontSize=10, leading=13,
                             alignment=TA_CENTER, spaceAfter=3 * mm))
    sheet.add(ParagraphStyle("h2", parent=sheet["body"], fontName=FONT_BOLD, fontSize=11,
                             leading=14, spaceBefore=3 * mm, spaceAfter=1.5 * mm))
    sheet.add(ParagraphStyle("cell", parent=sheet["body"], fontSize=8.5, leading=10.5))
    sheet.add(ParagraphStyle("cell_right", parent=sheet["cell"], alignment=TA_RIGHT))
    sheet.add(ParagraphStyle("cell_bold", parent=sheet["cell"], fontName=FONT_BOLD))
    return sheet


TABLE_GRID = [
    ("FONT", (0, 0), (-1, -1), FONT, 8.5),
    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#888888")),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
]


@dataclass(frozen=True)
class Letterhead:
    """The association as printed (built from "Paramètres de l'association" by
    `occe_bureau.association.letterhead`)."""

    name: str
    lines: tuple[str, ...]
    logo: bytes | None = None
    signature: bytes | None = None
    signatory_name: str = ""
    signatory_title: str = ""
    siren_rna: str = ""
    object: str = ""



@lru_cache(maxsize=8)
def image_reader(data: bytes) -> ImageReader:
    return ImageReader(io.BytesIO(data))


def image_flowable(data: bytes | None, max_width: float, max_height: float) -> Flowable | None:
    """The picture scaled to fit the box, keeping its proportions; None if there is none."""
    if not data:
        return None
    reader = image_reader(data)
    width, height = reader.getSize()
    scale = min(max_width / width, max_height / height)
    return Image(io.BytesIO(data), width=width * scale, height=height * scale)


class PageSection(Flowable):
    """An invisible mark opening a part of a document that is numbered on its own (a copy of a
    two-copy slip). Put it first on a new page: from there on, "Page X sur Y" counts that
    part's pages only, every page of it says `label` at its foot (which slip, which copy), and
    its later pages say it again at their top, under the letterhead. A document without a mark
    is numbered as one part, with no label."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label
        self.width = self.height = 0

    def wrap(self, *_args):
        return 0, 0

    def draw(self):
        self.canv._section = (id(self), self.label)


class NumberedCanvas(rl_canvas.Canvas):
    """Writes "Page X sur Y" once the number of pages is known (of each part opened by a
    `PageSection`, or by `open_section` when drawing straight on the canvas, with its label)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict] = []
        self._sections_opened = 0

    def open_section(self, label: str) -> None:
        """From the current page on, a part numbered on its own ("Page 1 sur 2" of this
        invoice), with `label` at the foot of its pages and "(suite)" atop its later ones."""
        self._sections_opened += 1
        self._section = (("section", self._sections_opened), label)

    def showPage(self):  # noqa: N802 (ReportLab's name)
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        sections = [state.get("_section") for state in self._saved_pages]
        totals = {key: sections.count(key) for key in sections}
        numbers: dict = {}
        for state, key in zip(self._saved_pages, sections, strict=True):
            self.__dict__.update(state)
            numbers[key] = numbers.get(key, 0) + 1
            label = key[1] if key is not None else ""
            number = (f"Page {numbers[key]} sur {totals[key]}"
                      if getattr(self, "_page_numbers", True) else "")
            pen = TextPen(self)
            if label:
                pen.draw(MARGIN, 9 * mm, fit_text(label, FONT, 7.5, A4[0] / 2), FONT, 7.5, FOOT_GREY)
            if number:
                pen.right(A4[0] - MARGIN, 9 * mm, number, FONT, 7.5, FOOT_GREY)
            if label and numbers[key] > 1:
                # A later page of a part says at its top which part it goes on with.
                pen.right(self._pagesize[0] - MARGIN,
                          self._pagesize[1] - MARGIN - HEADER_HEIGHT + 3 * mm,
                          fit_text(f"{label} (suite)", FONT_BOLD, 8.5, self._pagesize[0] - 2 * MARGIN),
                          FONT_BOLD, 8.5)
            pen.flush()
            super().showPage()
        super().save()


def draw_letterhead(canvas, head: Letterhead, *, top: float, left: float = MARGIN) -> None:
    """The association block at the top left of a page (or of a copy, for two-copy slips)."""
    x = left
    if head.logo:
        reader = image_reader(head.logo)
        w, h = reader.getSize()
        scale = min(22 * mm / w, 18 * mm / h)
        canvas.drawImage(reader, left, top - h * scale, width=w * scale, height=h * scale,
                         mask="auto")
        x = left + w * scale + 4 * mm
    canvas.setFillColor(colors.black)
    available = canvas._pagesize[0] - MARGIN - x
    size = 10.5
    while size > 7 and pdfmetrics.stringWidth(head.name, FONT_BOLD, size) > available:
        size -= 0.5
    canvas.setFont(FONT_BOLD, size)
    canvas.drawString(x, top - 4 * mm, fit_text(head.name, FONT_BOLD, size, available))
    canvas.setFont(FONT, 8)
    y = top - 8.5 * mm
    for line in head.lines[:3]:
        canvas.drawString(x, y, fit_text(line, FONT, 8, available))
        y -= 3.6 * mm


FOOTER_SIZE = 6.5
FOOTER_LEADING = 2.9 * mm


@lru_cache(maxsize=64)
def footer_lines(text: str, page_width: float = A4[0]) -> tuple[str, ...]:
    if not text.strip():
        return ()
    return tuple(line for part in text.split("\n")
                 for line in wrapped(part, FONT, FOOTER_SIZE, page_width - 2 * MARGIN))[:3]


def footer_height(text: str, page_width: float = A4[0]) -> float:
    """The room a footer takes above the page number line."""
    lines = footer_lines(text, page_width)
    return len(lines) * FOOTER_LEADING + (1 * mm if lines else 0)


def draw_footer(canvas, text: str) -> None:
    """Small grey lines at the foot of the page, centred, just above "Page X sur Y"."""
    width = canvas._pagesize[0]
    lines = footer_lines(text, width)
    canvas.saveState()
    canvas.setFont(FONT, FOOTER_SIZE)
    canvas.setFillColor(colors.HexColor("#555555"))
    y = 9 * mm + 3.4 * mm + (len(lines) - 1) * FOOTER_LEADING
    for line in lines:
        canvas.drawCentredString(width / 2, y, line)
        y -= FOOTER_LEADING
    canvas.restoreState()


@lru_cache(maxsize=8192)
def text_width(text: str, font: str, size: float) -> float:
    """pdfmetrics.stringWidth, remembered (a batch prints the same labels, dates and amounts
    over and over) and summed in C for the embedded fonts: the same figure, a few times faster
    than ReportLab's pure-Python loop."""
    face = getattr(pdfmetrics.getFont(font), "face", None)
    widths = getattr(face, "charWidths", None)
    if widths is None:
        return pdfmetrics.stringWidth(text, font, size)
    return 0.001 * size * sum(map(widths.get, map(ord, text), repeat(face.defaultWidth)))


@lru_cache(maxsize=4096)
def wrapped(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    """`wrap`, remembered and as a tuple (shared between callers, so never to be changed)."""
    if text_width(text, font, size) <= width:
        return (text,)
    return tuple(wrap(text, font, size, width))


class TextPen:
    """Text drawn straight on a canvas, many strings in one PDF text object (far cheaper than
    one drawString each): left, right-aligned or centred, in the embedded fonts. Text is text:
    never parsed as markup. Call `flush()` before drawing shapes that must go over it, and at
    the end.

    The PDF operators are written here (position, font, colour, the string in the font's
    subset encoding, remembered per document), not through ReportLab's text object: that is
    what lets a batch of invoices come out at hundreds a second on the pure-Python ReportLab.
    The text goes inside q … Q, so the canvas's own colour and font state are left as they were.
    """

    def __init__(self, canvas) -> None:
        self.canvas = canvas
        self.doc = canvas._doc
        cache = getattr(canvas, "text_pen_runs", None)
        if cache is None:
            cache = canvas.text_pen_runs = {}
        self.runs: dict[tuple[str, str], tuple[tuple[str, str], ...]] = cache
        self.ops: list[str] = []
        self.font: tuple[str, float] | None = None
        self.color: object = "unset"

    def encoded(self, text: str, font: str) -> tuple[tuple[str, str], ...]:
        """The string as (font subset name, escaped bytes) runs, as ReportLab would write it."""
        key = (font, text)
        runs = self.runs.get(key)
        if runs is None:
            face = pdfmetrics.getFont(font)
            if not getattr(face, "_dynamicFont", False):
                raise ValueError(f"TextPen writes in the embedded fonts only, not in {font}.")
            runs = self.runs[key] = tuple(
                (face.getSubsetInternalName(subset, self.doc), self.canvas._escape(chunk))
                for subset, chunk in face.splitString(text, self.doc))
        return runs

    def draw(self, x: float, y: float, text: str, font: str = FONT, size: float = 9,
             color=None) -> None:
        if not text:
            return
        ops = self.ops
        if color is not self.color:
            c = color or colors.black
            ops.append(f"{c.red:.4g} {c.green:.4g} {c.blue:.4g} rg")
            self.color = color
        ops.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
        for name, chunk in self.encoded(text, font):
            if self.font != (name, size):
                ops.append(f"{name} {size:g} Tf")
                self.font = (name, size)
            ops.append(f"({chunk}) Tj")

    def right(self, x: float, y: float, text: str, font: str = FONT, size: float = 9,
              color=None) -> None:
        self.draw(x - text_width(text, font, size), y, text, font, size, color)

    def centre(self, x: float, y: float, text: str, font: str = FONT, size: float = 9,
               color=None) -> None:
        self.draw(x - text_width(text, font, size) / 2, y, text, font, size, color)

    def flush(self) -> None:
        if self.ops:
            self.canvas._code.append("q BT " + " ".join(self.ops) + " ET Q")
        self.ops = []
        self.font = None
        self.color = "unset"


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    """An sRGB ICC profile (made by Little CMS through Pillow), for a PDF/A output intent."""
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def add_pdfa_output_intent(canvas) -> None:
    """Declare the colours of the PDF as sRGB (the output intent PDF/A asks for). The fonts are
    embedded already; the PDF/A metadata (XMP) is the embedding library's part."""
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString

    doc = canvas._doc
    profile = PDFStream(PDFDictionary({"N": 3}), srgb_profile())
    profile.__RefOnly__ = 1
    intent = PDFDictionary({
        "Type": PDFName("OutputIntent"), "S": PDFName("GTS_PDFA1"),
        "OutputConditionIdentifier": PDFString("sRGB IEC61966-2.1"),
        "Info": PDFString("sRGB IEC61966-2.1"),
        "DestOutputProfile": doc.Reference(profile)})
    catalog = doc.Catalog
    catalog.OutputIntents = PDFArray([intent])
    if "OutputIntents" not in catalog.__NoDefault__:
        catalog.__NoDefault__ = [*catalog.__NoDefault__, "OutputIntents"]


def render(
    story: list[Flowable],
    head: Letterhead,
    *,
    title: str,
    letterhead_on_every_page: bool = True,
    page_numbers: bool = True,
    pagesize=A4,
    top_margin: float | None = None,
    footer: str = "",
) -> bytes:
    """Lay the story out on A4 pages with the association header; return the PDF bytes.

    With letterhead_on_every_page=False the header is drawn on the first page only, and the
    later pages give its room to the story. A `footer` (the legal identity of the issuer, say)
    is printed small at the foot of every page, above the page number; it takes
    `footer_height(footer)` of the bottom margin."""
    register_fonts()
    buffer = io.BytesIO()
    width, height = pagesize
    top = top_margin if top_margin is not None else MARGIN + HEADER_HEIGHT
    doc = BaseDocTemplate(
        buffer, pagesize=pagesize, title=title, author=head.name, creator="OCCE Bureau",
        leftMargin=MARGIN, rightMargin=MARGIN, topMargin=top, bottomMargin=MARGIN + 4 * mm,
    )
    bottom = MARGIN + 4 * mm + footer_height(footer, width)

    def frame(top_: float) -> Frame:
        return Frame(MARGIN, bottom, width - 2 * MARGIN, height - top_ - bottom,
                     id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    def on_page(canvas, doc_):
        canvas._page_numbers = page_numbers
        if footer:
            draw_footer(canvas, footer)
        if top_margin is None and (letterhead_on_every_page or doc_.page == 1):
            draw_letterhead(canvas, head, top=height - MARGIN)

    if letterhead_on_every_page or top_margin is not None:
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame(top)], onPage=on_page)])
    else:
        doc.addPageTemplates([
            PageTemplate(id="first", frames=[frame(top)], onPage=on_page,
                         autoNextPageTemplate="later"),
            PageTemplate(id="later", frames=[frame(MARGIN)], onPage=on_page)])
    doc.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()
