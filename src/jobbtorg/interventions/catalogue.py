"""The intervention types of Stockholm's 2007 decision (DOMAIN.md step 4), loaded by a data migration.
Municipalities add, describe and retire types in the admin after that."""

# code, Swedish name, English name, category, flags
CATALOGUE = [
    ("assessment", "Kartläggning och bedömning", "Assessment", "assessment", ()),
    ("career_guidance", "Studie- och yrkesvägledning", "Study and career guidance", "guidance", ()),
    ("advice", "Rådgivning", "Advice", "guidance", ()),
    ("individual_coaching", "Individuell coachning", "Individual coaching", "guidance", ()),
    (
        "job_matching",
        "Matchning mot arbete i näringsliv och stad",
        "Matching to jobs in business and the city",
        "matching",
        ("is_matching",),
    ),
    ("sfi_test", "SFI-test", "SFI test", "sfi", ("is_sfi_related",)),
    (
        "sfi_internship",
        "SFI kombinerat med praktik",
        "SFI combined with internship",
        "sfi",
        ("is_sfi_related", "is_internship"),
    ),
    ("sfi_studies", "SFI-studier", "SFI studies", "sfi", ("is_sfi_related",)),
    (
        "preparatory",
        "Förberedande insatser (MI-samtal, gruppverksamhet, CV, intervjuträning)",
        "Preparatory work (motivational interviews, groups, CV, interview training)",
        "preparatory",
        (),
    ),
    ("work_training", "Arbetsträning", "Work training", "work_training", ("is_work_training",)),
    (
        "language_internship",
        "Språk- och introduktionspraktik",
        "Language and introduction internship",
        "internship",
        ("is_internship",),
    ),
    (
        "training_internship",
        "Praktik som arbetsträning",
        "Internship as work training",
        "internship",
        ("is_internship", "is_work_training"),
    ),
    (
        "job_internship",
        "Praktik som första steg till arbete",
        "Internship as a first step to a job",
        "internship",
        ("is_internship",),
    ),
    (
        "vocational_course",
        "Kortare förberedande yrkesutbildning",
        "Short preparatory vocational course",
        "education",
        (),
    ),
    (
        "validation",
        "Validering av tidigare kunskaper och betyg",
        "Validation of earlier skills and grades",
        "education",
        (),
    ),
    (
        "adapted_vocational",
        "Längre anpassad yrkesutbildning",
        "Longer adapted vocational education",
        "education",
        (),
    ),
    (
        "employment_service_offer",
        "Arbetsförmedlingens insatser",
        "Arbetsförmedlingen's offer",
        "external",
        (),
    ),
    ("recruitment_event", "Rekryteringsträff", "Recruitment event", "matching", ("is_matching",)),
    ("start_business", "Starta eget-rådgivning", "Start-your-own-business advice", "guidance", ()),
    (
        "supported_employment",
        "Supported Employment",
        "Supported Employment",
        "supported_employment",
        ("is_matching",),
    ),
]


def catalogue_ensure(InterventionType) -> int:
    """Add the shipped types that are missing (never overwrites a municipality's edits; retired types stay
    retired). Runs after every migrate — and after a test database flush. Returns how many were added."""
    existing = set(InterventionType.objects.values_list("code", flat=True))
    missing = [
        InterventionType(
            code=code,
            name=name,
            name_en=name_en,
            category=category,
            sort_order=order,
            **{flag: True for flag in flags},
        )
        for order, (code, name, name_en, category, flags) in enumerate(CATALOGUE)
        if code not in existing
    ]
    InterventionType.objects.bulk_create(missing)
    return len(missing)
