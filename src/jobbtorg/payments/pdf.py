"""The payment basis of one provider and month as a PDF for the finance department (reportlab)."""

import io

from django.utils.translation import gettext as _

from jobbtorg.utils.pdf_fonts import pdf_fonts


def payment_basis_pdf(*, provider, run, lines, total) -> bytes:
    # reportlab is imported here: the URL conf imports this module (tests/test_startup.py).
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("Payment basis %(month)s – %(provider)s")
        % {"month": f"{run.month:%Y-%m}", "provider": provider.name},
    )
    styles = getSampleStyleSheet()
    story = [
        Paragraph(_("Payment basis %(month)s") % {"month": f"{run.month:%Y-%m}"}, styles["Title"]),
        Paragraph(f"{provider.name} ({provider.organisation_number})", styles["Heading2"]),
        Paragraph(
            _("Status: %(status)s. Lines: %(n)d. Total: %(total)s SEK.")
            % {
                "status": run.get_status_display(),
                "n": len(lines),
                "total": f"{total:,.2f}".replace(",", " "),
            },
            styles["Normal"],
        ),
        Spacer(1, 6 * mm),
    ]
    data = [
        [_("Person"), _("Rule"), _("Period"), _("Tier"), _("Adjustment"), _("Amount (SEK)"), _("Evidence")]
    ]
    for line in lines:
        evidence = ", ".join(f"{k}: {v}" for k, v in line.evidence.items() if v not in (None, "", []))
        data.append(
            [
                line.participant.masked_personal_number if line.person_shown else "–",
                line.rule.label,
                line.period_month.strftime("%Y-%m"),
                line.tier or "–",
                _("yes") if line.is_adjustment else "",
                f"{line.amount:,.2f}".replace(",", " "),
                Paragraph(evidence[:300], styles["BodyText"]),
            ]
        )
    data.append(["", "", "", "", _("Total"), f"{total:,.2f}".replace(",", " "), ""])
    table = Table(
        data, repeatRows=1, colWidths=[32 * mm, 50 * mm, 18 * mm, 12 * mm, 20 * mm, 28 * mm, 105 * mm]
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), pdf_fonts().bold),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
                ("ALIGN", (5, 0), (5, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
            ]
        )
    )
    story.append(table)
    doc.build(story)
    return buffer.getvalue()
