"""The payment basis as CSV for the finance department (pages and API share it). Identity numbers masked;
text that a spreadsheet would run as a formula (a provider named `=HYPERLINK(…)`) is kept as text."""

from jobbtorg.utils.tabular import SafeCsvWriter

HEADER = [
    "anordnare",
    "organisationsnummer",
    "person",
    "regel",
    "typ",
    "period",
    "niva",
    "justering",
    "belopp",
    "underlag",
]


def write_payment_basis_csv(out, lines) -> None:
    """`lines` with `provider` and `participant` selected and `person_shown` annotated
    (`PaymentLineQuerySet.with_person_shown`): a person no longer visible to the user is left out. Lines held
    for a creaming review are not paid, so not in the file (the page shows them). Writes a BOM,
    ';'-separated, decimal comma."""
    out.write("\ufeff")
    writer = SafeCsvWriter(out, delimiter=";")
    writer.writerow(HEADER)
    for line in lines:
        if line.held_by_id:
            continue
        writer.writerow(
            [
                line.provider.name,
                line.provider.organisation_number,
                line.participant.masked_personal_number if line.person_shown else "",
                line.rule_code,
                line.kind,
                f"{line.period_month:%Y-%m}",
                line.tier,
                "ja" if line.is_adjustment else "",
                f"{line.amount:.2f}".replace(".", ","),
                "; ".join(f"{k}={v}" for k, v in line.evidence.items() if v not in (None, "", [])),
            ]
        )
