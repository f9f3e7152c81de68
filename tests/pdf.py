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
