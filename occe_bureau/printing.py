"""What every printed document shares: embedded fonts, the association header, page numbers.

Renderers build a list of flowables and call `render(...)`; user text always goes
through `esc()` before it reaches a Paragraph.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from functools import lru_cache
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
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, Image, KeepInFrame, PageTemplate,
                                Paragraph)

from occe_bureau.paths import ressources_dir

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
MARGIN = 15 * mm
HEADER_HEIGHT = 26 * mm


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Embed DejaVu Sans: it covers French and the names parents have (Ł, ğ, ø, ễ…).

    Also: the PDF's streams are written compressed but not also wrapped in ASCII85 (a text
    encoding for 7-bit mail from the 1990s; ReportLab's is pure Python here, and took a third of
    the time of a batch of pages with a logo and a signature; the files are a fifth smaller)."""
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
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


_SURROGATES = re.compile("[\ud800-\udfff]")


def printable(text: object) -> str:
    """Text that can go into a PDF at all: an unpaired surrogate (which no file can hold) becomes
    "\ufffd". The core refuses such text before it is saved; this only keeps a document from
    failing on it."""
    text = "" if text is None else str(text)
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


def esc(text: object) -> str:
    """User text made safe for a Paragraph: markup shows as typed, new lines are kept."""
    return escape(printable(text)).replace("\n", "<br/>")


def text_lines(text: str, font: str, size: float, width: float, max_lines: int | None = None) -> str:
    """User text for a Table cell given as a string (drawn as text, never parsed as markup, and
    far cheaper than a Paragraph): wrapped to the width, new lines kept; past `max_lines` the
    last line ends with "…"."""
    lines: list[str] = []
    for part in printable(text).split("\n"):
        lines += wrap(part, font, size, width) or [""]
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = fit_text(lines[-1] + "…", font, size, width)
    return "\n".join(lines)


LONG_CELL = 300  # characters of markup from which a cell's text may be taller than a page


def cell(markup: str, style, *, max_height: float = 80 * mm) -> Flowable:
    """A Paragraph for a table cell. A table row cannot split across pages: a text long enough
    to make its row taller than a page (a pasted page of text) is shrunk to `max_height`."""
    paragraph = Paragraph(markup, style)
    if len(markup) < LONG_CELL:
        return paragraph
    return KeepInFrame(0, max_height, [paragraph], mode="shrink")


def link(url: str) -> str:
    """A web address for a Paragraph: printed exactly as typed, and clickable in the PDF when
    it is one (http, https); any other text is only escaped."""
    text = esc(url)
    address = (url or "").strip()
    if not address.lower().startswith(("http://", "https://")) or any(c.isspace() for c in address):
        return text
    return f'<a href="{escape(address, {chr(34): "&quot;"})}" color="#1f4e8c">{text}</a>'


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of `text` no wider than `width`: words wrapped, and a word too long for one line
    (a pasted URL, a name with no space) cut wherever it has to be. A new list each time (the
    caller may change it); the same sentence on every page of a batch is wrapped once."""
    return list(_wrapped(text, font, size, width))


@lru_cache(maxsize=512)
def _wrapped(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = []
    for line in simpleSplit(text, font, size, width):
        while stringWidth(line, font, size) > width and len(line) > 1:
            # the longest start that fits (at least one character), found by halving
            low, high = 1, len(line) - 1
            while low < high:
                middle = (low + high + 1) // 2
                if stringWidth(line[:middle], font, size) <= width:
                    low = middle
                else:
                    high = middle - 1
            lines.append(line[:low])
            line = line[low:]
        lines.append(line)
    return tuple(lines)


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



def signature_block(head: Letterhead, dated: str = "", *, width: float = 90 * mm,
                    image_width: float = 50 * mm, image_height: float = 18 * mm) -> Flowable:
    """The signatory's block at the right of the page: `dated` ("Fait à Nanterre, le
    12/03/2026", plain text), the signatory's name and title in bold, and the signature
    image when the association has one (room to sign by hand otherwise)."""
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    s = styles()
    who = esc(head.signatory_name) + (f", {esc(head.signatory_title)}" if head.signatory_title else "")
    cells = []
    if dated:
        cells.append([Paragraph(esc(dated), s["body"])])
    if who:
        cells.append([Paragraph(f"<b>{who}</b>", s["body"])])
    image = image_flowable(head.signature, image_width, image_height)
    cells.append([image if image is not None else Spacer(0, 16 * mm)])
    block = Table(cells, colWidths=[width], hAlign="RIGHT")
    block.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return block


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


class _NumberedCanvas(rl_canvas.Canvas):
    """Writes "Page X sur Y" once the number of pages is known (of each part opened by a
    `PageSection`, with its label)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict] = []

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
            if label or number:
                self.setFont(FONT, 7.5)
                self.setFillColor(colors.HexColor("#555555"))
                if label:
                    self.drawString(MARGIN, 9 * mm, fit_text(label, FONT, 7.5, A4[0] / 2))
                if number:
                    self.drawRightString(A4[0] - MARGIN, 9 * mm, number)
            if label and numbers[key] > 1:
                # A later page of a part says at its top which part it goes on with.
                self.setFont(FONT_BOLD, 8.5)
                self.setFillColor(colors.black)
                self.drawRightString(self._pagesize[0] - MARGIN,
                                     self._pagesize[1] - MARGIN - HEADER_HEIGHT + 3 * mm,
                                     fit_text(f"{label} (suite)", FONT_BOLD, 8.5,
                                              self._pagesize[0] - 2 * MARGIN))
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


class FormCache:
    """Parts of a page drawn once into a PDF form object and placed again on each page (the
    letterhead, a signature image): a batch of a hundred pages costs one drawing of them."""

    def __init__(self, canvas) -> None:
        self.canvas = canvas
        self.names: dict[str, str] = {}

    def place(self, key: str, paint, *, x: float = 0, y: float = 0) -> None:
        """Draw the part named `key` with its origin at (x, y); `paint(canvas)` draws it, the
        first time only (keys are the caller's: say what the part depends on)."""
        name = self.names.get(key)
        if name is None:
            name = self.names[key] = f"form{len(self.names)}"
            self.canvas.beginForm(name)
            paint(self.canvas)
            self.canvas.endForm()
        if x or y:
            self.canvas.saveState()
            self.canvas.translate(x, y)
            self.canvas.doForm(name)
            self.canvas.restoreState()
        else:
            self.canvas.doForm(name)

    def letterhead(self, head: Letterhead) -> None:
        """The association block at the top of the page."""
        key = "head" + hashlib.sha1("\x1f".join((head.name, *head.lines)).encode("utf-8", "replace")
                                    + (head.logo or b"")).hexdigest()
        self.place(key, lambda c: draw_letterhead(c, head, top=c._pagesize[1] - MARGIN))

    def image(self, data: bytes, max_width: float, max_height: float, *, x: float,
              top: float) -> float:
        """The picture scaled to fit the box, its top left corner at (x, top); returns its height."""
        reader = image_reader(data)
        w, h = reader.getSize()
        scale = min(max_width / w, max_height / h)
        key = f"img{hashlib.sha1(data).hexdigest()}-{max_width:.1f}-{max_height:.1f}"
        self.place(key, lambda c: c.drawImage(reader, 0, 0, width=w * scale, height=h * scale,
                                              mask="auto"), x=x, y=top - h * scale)
        return h * scale


class TextPen:
    """A cursor going down a page, writing plain text (never parsed as markup) through one text
    object: far cheaper than Paragraphs when a batch prints hundreds of pages. `finish()` puts
    the page's text on the canvas."""

    def __init__(self, canvas, y: float) -> None:
        self.canvas = canvas
        self.y = y
        self.text = canvas.beginText()

    def put(self, x: float, text: str, font: str, size: float) -> float:
        """`text` at x on the current line; returns where it ends."""
        self.text.setTextOrigin(x, self.y)
        self.text.setFont(font, size)
        self.text.textOut(text)
        return self.text.getX()

    def paragraph(self, text: str, font: str, size: float, *, x: float = MARGIN,
                  width: float | None = None, leading: float | None = None, align: str = "left",
                  max_lines: int | None = None) -> None:
        """Wrapped lines going down (new lines kept); past `max_lines` the last one ends with "…"."""
        width = width if width is not None else self.canvas._pagesize[0] - MARGIN - x
        leading = leading if leading is not None else size * 1.35
        for line in text_lines(text, font, size, width, max_lines).split("\n"):
            left = x
            if align in ("center", "right"):
                room = width - pdfmetrics.stringWidth(line, font, size)
                left = x + (room / 2 if align == "center" else room)
            self.put(left, line, font, size)
            self.y -= leading

    def down(self, amount: float) -> None:
        self.y -= amount

    def finish(self) -> None:
        self.canvas.drawText(self.text)
        self.text = self.canvas.beginText()


def canvas_document(title: str, author: str):
    """A bare A4 canvas with the fonts, for documents drawn straight onto their pages:
    (canvas, buffer); `canvas.save()` then `buffer.getvalue()` gives the PDF."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = rl_canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(printable(title))
    canvas.setAuthor(printable(author))
    canvas.setCreator("OCCE Bureau")
    return canvas, buffer


def render(
    story: list[Flowable],
    head: Letterhead,
    *,
    title: str,
    letterhead_on_every_page: bool = True,
    page_numbers: bool = True,
    pagesize=A4,
    top_margin: float | None = None,
) -> bytes:
    """Lay the story out on A4 pages with the association header; return the PDF bytes.

    With letterhead_on_every_page=False the header is drawn on the first page only, and the
    later pages give its room to the story."""
    register_fonts()
    buffer = io.BytesIO()
    width, height = pagesize
    top = top_margin if top_margin is not None else MARGIN + HEADER_HEIGHT
    doc = BaseDocTemplate(
        buffer, pagesize=pagesize, title=printable(title), author=printable(head.name),
        creator="OCCE Bureau",
        leftMargin=MARGIN, rightMargin=MARGIN, topMargin=top, bottomMargin=MARGIN + 4 * mm,
    )

    def frame(top_: float) -> Frame:
        return Frame(MARGIN, MARGIN + 4 * mm, width - 2 * MARGIN, height - top_ - MARGIN - 4 * mm,
                     id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    def on_page(canvas, doc_):
        canvas._page_numbers = page_numbers
        if top_margin is None and (letterhead_on_every_page or doc_.page == 1):
            draw_letterhead(canvas, head, top=height - MARGIN)

    if letterhead_on_every_page or top_margin is not None:
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame(top)], onPage=on_page)])
    else:
        doc.addPageTemplates([
            PageTemplate(id="first", frames=[frame(top)], onPage=on_page,
                         autoNextPageTemplate="later"),
            PageTemplate(id="later", frames=[frame(MARGIN)], onPage=on_page)])
    doc.build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()
