"""The one place that chooses the fonts of the PDFs Jobbtorg makes (the action plan, the payment basis).

`pdf_fonts(language)` returns the (regular, bold) font names for a document in that language. Names of
people need more than Latin-1 (Ayşe Yılmaz): when DejaVu Sans is installed (Debian's fonts-dejavu-core,
`JOBBTORG_PDF_FONT_DIR` to point elsewhere) it is registered and used; otherwise reportlab's built-in
Helvetica (Swedish å, ä, ö, but not ş or ı). A language in another script (Arabic, Tigrinya, …) registers a
font that can draw it here, and only here; the documents ask this function and never name a font
themselves. reportlab is imported only when a PDF is made (start-up time)."""

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class PdfFonts:
    regular: str
    bold: str


BUILT_IN = PdfFonts(regular="Helvetica", bold="Helvetica-Bold")
FONT_DIR = Path(os.environ.get("JOBBTORG_PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
DEJAVU = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf"}


@cache
def _dejavu() -> PdfFonts | None:
    if not all((FONT_DIR / file).is_file() for file in DEJAVU.values()):
        return None
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, file in DEJAVU.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    return PdfFonts(regular="DejaVuSans", bold="DejaVuSans-Bold")


def pdf_fonts(language: str | None = None) -> PdfFonts:
    """The fonts for a document in `language` (a Django language code; None = the current one)."""
    return _dejavu() or BUILT_IN
