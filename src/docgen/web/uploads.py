"""Reading a request's uploads into its own folder under names docgen makes, within the limits."""

from __future__ import annotations

import shutil
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.requests import Request

from docgen.web.safety import WebSettings


def read_form(request: Request, settings: WebSettings):
    """The request's form, to use in `async with`: its spooled files are closed when the block ends.

    More files than the limit are refused by Starlette with a 400, shown as a page.
    """
    return request.form(max_files=settings.max_files, max_fields=40)


def uploaded(form, name: str) -> list[UploadFile]:
    """The files sent in the field `name`; an empty file input sends one nameless empty part, which is none."""
    return [f for f in form.getlist(name) if isinstance(f, UploadFile) and (f.filename or f.size)]


def save(upload: UploadFile, target: Path) -> Path:
    """Copy an upload to `target`, a path docgen made (never the client's name)."""
    upload.file.seek(0)
    with open(target, "wb") as sink:
        shutil.copyfileobj(upload.file, sink, 1 << 20)
    return target
