"""Occupation codes seen in older data that are not SSYK 2012 unit groups, with the group they mean.

Used when older mappings are migrated and when a service receives such a code, so that an old code is
turned into its SSYK 2012 group instead of being refused. Extend it only with codes actually seen (with the
reason); anything else unknown is refused with a field message.
"""

LEGACY_CODES: dict[str, str] = {
    # "personlig assistent" was recorded as 5331 in early demo data; SSYK 2012: 5343 Personliga assistenter.
    "5331": "5343",
}


def modernise(codes) -> list[str]:
    return [LEGACY_CODES.get(str(code), str(code)) for code in codes or []]
