"""The printed plan (PDF) in the participant's language (issue 17): headings and fixed texts translated, the
staff's free text as written; Arabic shaped and right to left, Tigrinya in a font with Ge'ez letters; no
character drawn in a font that lacks it. The participant gets their language from the portal; staff print it
in the participant's language as well as in Swedish."""

import io
import re
import unicodedata

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfbase import pdfmetrics

from jobbtorg.audit.models import ReadLog
from jobbtorg.participants.models import Participant
from jobbtorg.plans import services
from jobbtorg.utils.pdf_fonts import pdf_fonts
from jobbtorg.utils.pdf_text import bidi_levels, paragraph

from ..factories import UserFactory
from .test_agreement import proposed_plan

GOALS = "Arbete inom vården"  # the coach's own words (proposed_plan): stay as written


@pytest.fixture
def person_user(accepted_referral):
    return UserFactory(role="participant", participant=accepted_referral.participant, username="deltagare")


@pytest.fixture
def agreed_plan(accepted_referral, coach, person_user):
    plan = proposed_plan(accepted_referral, coach)
    services.plan_agree(plan=plan, by=person_user, version=plan.lock_version)
    plan.refresh_from_db()
    return plan


def set_language(person, code):
    Participant.objects.filter(pk=person.pk).update(language=code)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(page.extract_text() for page in reader.pages)


def normalised(text: str) -> str:
    """Arabic comes out of the PDF as presentation forms (the shaped glyphs): NFKC gives the letters back."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def translated(language: str, msgid: str, **values) -> str:
    with translation.override(language):
        text = translation.gettext(msgid)
    assert text != msgid or language == "en"
    return text % values if values else text


def used_characters(content: bytes) -> dict[str, set[str]]:
    """Font name → every character the PDF draws with it (pypdf decodes each text-showing operator through
    the font's ToUnicode map, which reportlab writes for every glyph, shaped ones included)."""
    used: dict[str, set[str]] = {}

    def visit(text, _cm, _tm, font, _size):
        if font is not None and text.strip():
            used.setdefault(str(font["/BaseFont"]).split("+")[-1], set()).update(text)

    for page in PdfReader(io.BytesIO(content)).pages:
        page.extract_text(visitor_text=visit)
    return used


def assert_every_glyph_exists(content: bytes) -> set[str]:
    """Each character drawn is in the cmap of the font that draws it (no .notdef boxes); returns the fonts."""
    used = used_characters(content)
    registered = {}
    for name in pdfmetrics.getRegisteredFontNames():
        face = getattr(pdfmetrics.getFont(name), "face", None)
        if face is not None and hasattr(face, "charToGlyph"):
            registered[face.name.decode() if isinstance(face.name, bytes) else face.name] = face.charToGlyph
    missing = {}
    for font, chars in used.items():
        cmap = registered[font]
        lacking = {char for char in chars if ord(char) not in cmap and not char.isspace()}
        if lacking:
            missing[font] = lacking
    assert not missing, f"characters drawn in a font without them: {missing}"
    return set(used)


def own_pdf(person_user) -> bytes:
    client = Client()
    client.force_login(person_user)
    response = client.get(reverse("portal:plan_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


HEADINGS = ("Action plan", "Goals", "Activities", "Who agreed when")


def test_arabic_pdf_is_translated_shaped_and_right_to_left(accepted_referral, agreed_plan, person_user):
    person = accepted_referral.participant
    set_language(person, "ar")
    content = own_pdf(person_user)  # the portal gives the person's own language
    text = normalised(pdf_text(content))
    for heading in HEADINGS:
        assert translated("ar", heading) in text, heading
    # the agreement line: translated text around the person's name (a Latin name in an Arabic sentence)
    agreed = translated(
        "ar", "Agreed to version %(number)s on %(when)s by %(name)s, signed in with %(method)s."
    )
    opening = agreed.split("%(")[0].strip()  # "وافق"
    assert opening in text and person.full_name in text
    assert translated("ar", "Participant") in text
    assert GOALS in text  # the staff's words as written, not translated
    fonts = assert_every_glyph_exists(content)
    assert "NotoSansArabic-Regular" in fonts and "NotoSansArabic-Bold" in fonts
    # shaped: the letters are drawn in their joining forms (presentation forms before NFKC)
    raw = pdf_text(content)
    assert any(0xFE70 <= ord(char) <= 0xFEFF for char in raw)
    assert ReadLog.objects.filter(view="portal_plan_pdf", participant_id=person.pk).exists()


def test_tigrinya_pdf_uses_a_font_with_geez_letters(accepted_referral, agreed_plan, person_user):
    person = accepted_referral.participant
    set_language(person, "ti")
    content = own_pdf(person_user)
    text = normalised(pdf_text(content))
    for heading in HEADINGS:
        assert translated("ti", heading) in text, heading
    assert translated("ti", "Participant") in text and person.full_name in text
    assert GOALS in text
    fonts = assert_every_glyph_exists(content)
    assert "NotoSansEthiopic-Regular" in fonts and "DejaVuSans" in fonts  # Ge'ez and Latin side by side


def test_easy_swedish_pdf(accepted_referral, agreed_plan, person_user):
    person = accepted_referral.participant
    set_language(person, "sv-x-easy")
    text = normalised(pdf_text(own_pdf(person_user)))
    assert "Vem sa ja och när" in text  # easy-to-read, not the standard "Vem kom överens när"
    assert f"{person.full_name} sa ja till version 1" in text
    assert GOALS in text


def test_dari_and_somali_pdfs(accepted_referral, agreed_plan, person_user):
    person = accepted_referral.participant
    for language in ("fa", "so"):
        set_language(person, language)
        content = own_pdf(person_user)
        text = normalised(pdf_text(content))
        assert translated(language, "Who agreed when") in text
        assert_every_glyph_exists(content)


def test_staff_print_in_the_participants_language_and_in_swedish(
    accepted_referral, agreed_plan, coach, caseworker
):
    set_language(accepted_referral.participant, "ar")
    client = Client()
    client.force_login(coach)
    page = client.get(reverse("plans:plan", args=[accepted_referral.pk])).text
    url = reverse("plans:plan_pdf", args=[accepted_referral.pk])
    assert f'href="{url}"' in page and f'href="{url}?lang=ar"' in page
    assert "arabiska" in page  # the link names the language
    swedish = pdf_text(client.get(url).content)
    assert "Vem kom överens när" in swedish
    arabic = normalised(pdf_text(client.get(url + "?lang=ar").content))
    assert translated("ar", "Who agreed when") in arabic
    assert ReadLog.objects.filter(view="plan_pdf", user=coach).count() == 2


def test_the_portal_can_still_ask_for_another_language(accepted_referral, agreed_plan, person_user):
    set_language(accepted_referral.participant, "ar")
    client = Client()
    client.force_login(person_user)
    swedish = pdf_text(client.get(reverse("portal:plan_pdf") + "?lang=sv").content)
    assert "Vem kom överens när" in swedish
    assert client.get(reverse("portal:plan_pdf") + "?lang=xx").status_code == 400


# The layout itself ------------------------------------------------------------------------------------------


def test_bidi_levels_of_a_mixed_line():
    levels = bidi_levels("خطة Ayşe 2026")
    assert levels[:3] == [1, 1, 1]  # Arabic: right to left
    assert levels[4:8] == [2, 2, 2, 2]  # a Latin name inside it: left to right
    assert levels[-4:] == [2, 2, 2, 2]  # digits keep their order
    assert set(bidi_levels("Arbete inom vården.")) == {0}  # staff's Swedish text stays left to right


def test_right_to_left_lines_are_in_visual_order_and_wrap_from_the_top():
    fonts = pdf_fonts("ar")
    style = getSampleStyleSheet()["BodyText"]
    style.fontName = fonts.regular
    flowable = paragraph(fonts, "الأهداف (Ayşe Yılmaz) هنا", style)
    flowable.wrap(500, 100)
    # left to right on the page: the last Arabic word, the name in its own order with mirrored brackets
    # drawn on the right sides, then the first Arabic word at the right margin
    assert flowable.visual_text() == ["هنا (Ayşe Yılmaz) الأهداف"]
    narrow = paragraph(fonts, "واحد اثنان ثلاثة أربعة خمسة ستة سبعة ثمانية تسعة عشرة", style)
    narrow.wrap(80, 400)
    lines = narrow.visual_text()
    assert len(lines) > 2
    # each line is one shaped run (harfbuzz draws it right to left); lines fill from the top in reading order
    assert lines[0].split()[0] == "واحد" and lines[-1].split()[-1] == "عشرة"
    assert " ".join(lines).split() == "واحد اثنان ثلاثة أربعة خمسة ستة سبعة ثمانية تسعة عشرة".split()
