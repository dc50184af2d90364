"""Joins finished .docx reports into one document for printing, each starting on a new page (docxcompose)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from docgen.errors import Location, OutputError
from docgen.output.files import write_atomic
from docgen.text.messages import say


def combine_documents(documents: Sequence[Path], target: Path, *, force: bool = False) -> Path:
    """Write every document, in order, into one .docx at `target`; each one starts on a new page.

    The first document's page set-up, header and footer apply to the whole
    file (docxcompose keeps the styles, numbering and images of the others).
    """
    # Imported here: only a run that combines pays for docxcompose.
    import docx
    from docxcompose.composer import Composer

    if not documents:
        raise OutputError(say("combine.nothing"), location=Location(file=str(target)), hint=say("combine.nothing.hint"))
    try:
        composer = Composer(docx.Document(str(documents[0])))
        for document in documents[1:]:
            composer.doc.add_page_break()
            composer.append(docx.Document(str(document)))
        buffer = io.BytesIO()
        composer.save(buffer)
    except OutputError:
        raise
    except Exception as error:  # docxcompose and python-docx raise many kinds on odd documents
        raise OutputError(
            say("combine.failed", kind=type(error).__name__, error=error),
            location=Location(file=str(target)),
            hint=say("combine.failed.hint"),
        ) from None
    return write_atomic(Path(target), buffer.getvalue(), force=force)
