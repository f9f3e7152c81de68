"""Read a PDF back as text, page by page (pypdfium2), for assertions on printed documents."""

from collections.abc import Iterator
from contextlib import contextmanager

import pypdfium2 as pdfium


@contextmanager
def _text_pages(data: bytes) -> Iterator[list]:
    """The text layer of every page, closed afterwards."""
    document = pdfium.PdfDocument(data)
    pages = [document[i] for i in range(len(document))]
    texts = [page.get_textpage() for page in pages]
    try:
        yield texts
    finally:
        for item in texts + pages:
            item.close()
        document.close()


def pdf_pages_text(data: bytes) -> list[str]:
    with _text_pages(data) as pages:
        return [textpage.get_text_range() for textpage in pages]


def pdf_text(data: bytes) -> str:
    return "\n".join(pdf_pages_text(data))


def pdf_char_boxes(data: bytes) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) of every printed character, in points, all pages."""
    with _text_pages(data) as pages:
        return [t.get_charbox(i) for t in pages for i in range(t.count_chars())
                if t.get_text_range(i, 1).strip()]


def pdf_find_box(data: bytes, text: str, page: int = 0) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of the first character of `text` on `page`."""
    with _text_pages(data) as pages:
        found = pages[page].search(text).get_next()
        assert found, f"« {text} » not found"
        return pages[page].get_charbox(found[0])
