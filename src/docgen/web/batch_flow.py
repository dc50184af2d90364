"""The month's batch: workbooks, a .zip or one workbook to split, made in a run that outlives its tab."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from docgen.web import view as web
from docgen.web.safety import WORKBOOK_SUFFIXES, UnpackRefused, stored_name, suffix_of, unpack_workbooks
from docgen.web.stores import BatchRun, is_id
from docgen.web.uploads import read_form, save, uploaded
from docgen.web.words import say

COMBINED = "combined.docx"


async def batch_page(request: Request) -> Response:
    return web.page(request, "batch.html", runs=request.app.state.runs.recent())


async def start(request: Request) -> Response:
    """Store the uploads in the run's own folder and start it; the page of the run follows."""
    settings = request.app.state.settings
    lang = request.state.lang
    async with read_form(request, settings) as form:
        files = uploaded(form, "workbooks")
        if not files:
            return web.page(request, "batch.html", 400, runs=request.app.state.runs.recent(),
                            error=say(lang, "batch.no_files"))
        slots = request.app.state.batch_slots
        if not slots.take():
            return web.page_error(request, 503, say(lang, "page.busy"))
        run = request.app.state.runs.new(len(files))
        try:
            inputs = _store(files, run, settings)
        except UnpackRefused as refused:
            slots.give_back()
            return web.page(request, "batch.html", 400, runs=request.app.state.runs.recent(),
                            error=say(lang, refused.key, **refused.params))
        except BaseException:
            slots.give_back()
            raise
        if not inputs:
            slots.give_back()
            return web.page(request, "batch.html", 400, runs=request.app.state.runs.recent(),
                            error=say(lang, "batch.zip_empty"))
        wanted = {name: form.get(name) == "on" for name in ("split", "rollup", "pdf", "combine")}
        request.app.state.runs.start(run, lambda r: _work(r, inputs, wanted, lang), slots.give_back)
        return RedirectResponse(f"/batch/{run.id}", 303)


def _store(files, run: BatchRun, settings) -> list:
    inputs = []
    folder = run.folder / "inputs"
    for upload in files:
        suffix = suffix_of(upload.filename)
        if suffix == ".zip":
            archive = save(upload, folder / f"upload-{len(inputs):03d}.zip")
            inputs += unpack_workbooks(archive, folder, len(inputs) + 1, settings)
            archive.unlink()
        else:
            # Any other kind is stored too: reading it gives the CLI's clear message in the run's list.
            inputs.append(save(upload, folder / stored_name(len(inputs) + 1, upload.filename, suffix or ".xlsx")))
    if len(inputs) > settings.max_files:
        raise UnpackRefused("batch.zip_too_big", files=settings.max_files, mb=settings.max_unpacked_mb)
    return inputs


def _work(run: BatchRun, inputs, wanted: dict, lang: str) -> dict:
    """The run itself, in its thread: docgen batch's library call, with the page's choices."""
    from docgen.runs.batch import BatchOptions, run_batch
    from docgen.runs.engine import RunSettings
    from docgen.runs.report import ReportOptions

    options = BatchOptions(report=ReportOptions(find_previous=False), split=wanted["split"],
                           rollup=wanted["rollup"])
    settings = RunSettings(output_dir=run.output_dir, jobs=2, force=True, pdf=wanted["pdf"],
                           combine=run.output_dir / COMBINED if wanted["combine"] else None)
    result = run_batch(inputs, options, settings, progress=run)
    summary = result.summary()
    summary["lang"] = lang
    if result.combine_error:
        summary["combine_error"] = result.combine_error
    return summary


def _status(run: BatchRun) -> dict:
    records = run.records()
    failures = [
        {"record": " · ".join(filter(None, (_shown_input(r.get("input", "")), r.get("person", ""), r.get("kind", "")
                                            if r.get("kind") == "rollup" else ""))),
         "reason": r.get("error") or r.get("pdf_error") or ""}
        for r in records if r.get("status") == "failed" or r.get("pdf_status") == "failed"
    ]
    made = sorted(p.name for p in run.output_dir.glob("*") if p.suffix in (".docx", ".pdf")) \
        if run.output_dir.is_dir() else []
    return {"id": run.id, "state": run.state, "label": run.label, "done": run.done, "total": run.total,
            "failures": failures, "made": made, "error": run.error,
            "summary": {k: v for k, v in run.summary.items() if isinstance(v, int)}}


def _shown_input(path: str) -> str:
    # The stored name (007-李明-月报.xlsx) without the folder or its number.
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return name.split("-", 1)[1] if name[:3].isdigit() and "-" in name else name


def _run_of(request: Request) -> BatchRun | None:
    rid = request.path_params["rid"]
    return request.app.state.runs.get(rid) if is_id(rid) else None


async def run_page(request: Request) -> Response:
    run = _run_of(request)
    if run is None:
        return web.page_error(request, 404, say(request.state.lang, "page.not_found"))
    return web.page(request, "run.html", run=run, status=_status(run))


async def run_status(request: Request) -> Response:
    """How far the run is, and what failed so far: the run page polls it every second."""
    run = _run_of(request)
    if run is None:
        return JSONResponse({"error": "not found"}, 404)
    return JSONResponse(_status(run))


async def run_download(request: Request) -> Response:
    run = _run_of(request)
    if run is None or run.state != "done" or not run.archive.is_file():
        return web.page_error(request, 404, say(request.state.lang, "page.not_found"))
    return FileResponse(run.archive, filename=f"docgen-{run.started:%Y%m%d-%H%M}-{run.id[:6]}.zip")


ROUTES = [
    Route("/batch", batch_page),
    Route("/batch/start", start, methods=["POST"]),
    Route("/batch/{rid}", run_page),
    Route("/batch/{rid}/status", run_status),
    Route("/batch/{rid}/documents.zip", run_download),
]

__all__ = ["ROUTES", "WORKBOOK_SUFFIXES"]
