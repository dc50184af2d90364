"""Runs on a Dask cluster: the same documents and manifest as the local pool, a lost worker, merge, PDFs, errors."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from conftest import report_text as text_of

from docgen.cli import main
from docgen.runs import cluster as cluster_module
from docgen.runs.batch import BatchOptions, collect_inputs, plan_batch, read_input
from docgen.runs.engine import RunSettings, run_jobs
from docgen.runs.report import ReportOptions

distributed = pytest.importorskip("distributed")

SAMPLES = Path(__file__).resolve().parents[1] / "sample_inputs"
MONTH = SAMPLES / "2026-10-华东销售一组-个人月报"
MERGE = SAMPLES / "merge"
FAKES = Path(__file__).parent / "fakes"
TODAY = "2026-11-02"
ENGLISH = {"DOCGEN_LANG": "en", "LANG": "C.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}

# No warning filter: distributed warns of nothing here, and warnings stay errors (a lost worker is logged, not warned).


@pytest.fixture(scope="module")
def fake_soffice(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("soffice")
    program = folder / "soffice"
    shutil.copyfile(FAKES / "soffice", program)
    program.chmod(0o755)
    (folder / "record").mkdir()
    return program


@pytest.fixture(scope="module")
def scheduler(fake_soffice) -> str:
    """A real two-process cluster on the loopback address, for the whole module; its workers' PDFs are the fake's."""
    env = {"FAKE_SOFFICE_BEHAVIOUR": "writes-pdf", "FAKE_SOFFICE_RECORD": str(fake_soffice.parent / "record")}
    # dashboard_address ":0": the scheduler's web server takes a free port (with None it still binds 8787,
    # which another cluster on the machine, e.g. another test run's, may hold).
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=":0", env=env
    ) as cluster:
        yield cluster.scheduler_address


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], env=ENGLISH)
    assert "Traceback" not in result.output, result.output
    return result


def records(folder: Path) -> list[dict]:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["records"]


def rows(folder: Path) -> list[tuple]:
    """A manifest's rows without where the folder is: record, person, file name, status, input hash."""
    return [
        (r["key"], r["kind"], r["person"], r["row"], Path(r["output"]).name, r["status"], r["input_hash"], r["error"])
        for r in records(folder)
    ]


def texts(folder: Path) -> dict[str, str]:
    return {path.name: text_of(path) for path in sorted(folder.glob("*.docx"))}


def test_a_batch_on_the_cluster_makes_the_local_pools_documents_and_manifest(scheduler, tmp_path):
    local, remote = tmp_path / "local", tmp_path / "cluster"
    assert run("batch", MONTH, "-o", local, "--today", TODAY, "-j", "2", "-q").exit_code == 0
    result = run("batch", MONTH, "-o", remote, "--today", TODAY, "--scheduler", scheduler, "-q")
    assert result.exit_code == 0, result.output
    assert len(rows(remote)) == 4
    assert rows(remote) == rows(local)
    assert texts(remote) == texts(local)
    assert not list(remote.glob(".~docgen-*"))

    again = run("batch", MONTH, "-o", remote, "--today", TODAY, "--scheduler", scheduler, "--resume", "-q")
    assert again.exit_code == 0, again.output
    assert [r["status"] for r in records(remote)] == ["skipped"] * 4


def test_a_split_workbook_and_its_rollup_on_the_cluster_match_the_local_pools(scheduler, tmp_path):
    # On a cluster the workbook is split in memory here (a worker could not read a local spill file).
    workbook = SAMPLES / "华东销售一组-2026年10月-全员明细.xlsx"
    local, remote = tmp_path / "local", tmp_path / "cluster"
    split = ["--split-by", "--rollup", "--today", TODAY, "-q"]
    assert run("batch", workbook, *split, "-o", local, "-j", "2").exit_code == 0
    result = run("batch", workbook, *split, "-o", remote, "--scheduler", scheduler)
    assert result.exit_code == 0, result.output
    assert rows(remote) == rows(local) and len(rows(remote)) > 2
    assert texts(remote) == texts(local)


def test_a_merge_on_the_cluster_sends_the_template_and_makes_the_local_pools_documents(scheduler, tmp_path):
    local, remote = tmp_path / "local", tmp_path / "cluster"
    template, data = MERGE / "邀请函.docx", MERGE / "客户名单.xlsx"
    assert run("merge", template, data, "-o", local, "-j", "2", "-q").exit_code == 0
    result = run("merge", template, data, "-o", remote, "--scheduler", scheduler, "-q")
    assert result.exit_code == 0, result.output
    assert rows(remote) == rows(local)
    assert texts(remote) == texts(local) and texts(remote)


def test_pdfs_are_made_on_the_workers_and_written_beside_the_reports(scheduler, tmp_path, fake_soffice):
    out = tmp_path / "out"
    result = run("batch", MONTH, "-o", out, "--today", TODAY, "--pdf", "--soffice", fake_soffice,
                 "--scheduler", scheduler, "-q")  # fmt: skip
    assert result.exit_code == 0, result.output
    for record in records(out):
        assert record["pdf_status"] == "ok"
        assert Path(record["pdf"]).parent == out
        assert Path(record["pdf"]).read_bytes().startswith(b"%PDF")


def _dies_once(marker: str, render, *args):
    """A job that kills the worker process running it the first time (the marker file says it did)."""
    if not os.path.exists(marker):
        Path(marker).touch()
        os._exit(1)
    return render(*args)


def test_a_worker_killed_mid_run_loses_no_record(scheduler, tmp_path):
    out = tmp_path / "out"
    settings = RunSettings(out, scheduler=scheduler)
    reads = [read_input(path) for path in collect_inputs([MONTH])]
    jobs, failures = plan_batch(reads, BatchOptions(report=ReportOptions(today=dt.date(2026, 11, 2))), settings)
    marker = tmp_path / "died"
    victim = jobs[1]
    jobs[1] = type(victim)(**{
        **{name: getattr(victim, name) for name in victim.__slots__},
        "render": _dies_once,
        "args": (str(marker), victim.render, *victim.args),
    })  # fmt: skip
    result = run_jobs(jobs, settings, failures=failures)
    assert marker.exists()  # a worker did die
    assert [o.status for o in result.outcomes] == ["ok"] * 4
    for record in records(out):
        assert record["status"] == "ok"
        assert record["person"] in text_of(Path(record["output"]))


def test_a_record_that_fails_on_a_worker_fails_alone(scheduler, tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(MONTH, inputs)
    (inputs / "坏的.xlsx").write_bytes(b"not a workbook")
    out = tmp_path / "out"
    result = run("batch", inputs, "-o", out, "--today", TODAY, "--scheduler", scheduler, "-q")
    assert result.exit_code == 1
    statuses = sorted(r["status"] for r in records(out))
    assert statuses == ["failed", "ok", "ok", "ok", "ok"]


def _arguments(*args):
    return args


def test_a_jobs_template_goes_with_the_task_and_is_read_from_the_workers_copy(tmp_path):
    template = tmp_path / "邀请函.docx"
    shutil.copyfile(MERGE / "邀请函.docx", template)
    options = ReportOptions(template=template)
    pool = cluster_module.ClusterPool.__new__(cluster_module.ClusterPool)  # its file-taking part, without a client
    pool._files = {}
    files = pool._files_of(([("job", (template, options))], True))
    assert list(files) == [str(template)]

    jobs, dry_run = cluster_module._on_worker(_arguments, ([("job", (template, options))], True), files, "en")
    copy, copied_options = jobs[0][1]
    assert copy != template and copy.name == template.name
    assert copy.read_bytes() == template.read_bytes()
    assert copied_options.template == copy and dry_run is True


def test_a_task_that_kept_killing_workers_fails_like_a_stopped_local_worker(monkeypatch):
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from docgen.runs.engine import _results

    monkeypatch.setenv("DOCGEN_LANG", "en")
    dask_future: Future = Future()
    told = cluster_module._lost_worker_as_broken_pool(dask_future)
    last_worker = SimpleNamespace(address="tcp://127.0.0.1:1")  # what KilledWorker's message reads of it
    dask_future.set_exception(distributed.KilledWorker("make_documents-1", last_worker, 3))
    assert isinstance(told.exception(), BrokenProcessPool)
    failures = _results(told, "document", 2)
    assert len(failures) == 2 and "worker process stopped" in failures[0].error


def test_a_wrong_address_says_the_scheduler_cannot_be_reached_fast(tmp_path, monkeypatch):
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setattr(cluster_module, "CONNECT_TIMEOUT", 1.0)
    for command in (["batch", MONTH], ["merge", MERGE / "邀请函.docx", MERGE / "客户名单.xlsx"]):
        result = run(*command, "-o", tmp_path / "out", "--scheduler", f"tcp://127.0.0.1:{port}")
        assert result.exit_code == 2
        assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in result.output
        assert "dask scheduler" in result.output
        assert not (tmp_path / "out").exists()  # nothing written


def test_without_dask_the_option_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if it were not installed
    result = run("merge", MERGE / "邀请函.docx", MERGE / "客户名单.xlsx", "-o", tmp_path / "out",
                 "--scheduler", "tcp://127.0.0.1:8786")  # fmt: skip
    assert result.exit_code == 2
    assert "pip install 'docgen[cluster]'" in result.output
    assert not (tmp_path / "out").exists()
