"""The one place that chooses the fonts of the PDFs Jobbtorg makes (the action plan, the payment basis).

`pdf_fonts(language)` returns the (regular, bold) font names for a document in that language. Today every
language of the product is written in the Latin script, which reportlab's built-in Helvetica draws
(Swedish å, ä, ö included). A language in another script (Arabic, Tigrinya, …) registers a TrueType font
that can draw it here, and only here; the documents ask this function and never name a font themselves.
reportlab is imported where a PDF is made (start-up time), so this module only names fonts."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PdfFonts:
    regular: str
    bold: str


BUILT_IN = PdfFonts(regular="Helvetica", bold="Helvetica-Bold")


def pdf_fonts(language: str | None = None) -> PdfFonts:
    """The fonts for a document in `language` (a Django language code; None = the current one)."""
    return BUILT_IN
