"""Read a PDF back as text, page by page (pypdfium2), for assertions on printed documents."""

import pypdfium2 as pdfium


def pdf_pages_text(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return pages
    finally:
        document.close()


def pdf_text(data: bytes) -> str:
    return "\n".join(pdf_pages_text(data))


def pdf_char_boxes(data: bytes) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) of every printed character, in points, all pages."""
    document = pdfium.PdfDocument(data)
    try:
        boxes = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            boxes += [textpage.get_charbox(i) for i in range(textpage.count_chars())
                      if textpage.get_text_range(i, 1).strip()]
            textpage.close()
            page.close()
        return boxes
    finally:
        document.close()


def pdf_find_box(data: bytes, text: str, page: int = 0) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of the first character of `text` on `page`."""
    document = pdfium.PdfDocument(data)
    try:
        textpage = document[page].get_textpage()
        found = textpage.search(text).get_next()
        assert found, f"« {text} » not found"
        return textpage.get_charbox(found[0])
    finally:
        document.close()
