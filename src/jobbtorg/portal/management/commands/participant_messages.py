"""Bring the participant-facing catalogues (easy-to-read Swedish, Arabic, Somali, Tigrinya, Dari) in step with
the participant-facing strings of the Swedish catalogue, then compile them.

Run after `make messages` (which updates sv and en). Strings no longer used go; new ones come in empty (and
the catalogue test fails until they are translated); translations and each catalogue's header (translator
and review status) are kept. See docs/translations.md."""

import subprocess

from django.core.management import BaseCommand, call_command
from django.utils import timezone

from jobbtorg.portal import catalogues

PLURAL_FORMS = {
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
    ": n%100>=11 ? 4 : 5);",
    "fa": "nplurals=2; plural=(n > 1);",
    "ti": "nplurals=2; plural=(n > 1);",
}
DEFAULT_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"


def new_header(language: str) -> str:
    name = catalogues.LANGUAGE_NAMES[language]
    comments = "\n".join(
        [
            f"# Jobbtorg: the participant-facing strings in {name}.",
            "# Translator: drafted by the Jobbtorg developers (author-drafted, machine-assisted).",
            "# Review status: NOT reviewed by a native speaker. Update this line and docs/translations.md",
            "# when a reviewer has checked the catalogue.",
        ]
    )
    text = (
        "Project-Id-Version: Jobbtorg\n"
        f"PO-Revision-Date: {timezone.now():%Y-%m-%d %H:%M%z}\n"
        "Last-Translator: Jobbtorg developers (not a native speaker)\n"
        f"Language-Team: {name} (not reviewed by a native speaker)\n"
        f"Language: {catalogues.to_locale(language)}\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        f"Plural-Forms: {PLURAL_FORMS.get(language, DEFAULT_PLURAL_FORMS)}\n"
    )
    return comments + "\n" + catalogues.HEADER_MARK + text


class Command(BaseCommand):
    help = "Update and compile the participant-facing catalogues from the Swedish catalogue."

    def handle(self, *args, **options):
        selection = catalogues.participant_entries()
        for language in catalogues.CATALOGUE_LANGUAGES:
            path = catalogues.catalogue_path(language)
            header, existing = new_header(language), {}
            if path.exists():
                header, old_entries = catalogues.read_po(path)
                existing = {entry.key: entry for entry in old_entries}
            entries = []
            for source in selection:
                old = existing.get(source.key)
                entry = catalogues.Entry(
                    msgid=source.msgid,
                    msgctxt=source.msgctxt,
                    msgid_plural=source.msgid_plural,
                    references=source.references,
                    flags=[flag for flag in source.flags if flag != "fuzzy"],
                )
                if old is not None:
                    entry.msgstr, entry.msgstr_plural = old.msgstr, old.msgstr_plural
                    entry.comments = old.comments
                    entry.flags += [flag for flag in old.flags if flag == "fuzzy"]
                entries.append(entry)
            path.parent.mkdir(parents=True, exist_ok=True)
            catalogues.write_po(path, header, entries)
            subprocess.run(["msgcat", "-o", str(path), str(path)], check=True)  # gettext's own line wrapping
            missing = sum(1 for entry in entries if not entry.is_translated or entry.is_fuzzy)
            self.stdout.write(
                f"{path.relative_to(catalogues.LOCALE_DIR)}: {len(entries)} strings, {missing} to do"
            )
        call_command(
            "compilemessages",
            locale=[catalogues.to_locale(code) for code in catalogues.CATALOGUE_LANGUAGES],
            verbosity=0,
        )
