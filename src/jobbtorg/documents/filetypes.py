"""Which type a file is, read from its content — the name and the browser's content type are never trusted.

PDF, JPEG and PNG by their signature; DOCX and ODT are ZIP containers and are told apart by what they hold
(ODT: a `mimetype` member naming the OpenDocument text type, as the standard requires; DOCX: the OOXML content
types and a `word/document.xml`). Anything else — a ZIP of something else, an executable, a script renamed to
.pdf — is refused."""

import zipfile

from .constants import FileType

# ZIP containers with more members than this are refused unread (a DOCX/ODT has a few dozen).
MAX_ZIP_MEMBERS = 2_000


def sniff(file) -> FileType | None:
    """The type of an open binary file (positioned anywhere; left at its start), or None when it is not one
    of the allowed types."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return FileType.PDF
    if head.startswith(b"\xff\xd8\xff"):
        return FileType.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileType.PNG
    if head.startswith(b"PK\x03\x04"):
        try:
            return _office_type(file)
        finally:
            file.seek(0)
    return None


def _office_type(file) -> FileType | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if len(names) > MAX_ZIP_MEMBERS:
                return None
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100 and archive.read("mimetype").strip() == FileType.ODT.value.encode():
                    return FileType.ODT
                return None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return FileType.DOCX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError, EOFError):
        return None
    return None
