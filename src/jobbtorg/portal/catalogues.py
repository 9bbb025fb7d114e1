"""The participant-facing translation catalogues (docs/translations.md).

sv and en are the full catalogues (staff and participant strings). Easy-to-read Swedish, Arabic, Somali,
Tigrinya and Dari hold only the strings a participant meets: those extracted from PARTICIPANT_SOURCES (the
`#:` references of the Swedish catalogue) plus PARTICIPANT_MSGIDS from modules shared with staff pages.
`manage.py participant_messages` brings each participant catalogue in step with that selection (new strings
come in empty, so tests/portal/test_catalogues.py fails until someone translates them); a missing string would
otherwise show in Swedish (Django falls back to LANGUAGE_CODE)."""

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import to_locale

from jobbtorg.utils.languages import ENGLISH, PARTICIPANT_LANGUAGES, SWEDISH

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

# The languages with a participant-only catalogue (sv and en have full catalogues), named in English for
# the catalogue headers.
CATALOGUE_LANGUAGES = tuple(code for code in PARTICIPANT_LANGUAGES if code not in (SWEDISH, ENGLISH))
LANGUAGE_NAMES = {
    "sv-x-easy": "easy-to-read Swedish (lättläst)",
    "ar": "Arabic",
    "so": "Somali",
    "ti": "Tigrinya",
    "fa": "Dari",
}

# Files whose every string a participant may see (paths as in the catalogue's `#:` references).
PARTICIPANT_SOURCES = (
    "portal/*",
    "templates/base.html",
    "templates/errors/error.html",
    "accounts/templates/accounts/login.html",
    "accounts/templates/accounts/participant.html",
    "accounts/templates/accounts/_field.html",
    "accounts/templates/accounts/_form_errors.html",
    "identity/templates/identity/refused.html",
    "journal/templates/journal/_thread.html",
    "plans/templates/plans/_agreement.html",
    "plans/templates/plans/_comments.html",
    "providers/templates/providers/choice/_comparison.html",
)

# Strings from modules shared with staff pages that a participant meets (reminders, notices, choices and
# errors on their forms, language names).
PARTICIPANT_MSGIDS = (
    # attendance: the meeting reminder (e-mail and SMS), absence reasons and errors, meeting kinds
    "Reminder from Jobbtorg",
    "Reminder: meeting with Jobbtorg %(when)s, %(where)s.",
    "Sick",
    "Care of a sick child",
    "Other valid reason",
    "Individual meeting",
    "Group meeting",
    "Three-party meeting",
    "Choose why you are away.",
    "Report absence for today or coming days.",
    "At most %(days)d days ahead.",
    "The last day cannot be before the first day.",
    "At most %(days)d days at a time.",
    # journal: the notice of a new message, the message form, the notice preference
    "Jobbtorg: you have a new message",
    "You have a new message in Jobbtorg. Sign in to read it:\n%(link)s",
    "Message",
    "The message stays on the case and cannot be deleted.",
    "Tell me about new messages by",
    "E-mail",
    "SMS",
    "No notice: I look in Jobbtorg myself",
    # participants: consent scopes, the language
    "Choose one of the languages in the list.",
    # utils.languages: names of the participant languages
    "Swedish",
    "Easy-to-read Swedish",
    "English",
    "Arabic",
    "Somali",
    "Tigrinya",
    "Dari",
    # plans: the error when the participant agrees to a plan no longer proposed
    "There is no proposed plan to agree to right now.",
    # plans: why an agreement no longer applies (the portal's plan page shows it)
    "The caseworker returned the plan for changes",
    "The plan was changed after the agreement",
    # plans: the printed plan (PDF) in the participant's language — headings, fixed texts, who agreed when,
    # the version status, the kinds of other plans and the sign-in methods a participant agrees with
    "Action plan",
    "Action plan – %(name)s",
    "in force",
    "Version %(number)s, %(status)s. %(unit)s.",
    "Goals",
    "Activities",
    "Activity",
    "From",
    "Until",
    "Hours per week",
    "No activities.",
    "The week",
    "Other plans",
    "Who agreed when",
    "Planned hours in the week of %(start)s: %(planned)s of %(required)s for %(capacity)s %% work capacity.",
    "Over the work capacity by %(over)s hours.",
    "Full time for the work capacity.",
    "%(missing)s hours missing for a full day.",
    "Proposed by %(name)s on %(when)s.",
    "Agreed to version %(number)s on %(when)s by %(name)s, signed in with %(method)s.",
    "an unknown method",
    "Has not agreed to this version.",
    "Approved by %(name)s on %(when)s.",
    "Comment: %(comment)s",
    "Returned by %(name)s on %(when)s.",
    "Not decided yet.",
    "Job coach",
    "Participant",
    "Caseworker (social services)",
    "Proposed",
    "Approved",
    "Returned",
    "Introduction plan",
    "SFI study plan",
    "Arbetsförmedlingen's plan",
    "Other plan",
    "Password",
    "Password and authenticator app",
    "e-ID",
)


@dataclass
class Entry:
    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    references: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # translator comments ("# ...")

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def is_fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def is_translated(self) -> bool:
        if self.msgid_plural is not None:
            return bool(self.msgstr_plural) and all(self.msgstr_plural.values())
        return bool(self.msgstr)


_STRING = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')


def _unescape(text: str) -> str:
    return re.sub(r'\\(["\\ntr])', lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m[1], m[1]), text)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")


def read_po(path: Path) -> tuple[str, list[Entry]]:
    """The header comment block and msgstr header text, and the entries (obsolete `#~` ones left out)."""
    header_comments, entries, current, target = [], [], None, None
    header_text = ""

    def finish():
        nonlocal current, header_text
        if current is not None:
            if current.msgid == "" and current.msgctxt is None:
                header_text = current.msgstr
            else:
                entries.append(current)
        current = None

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#~") or not line.strip():
            if not line.strip():
                finish()
            continue
        if line.startswith("#"):
            if current is not None and target is not None:
                finish()
            if current is None:
                current, target = Entry(msgid=""), None
            if line.startswith("#:"):
                current.references.extend(line[2:].split())
            elif line.startswith("#,"):
                current.flags.extend(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("# ") or line == "#":
                current.comments.append(line)
            continue
        match = _STRING.match(line)
        if match:
            keyword, index, text = match[1], match[2], _unescape(match[3])
            if current is None:
                current = Entry(msgid="")
            if keyword == "msgctxt" and target is not None:
                finish()
                current = Entry(msgid="")
            target = (keyword, index)
            _append(current, target, text, reset=True)
        elif line.startswith('"') and current is not None and target is not None:
            _append(current, target, _unescape(line.strip()[1:-1]), reset=False)
    finish()
    if entries or header_text:
        text = path.read_text(encoding="utf-8")
        header_comments = [line for line in text.split('msgid ""', 1)[0].splitlines() if line.startswith("#")]
    return "\n".join(header_comments) + "\n" + HEADER_MARK + header_text, entries


HEADER_MARK = "\x00"


def _append(entry: Entry, target, text: str, *, reset: bool) -> None:
    keyword, index = target
    if keyword == "msgctxt":
        entry.msgctxt = text if reset else (entry.msgctxt or "") + text
    elif keyword == "msgid":
        entry.msgid = text if reset else entry.msgid + text
    elif keyword == "msgid_plural":
        entry.msgid_plural = text if reset else (entry.msgid_plural or "") + text
    elif index is not None:
        number = int(index)
        entry.msgstr_plural[number] = text if reset else entry.msgstr_plural.get(number, "") + text
    else:
        entry.msgstr = text if reset else entry.msgstr + text


def _line(text: str) -> str:
    return '"' + _escape(text).replace("\n", "\\n") + '"'


def _quoted(keyword: str, text: str) -> list[str]:
    """A keyword and its string; a string with inner line breaks or a long one is split after each break,
    the way xgettext writes it."""
    if "\n" not in text.rstrip("\n") and len(text) < 70:
        return [f"{keyword} {_line(text)}"]
    return [f'{keyword} ""'] + [_line(part) for part in re.split(r"(?<=\n)", text) if part]


def write_po(path: Path, header: str, entries: list[Entry]) -> None:
    comments, _, header_text = header.partition(HEADER_MARK)
    lines = [line for line in comments.splitlines() if line]
    lines += ['msgid ""', 'msgstr ""'] + [_line(part) for part in re.split(r"(?<=\n)", header_text) if part]
    for entry in entries:
        lines.append("")
        lines += entry.comments
        if entry.references:
            lines.append("#: " + " ".join(entry.references))
        if entry.flags:
            lines.append("#, " + ", ".join(entry.flags))
        if entry.msgctxt is not None:
            lines += _quoted("msgctxt", entry.msgctxt)
        lines += _quoted("msgid", entry.msgid)
        if entry.msgid_plural is not None:
            lines += _quoted("msgid_plural", entry.msgid_plural)
            for number in sorted(entry.msgstr_plural) or [0, 1]:
                lines += _quoted(f"msgstr[{number}]", entry.msgstr_plural.get(number, ""))
        else:
            lines += _quoted("msgstr", entry.msgstr)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _from_participant_source(reference: str) -> bool:
    path = reference.rsplit(":", 1)[0]
    return any(fnmatch.fnmatch(path, pattern) for pattern in PARTICIPANT_SOURCES)


def participant_entries() -> list[Entry]:
    """The participant-facing entries of the Swedish catalogue (their msgids, references and flags)."""
    _, entries = read_po(catalogue_path(SWEDISH))
    wanted = set(PARTICIPANT_MSGIDS)
    return [
        entry
        for entry in entries
        if entry.msgid in wanted or any(_from_participant_source(ref) for ref in entry.references)
    ]


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / to_locale(language) / "LC_MESSAGES" / "django.po"
