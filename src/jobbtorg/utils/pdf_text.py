"""Paragraphs for the PDFs in any of the participant's languages (reportlab).

`paragraph(fonts, text, style)` returns a flowable: for a left-to-right language a reportlab Paragraph whose
text is cut into runs of the font that has the glyphs (`PdfFonts.font_for`: Tigrinya's Ge'ez letters in Noto
Sans Ethiopic, Latin names and staff text in DejaVu); for Arabic and Dari a `RightToLeftParagraph`.

reportlab 4.4 shapes Arabic with uharfbuzz but lays out right-to-left text only with its own `rlbidi`, which
is not on PyPI; its Paragraph also shapes a word in one font only. So right-to-left paragraphs are laid out
here: the Unicode bidi algorithm (python-bidi's reference implementation) resolves each character's level
over the whole paragraph; lines are filled in logical order; each line is put in visual order (rule L2) with
an Arabic-script run kept whole and in logical order, because harfbuzz shapes it (joining forms, lam-alef)
and puts it right to left itself; other characters at a right-to-left level are mirrored (brackets). Each
run is drawn in its own font, so a Latin name or a Swedish place in an Arabic sentence keeps its glyphs.
"""

import unicodedata
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

from bidi import algorithm as bidi_algorithm
from bidi.mirror import MIRRORED

from .pdf_fonts import PdfFonts

# A text is a string or a list of (string, bold) segments.
Segments = list[tuple[str, bool]]


def _segments(text, *, bold: bool) -> Segments:
    return [(str(text), bold)] if not isinstance(text, list) else [(str(t), bool(b)) for t, b in text]


def paragraph(fonts: PdfFonts, text, style):
    """A flowable for `text` (a string, or (string, bold) segments) in `style`; new lines are kept. A string
    is bold when the style's font is the bold one (headings)."""
    from reportlab.platypus import Paragraph

    segments = _segments(text, bold=style.fontName == fonts.bold)
    if fonts.right_to_left:
        return RightToLeftParagraph(fonts, segments, style)
    return Paragraph(markup(fonts, segments), style)


def markup(fonts: PdfFonts, segments: Segments) -> str:
    """reportlab paragraph markup: escaped, each run of characters in the font that draws it."""
    out = []
    for text, bold in segments:
        run, run_font = "", None
        for char in text:
            font = fonts.font_for(char, bold=bold) if char != "\n" else run_font
            if run and font != run_font:
                out.append(_font_run(run, run_font))
                run = ""
            run += char
            run_font = font
        if run:
            out.append(_font_run(run, run_font))
    return "".join(out)


def _font_run(text: str, font: str | None) -> str:
    return f'<font name="{font}">{escape(text).replace(chr(10), "<br/>")}</font>'


# Right to left ----------------------------------------------------------------------------------------------


@dataclass
class Token:
    """A unit of a line: one character, or an Arabic-script run that harfbuzz shapes as a whole."""

    text: str
    level: int
    font: str
    shaped: bool = False
    width: float = 0.0
    drawn: object = None  # what the canvas draws (a reportlab ShapedStr for a shaped run)


def base_level(text: str) -> int:
    """The paragraph's direction from its first strong character (rules P2–P3): 0 left to right (a Swedish
    goal or a name as the staff wrote it), 1 right to left; 1 when there is none (the document's)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return 0
        if kind in ("R", "AL"):
            return 1
    return 1


def bidi_levels(text: str, level: int | None = None) -> list[int]:
    """The resolved embedding level of each character of a paragraph (rules X–I of UAX #9, python-bidi's
    reference implementation); the paragraph level is `level`, or found from the text."""
    storage = bidi_algorithm.get_empty_storage()
    storage["base_level"] = base_level(text) if level is None else level
    storage["base_dir"] = "LR"[storage["base_level"]]
    # Rule X9 drops boundary neutrals (e.g. Dari's zero-width non-joiner): resolve without them, then give
    # each the level of the character before it.
    kept = [char for char in text if unicodedata.bidirectional(char) != "BN"]
    bidi_algorithm.get_embedding_levels("".join(kept), storage)
    bidi_algorithm.explicit_embed_and_overrides(storage)
    bidi_algorithm.resolve_weak_types(storage)
    bidi_algorithm.resolve_neutral_types(storage, False)
    bidi_algorithm.resolve_implicit_levels(storage, False)
    resolved = iter([char["level"] for char in storage["chars"]])
    levels, last = [], storage["base_level"]
    for char in text:
        if unicodedata.bidirectional(char) != "BN":
            last = next(resolved)
        levels.append(last)
    return levels


def visual_order(tokens: list) -> list:
    """Rule L2: from the highest level down to the lowest odd one, reverse every run at that level or
    higher."""
    ordered = list(tokens)
    odd = [token.level for token in ordered if token.level % 2]
    if not odd:
        return ordered
    for level in range(max(token.level for token in ordered), min(odd) - 1, -1):
        index = 0
        while index < len(ordered):
            if ordered[index].level < level:
                index += 1
                continue
            end = index
            while end < len(ordered) and ordered[end].level >= level:
                end += 1
            ordered[index:end] = reversed(ordered[index:end])
            index = end
    return ordered


def _measure(token: Token, size: float) -> Token:
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfbase.ttfonts import shapeStr

    if token.shaped:
        token.drawn = shapeStr(token.text, token.font, size)
        shape = getattr(token.drawn, "__shapeData__", None)  # a plain str: harfbuzz changed nothing
        token.width = (
            sum(data.x_advance for data in shape) * size / 1000
            if shape is not None
            else stringWidth(token.text, token.font, size)
        )
    else:
        # a bracket at a right-to-left level is drawn mirrored (rule L4)
        token.drawn = MIRRORED.get(token.text, token.text) if token.level % 2 else token.text
        token.width = stringWidth(token.text, token.font, size)
    return token


@cache
def _right_to_left_class():
    # Made on first use, so that reportlab is imported only when a PDF is drawn (tests/test_startup.py).
    from reportlab.platypus.flowables import Flowable

    return type("RightToLeftParagraph", (_RightToLeft, Flowable), {})


def RightToLeftParagraph(fonts: PdfFonts, segments: Segments, style):  # noqa: N802 (a class to its callers)
    """A paragraph in a right-to-left document: right aligned (centred when the style centres), lines
    filled in logical order and drawn in visual order."""
    return _right_to_left_class()(fonts, segments, style)


class _RightToLeft:
    def __init__(self, fonts: PdfFonts, segments: Segments, style):
        super().__init__()
        self.fonts, self.segments, self.style = fonts, segments, style
        self.lines = None
        self.width = self.height = 0

    def _words(self) -> list[list[tuple[list[Token], int]]]:
        """Hard lines (the text's new lines) of words; a word is its tokens in logical order and the level
        of the space after it."""
        size = self.style.fontSize
        hard_lines, current = [], []
        for text, bold in self.segments:
            for char in text:
                if char == "\n":
                    hard_lines.append(current)
                    current = []
                else:
                    current.append((char, bold))
        hard_lines.append(current)
        result = []
        for line in hard_lines:
            levels = bidi_levels("".join(char for char, _bold in line))
            words, word = [], []
            for index, (char, bold) in enumerate(line):
                if char.isspace():
                    if word:
                        words.append((word, levels[index]))
                        word = []
                    continue
                font = self.fonts.font_for(char, bold=bold)
                script = self.fonts.is_script_char(char)
                last = word[-1] if word else None
                if script and last is not None and last.shaped and last.font == font:
                    last.text += char
                else:
                    word.append(Token(char, levels[index], font, shaped=script))
            if word:
                words.append((word, levels[0] if levels else 1))
            for word, _space_level in words:
                for token in word:
                    _measure(token, size)
            result.append(words)
        return result

    def _layout(self, width: float) -> list[list[Token]]:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        size = self.style.fontSize
        space = stringWidth(" ", self.fonts.regular, size)
        lines = []
        for words in self._words():
            line, used, space_level = [], 0.0, 1
            for word, next_space_level in words:
                word_width = sum(token.width for token in word)
                if line and used + space + word_width > width:
                    lines.append(line)
                    line, used = [], 0.0
                if line:
                    line.append(Token(" ", space_level, self.fonts.regular, width=space, drawn=" "))
                    used += space
                line.extend(word)
                used += word_width
                space_level = next_space_level
            lines.append(line)
        return [visual_order(self._joined(line)) for line in lines]

    def _joined(self, line: list[Token]) -> list[Token]:
        """Arabic-script words with only a space between them, at one level and in one font, become one run:
        harfbuzz orders them itself, and the PDF's text then reads in logical order."""
        joined: list[Token] = []
        for token in line:
            if (
                token.shaped
                and len(joined) >= 2
                and joined[-1].text == " "
                and joined[-1].level == token.level
                and joined[-2].shaped
                and (joined[-2].font, joined[-2].level) == (token.font, token.level)
            ):
                joined.pop()
                joined[-1].text += " " + token.text
                _measure(joined[-1], self.style.fontSize)
            else:
                joined.append(token)
        return joined

    # the flowable protocol
    def wrap(self, available_width, available_height):
        if self.lines is None or self.width != available_width:
            self.lines = self._layout(available_width)
        self.width = available_width
        self.height = len(self.lines) * self.style.leading
        return available_width, self.height

    def split(self, available_width, available_height):
        self.wrap(available_width, available_height)
        fit = int(available_height // self.style.leading)
        if fit <= 0:
            return []
        if fit >= len(self.lines):
            return [self]
        parts = []
        for lines in (self.lines[:fit], self.lines[fit:]):
            part = type(self)(self.fonts, self.segments, self.style)
            part.lines, part.width = lines, available_width
            parts.append(part)
        return parts

    def getSpaceBefore(self):  # noqa: N802 (reportlab's name)
        return self.style.spaceBefore

    def getSpaceAfter(self):  # noqa: N802 (reportlab's name)
        return self.style.spaceAfter

    def draw(self):
        from reportlab.lib.enums import TA_CENTER
        from reportlab.pdfbase.pdfmetrics import stringWidth

        canvas, size, leading = self.canv, self.style.fontSize, self.style.leading
        canvas.setFillColor(self.style.textColor)
        for number, line in enumerate(self.lines):
            x = self.width - sum(token.width for token in line)
            if self.style.alignment == TA_CENTER:
                x /= 2
            y = self.height - (number + 1) * leading + (leading - size) / 2 + size * 0.2
            for font, drawn in self._runs(line):
                canvas.setFont(font, size)
                canvas.drawString(x, y, drawn)
                x += (
                    sum(data.x_advance for data in drawn.__shapeData__) * size / 1000
                    if hasattr(drawn, "__shapeData__")
                    else stringWidth(drawn, font, size)
                )

    @staticmethod
    def _runs(line: list[Token]):
        """What one drawString draws: a shaped run alone; neighbouring characters in one font (a space with
        the run it is in) together, so the PDF's text keeps its words."""
        font, text = None, ""
        for token in line:
            if token.shaped:
                if text:
                    yield font, text
                font, text = None, ""
                yield token.font, token.drawn
            elif text and (token.font == font or token.text == " "):
                text += token.drawn
            else:
                if text:
                    yield font, text
                font, text = token.font, token.drawn
        if text:
            yield font, text

    def visual_text(self) -> list[str]:
        """The lines left to right as drawn (an Arabic run in logical order: harfbuzz reverses it)."""
        return ["".join(token.text if token.shaped else token.drawn for token in line) for line in self.lines]
