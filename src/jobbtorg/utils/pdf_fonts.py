"""The one place that chooses the fonts of the PDFs Jobbtorg makes (the action plan, the payment basis).

`pdf_fonts(language)` returns the fonts for a document in that language. Names of people need more than
Latin-1 (Ayşe Yılmaz): when DejaVu Sans is installed (Debian's fonts-dejavu-core, `JOBBTORG_PDF_FONT_DIR` to
point elsewhere) it is registered and used; otherwise reportlab's built-in Helvetica (Swedish å, ä, ö, but
not ş or ı). A language in another script also gets a script font, vendored in `utils/fonts/` (OFL, see
`fonts/OFL.txt`): Noto Sans Arabic for Arabic and Dari, Noto Sans Ethiopic for Tigrinya. Those fonts have no
Latin letters and DejaVu has no Ethiopic (and Arabic without its joining forms), so a text is drawn in runs:
`PdfFonts.font_for` says which of the two fonts draws a character. Right-to-left layout and shaping are
`utils.pdf_text`'s. The documents ask this module and never name a font themselves. reportlab is imported
only when a PDF is made (start-up time)."""

import os
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .languages import ARABIC, DARI, TIGRINYA, is_right_to_left

FONT_DIR = Path(os.environ.get("JOBBTORG_PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
DEJAVU = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf"}
VENDORED_DIR = Path(__file__).resolve().parent / "fonts"
# language → (regular, bold) script font files in VENDORED_DIR
SCRIPT_FONTS = {
    ARABIC: ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    DARI: ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    TIGRINYA: ("NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf"),
}
# Characters an Arabic-script run keeps inside it (they change how letters join): ZWNJ, ZWJ.
JOINERS = "\u200c\u200d"
ARABIC_BLOCKS = ((0x0600, 0x06FF), (0x0750, 0x077F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


@dataclass(frozen=True)
class PdfFonts:
    regular: str
    bold: str
    script_regular: str | None = None
    script_bold: str | None = None
    right_to_left: bool = False

    def base(self, *, bold: bool = False) -> str:
        return self.bold if bold else self.regular

    def script(self, *, bold: bool = False) -> str | None:
        return self.script_bold if bold else self.script_regular

    def is_script_char(self, char: str) -> bool:
        """A character that belongs to the document's script (drawn with the script font, shaped there)."""
        if self.script_regular is None:
            return False
        if self.right_to_left:
            return (
                char in JOINERS or unicodedata.bidirectional(char) in ("R", "AL", "AN") or _arabic_block(char)
            )
        return covers(self.script_regular, char) and not covers(self.regular, char)

    def font_for(self, char: str, *, bold: bool = False) -> str:
        """The font that draws `char`: the script font for the script's characters, otherwise the base font
        when it has the character, otherwise the script font when it does."""
        if self.is_script_char(char):
            return self.script(bold=bold)
        base = self.base(bold=bold)
        if (
            self.script_regular is not None
            and not covers(base, char)
            and covers(self.script(bold=bold), char)
        ):
            return self.script(bold=bold)
        return base


def _arabic_block(char: str) -> bool:
    code = ord(char)
    return (
        0x0600 <= code <= 0x06FF
        or 0x0750 <= code <= 0x077F
        or 0xFB50 <= code <= 0xFDFF
        or 0xFE70 <= code <= 0xFEFF
    )


BUILT_IN = PdfFonts(regular="Helvetica", bold="Helvetica-Bold")


@cache
def covers(font_name: str, char: str) -> bool:
    """Whether the registered font has a glyph for `char` (a built-in font: Latin-1)."""
    from reportlab.pdfbase import pdfmetrics

    font = pdfmetrics.getFont(font_name)
    face = getattr(font, "face", None)
    if face is None or not hasattr(face, "charToGlyph"):
        return ord(char) < 256
    return ord(char) in face.charToGlyph


@cache
def _register(name: str, path: str) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(name, path))
    return name


@cache
def _dejavu() -> PdfFonts | None:
    if not all((FONT_DIR / file).is_file() for file in DEJAVU.values()):
        return None
    for name, file in DEJAVU.items():
        _register(name, str(FONT_DIR / file))
    return PdfFonts(regular="DejaVuSans", bold="DejaVuSans-Bold")


def pdf_fonts(language: str | None = None) -> PdfFonts:
    """The fonts for a document in `language` (a Django language code; None = Swedish/English only)."""
    base = _dejavu() or BUILT_IN
    files = SCRIPT_FONTS.get((language or "").split("-")[0])
    if files is None:
        return base
    regular, bold = (_register(file.removesuffix(".ttf"), str(VENDORED_DIR / file)) for file in files)
    return PdfFonts(
        regular=base.regular,
        bold=base.bold,
        script_regular=regular,
        script_bold=bold,
        right_to_left=is_right_to_left(language),
    )
