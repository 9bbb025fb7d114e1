"""The action plan as a PDF (reportlab): goals, the week, activities, hours against work capacity, other plans
and who agreed when. Rendered in the language asked for (Swedish by default; the participant's own from the
portal): headings and fixed texts go through gettext, what staff wrote stays as written. The fonts come from
`utils.pdf_fonts` and every text is laid out by `utils.pdf_text` (font runs for Tigrinya's Ge'ez script,
shaping and right-to-left order for Arabic and Dari), so another language only adds a translation there."""

import io

from django.utils import translation
from django.utils.translation import gettext as _

from jobbtorg.utils.pdf_fonts import pdf_fonts
from jobbtorg.utils.pdf_text import paragraph

from .selectors import PlanDocument, agreement_lines


def plan_pdf(document: PlanDocument, *, language: str = "sv") -> bytes:
    # reportlab is imported here: the URL conf imports this module (tests/test_startup.py).
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    with translation.override(language):
        fonts = pdf_fonts(language)
        styles = getSampleStyleSheet()
        for style in styles.byName.values():
            style.fontName = fonts.bold if "Heading" in style.name or style.name == "Title" else fonts.regular
        body, heading, title = styles["BodyText"], styles["Heading2"], styles["Title"]
        if fonts.right_to_left:
            for style in (body, heading):
                style.alignment = TA_RIGHT
        plan, version, content = document.plan, document.version, document.content
        participant = plan.participant

        def para(text, style=body):
            return paragraph(fonts, text, style)

        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=18 * mm,
            bottomMargin=18 * mm,
            title=_("Action plan – %(name)s") % {"name": participant.full_name},
            lang=language,
        )
        status = _("in force") if document.in_force else version.get_status_display().lower()
        story = [
            para(_("Action plan"), title),
            para(f"{participant.full_name} ({participant.masked_personal_number})", heading),
            para(
                _("Version %(number)s, %(status)s. %(unit)s.")
                % {"number": version.number, "status": status, "unit": plan.referral.unit}
            ),
            Spacer(1, 4 * mm),
            para(_("Goals"), heading),
            para(content.get("goals") or "–"),
            para(_("Activities"), heading),
        ]
        header = styles["BodyText"].clone("TableHeader", fontName=fonts.bold)
        rows = [
            [
                para([(text, True)], header)
                for text in (_("Activity"), _("From"), _("Until"), _("Hours per week"))
            ]
        ]
        for activity in content.get("activities", []):
            name = activity.get("intervention_name", "")
            if activity.get("description"):
                name = f"{name}\n{activity['description']}"
            rows.append(
                [
                    para(name),
                    para(activity.get("start_date") or "–"),
                    para(activity.get("end_date") or "–"),
                    para(f"{float(activity.get('hours_per_week') or 0):g}"),
                ]
            )
        widths = [84 * mm, 26 * mm, 26 * mm, 28 * mm]
        if fonts.right_to_left:  # the table reads from the right: the activity comes first there
            rows, widths = [list(reversed(row)) for row in rows], list(reversed(widths))
        if len(rows) == 1:
            story.append(para(_("No activities.")))
        else:
            table = Table(rows, repeatRows=1, colWidths=widths)
            table.setStyle(
                TableStyle(
                    [
                        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.append(table)
        week = document.week
        if week is not None:
            story += [para(_("The week"), heading), para(week_text(week))]
        if content.get("other_plans"):
            story.append(para(_("Other plans"), heading))
            for link in content["other_plans"]:
                story.append(para(f"{link.get('kind_label')}: {link.get('reference')}"))
        story.append(para(_("Who agreed when"), heading))
        for party, text in agreement_lines(document):
            story.append(para([(f"{party}:", True), (f" {text}", False)]))
        doc.build(story)
        return buffer.getvalue()


def week_text(week) -> str:
    """Hours against work capacity in words: over (never "full time"), full, or how many hours are missing."""
    values = {
        "planned": f"{week.planned_hours:g}",
        "required": f"{week.required_hours:g}",
        "capacity": week.work_capacity,
        "over": f"{week.over_hours:g}",
        "missing": f"{week.missing_hours:g}",
        "start": week.week_start.isoformat(),
    }
    text = (
        _(
            "Planned hours in the week of %(start)s: %(planned)s of %(required)s for %(capacity)s %% "
            "work capacity."
        )
        % values
    )
    if week.is_over:
        return text + " " + _("Over the work capacity by %(over)s hours.") % values
    if week.is_full:
        return text + " " + _("Full time for the work capacity.")
    return text + " " + _("%(missing)s hours missing for a full day.") % values
