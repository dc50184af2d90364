"""The batch benchmark: docgen against a plain docxtpl loop and against writing the files alone, in one run.

    .venv/bin/python benchmarks/run.py            # about 5 minutes on 2 cores
    .venv/bin/python benchmarks/run.py --quick    # smaller workbooks, under a minute
    .venv/bin/python benchmarks/run.py --update-docs   # also put the figures in docs/performance.md

On the same template and the same synthetic team workbook (make_workbook.py:
N salespeople, a 销售员 column in every sheet), it measures:

1. naive: for each record, DocxTemplate(path), render with autoescape, save
   (timed over the first records: it is the slow one; the contexts are built
   beforehand and not timed, which only flatters it);
2. docgen batch WORKBOOK --split-by -j 1, from the workbook to the files on
   disk, as a command (start-up, reading and splitting included);
3. the same with -j 2;
4. the floor: the same number of .docx packages of the same size (the
   reports of run 2), zipped with zipfile (deflate) and written as docgen
   writes a file (a temporary file, fsync, rename), without any templating;
5. the peak memory (RSS) of a one-worker batch of the small and the large
   workbook, and of only reading and splitting each;
6. `docgen --help` against `python -c "import click"` (median of several).

It prints documents per second and the ratios the goals are stated in, and
writes everything as JSON (--json, default benchmarks/latest.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import make_workbook  # noqa: E402  (the generator beside this script)

GOALS = {
    "one_worker_vs_naive": 10.0,  # at least
    "one_worker_vs_floor": 0.5,  # at least
    "two_workers_vs_one": 1.7,  # at least
    "memory_large_vs_small": 1.15,  # at most
    "help_vs_import_click": 2.5,  # at most
}


def machine() -> dict:
    model = ""
    try:
        found = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        model = found.group(1).strip() if found else ""
    except OSError:
        pass
    import docx
    import docxtpl
    import jinja2
    import lxml.etree

    return {
        "nproc": os.cpu_count(),
        "cpu": model or platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "docxtpl": docxtpl.__version__,
        "python-docx": getattr(docx, "__version__", ""),
        "jinja2": jinja2.__version__,
        "lxml": ".".join(map(str, lxml.etree.LXML_VERSION)),
    }


def docgen_command() -> list[str]:
    """The installed console script beside this Python, else python -m docgen."""
    script = Path(sys.executable).with_name("docgen")
    return [str(script)] if script.exists() else [sys.executable, "-m", "docgen"]


# Runs a command and prints its peak RSS. A child forked from this benchmark, which holds hundreds of
# megabytes by then, would count them as its own until it execs; a small fresh process forks cleanly.
_PEAK_OF = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def run_measured(command: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run a command: its wall time in seconds and its peak RSS in MiB (the largest of it and its workers)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK_OF, *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    lines = done.stderr.decode(errors="replace").strip().splitlines()
    peak_kib = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    return elapsed, peak_kib / 1024, done


def batch(workbook: Path, out: Path, workers: int) -> dict:
    if out.exists():
        shutil.rmtree(out)
    command = [*docgen_command(), "batch", str(workbook), "--split-by", "销售员", "-o", str(out), "-j", str(workers), "-q"]
    seconds, peak_mib, done = run_measured(command)
    if done.returncode != 0:
        raise SystemExit(f"docgen batch failed ({done.returncode}):\n{done.stderr.decode(errors='replace')[-2000:]}")
    documents = sorted(out.glob("*.docx"))
    return {"documents": len(documents), "seconds": seconds, "docs_per_second": len(documents) / seconds,
            "peak_rss_mib": peak_mib}


def read_only_peak(workbook: Path) -> dict:
    """The peak RSS of a process that only reads and splits the workbook, as a batch does: what the input costs."""
    code = (
        "import sys; import docgen.runs.batch, docgen.runs.report, docgen.word.render, docgen.word.compiled\n"
        "from docgen.team.split import split_file\n"
        "split_file(sys.argv[1]).remove()\n"
    )
    seconds, peak_mib, done = run_measured([sys.executable, "-c", code, str(workbook)])
    if done.returncode != 0:
        raise SystemExit(done.stderr.decode(errors="replace")[-2000:])
    return {"seconds": seconds, "peak_rss_mib": peak_mib}


def reports_of(workbook: Path, count: int):
    """The first `count` records of the split workbook: (person, template path, context), as docgen makes them."""
    from docgen.runs.batch import _made_in_code
    from docgen.team.split import split_workbook
    from docgen.report.context import build_context
    from docgen.runs.report import ReportOptions, _check, resolve_settings
    from docgen.input.workbook import load_workbook

    options = _made_in_code(ReportOptions())
    records = []
    for person, model in split_workbook(load_workbook(workbook))[:count]:
        settings = resolve_settings(model)
        check, _previous = _check(model, options, settings.period, settings.level, settings.lang)
        context = build_context(model, period=settings.period, level=settings.level, lang=settings.lang,
                                today=check.today)
        records.append((person, settings.template.path, context))
    return records


def naive(records, out: Path) -> dict:
    """The obvious loop: a DocxTemplate per record, rendered with autoescape, saved."""
    from docxtpl import DocxTemplate

    from docgen.word.environment import make_environment

    out.mkdir(parents=True, exist_ok=True)
    environment = None
    try:  # plain docxtpl, as the obvious code would; docgen's filters only when the template needs them
        DocxTemplate(str(records[0][1])).render(records[0][2], autoescape=True)
    except Exception:  # noqa: BLE001
        environment = make_environment
    started = time.perf_counter()
    for number, (_person, template, context) in enumerate(records):
        document = DocxTemplate(str(template))
        if environment is None:
            document.render(context, autoescape=True)
        else:
            document.render(context, jinja_env=environment(), autoescape=True)
        document.save(str(out / f"{number}.docx"))
    seconds = time.perf_counter() - started
    return {"documents": len(records), "seconds": seconds, "docs_per_second": len(records) / seconds,
            "environment": "docxtpl's default" if environment is None else "docgen's (filters)"}


def floor(reports: list[Path], out: Path) -> dict:
    """The same packages zipped and written as docgen writes a file, with no templating at all."""
    from docgen.output.files import write_atomic

    out.mkdir(parents=True, exist_ok=True)
    contents = []
    for path in reports:
        with zipfile.ZipFile(path) as archive:
            contents.append([(name, archive.read(name)) for name in archive.namelist()])
    started = time.perf_counter()
    for number, parts in enumerate(contents):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts:
                archive.writestr(name, data)
        write_atomic(out / f"{number}.docx", buffer.getvalue(), force=True)
    seconds = time.perf_counter() - started
    sizes = [path.stat().st_size for path in reports]
    return {"documents": len(contents), "seconds": seconds, "docs_per_second": len(contents) / seconds,
            "mean_size_bytes": round(statistics.mean(sizes))}


def startup(repeats: int) -> dict:
    """Median wall times of `docgen --help` and `python -c "import click"`, run alternately."""
    help_times, click_times = [], []
    for _ in range(repeats):
        for command, times in ((docgen_command() + ["--help"], help_times),
                               ([sys.executable, "-c", "import click"], click_times)):
            started = time.perf_counter()
            done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - started)
            if done.returncode != 0:
                raise SystemExit(f"{' '.join(command)} failed")
    return {"docgen_help_seconds": statistics.median(help_times),
            "import_click_seconds": statistics.median(click_times), "repeats": repeats}


_SPIN = "total = 0\nfor number in range(20_000_000):\n    total += number * number\n"


def two_cpu_ceiling(repeats: int = 3) -> dict:
    """How much faster two processes do twice the pure-Python work of one: what two workers can hope for here."""
    def spin(processes: int) -> float:
        started = time.perf_counter()
        running = [subprocess.Popen([sys.executable, "-c", _SPIN]) for _ in range(processes)]
        for process in running:
            process.wait()
        return time.perf_counter() - started

    one = min(spin(1) for _ in range(repeats))
    two = min(spin(2) for _ in range(repeats))
    return {"one_process_seconds": round(one, 3), "two_processes_seconds": round(two, 3),
            "speedup": round(2 * one / two, 3)}


def reads_per_batch(workbook: Path, out: Path) -> int:
    """How many times a one-worker batch run in this process reads workbooks (the split one: once)."""
    import docgen.input.reader
    from docgen.runs.batch import BatchOptions, RunSettings, run_batch

    original = docgen.input.reader.open_workbook  # every read of a workbook opens it here
    calls = []

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    docgen.input.reader.open_workbook = counted
    try:
        run_batch([workbook], BatchOptions(split=True), RunSettings(output_dir=out, jobs=1, force=True))
    finally:
        docgen.input.reader.open_workbook = original
    return len(calls)


def which_path(template: Path, context: dict) -> dict:
    """Whether docgen renders this template's reports by the fast path, tried on one record here."""
    from docgen.word.library import charts_used
    from docgen.word.compiled import compile_template

    compiled = compile_template(template)
    compiled.render(context, title=context["report"]["title"], author=context["report"]["author"])
    charts = sorted(charts_used(template))
    fast = compiled.fast and not charts and compiled.fallbacks == 0
    reason = compiled.reason or (
        f"the template shows charts ({', '.join(charts)}): docxtpl adds them" if charts
        else "the record's fast render failed" if compiled.fallbacks else None
    )
    return {"template": template.name, "fast_path": fast, "why_docxtpl": reason}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small workbooks, for a check that it all runs")
    parser.add_argument("--people", type=int, help="salespeople in the large workbook (default 5000; quick 1000)")
    parser.add_argument("--small", type=int, help="salespeople in the small workbook (default 500; quick 100)")
    parser.add_argument("--naive-records", type=int, help="records the naive loop renders (default 150; quick 20)")
    parser.add_argument("--repeat", type=int, help="runs of each batch, the quicker kept (default 2; quick 1)")
    report_options(parser, HERE / "latest.json")
    args = parser.parse_args()
    large = args.people or (1000 if args.quick else 5000)
    small = args.small or (100 if args.quick else 500)
    naive_count = args.naive_records or (20 if args.quick else 150)

    run_and_report(
        args, "docgen-bench-",
        lambda work: measure(work, large, small, naive_count, repeats=5 if args.quick else 15,
                             repeat=args.repeat or (1 if args.quick else 2)),
        print_results, "figures", figures_markdown,
    )  # fmt: skip


def report_options(parser: argparse.ArgumentParser, json_default: Path) -> None:
    """The options every benchmark has: --json, --update-docs and --keep (what run_and_report reads)."""
    parser.add_argument("--json", type=Path, default=json_default, help="where the results go")
    parser.add_argument("--update-docs", action="store_true", help="put the figures in docs/performance.md")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")


def run_and_report(args, prefix: str, measure_in, print_results, docs_block: str, figures_markdown) -> None:
    """A benchmark's end, the same for each: measure in a work folder (kept with --keep, else removed), write
    the results to --json, print them, and with --update-docs put the figures in docs/performance.md's block."""
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix=prefix))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = measure_in(work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print_results(results)
    print(f"\nwrote {args.json}")
    if args.update_docs:
        put_figures(docs_block, figures_markdown(results))


def quicker(best: dict | None, run: dict) -> dict:
    """The quicker of two runs of the same batch; the peak memory is the larger of the two."""
    if best is None:
        return {**run, "runs": [round(run["seconds"], 2)]}
    chosen = best if best["seconds"] <= run["seconds"] else run
    return {**chosen, "runs": [*best["runs"], round(run["seconds"], 2)],
            "peak_rss_mib": max(best["peak_rss_mib"], run["peak_rss_mib"])}


def measure(work: Path, large: int, small: int, naive_count: int, repeats: int, repeat: int) -> dict:
    def step(text: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)

    load_at_start = os.getloadavg()[0]
    step(f"writing the workbooks ({small} and {large} salespeople)")
    workbooks = {}
    for count in (small, large):
        workbooks[count] = work / f"team-{count}.xlsx"
        make_workbook.write_xlsx(make_workbook.build(count), workbooks[count])

    step(f"naive docxtpl loop over the first {naive_count} records")
    records = reports_of(workbooks[large], naive_count)
    path = which_path(records[0][1], records[0][2])
    naive_result = naive(records, work / "naive")
    # The runs alternate and the quicker of each is kept: other work on the machine only ever slows a run down.
    one = two = None
    for attempt in range(1, repeat + 1):
        step(f"docgen batch -j 1 over {large} records ({attempt} of {repeat})")
        one = quicker(one, batch(workbooks[large], work / "one", 1))
        step(f"docgen batch -j 2 over {large} records ({attempt} of {repeat})")
        two = quicker(two, batch(workbooks[large], work / "two", 2))
    reports = sorted((work / "one").glob("*.docx"))
    step(f"the floor: {len(reports)} packages zipped and written")
    floor_result = floor(reports, work / "floor")
    step(f"memory: docgen batch -j 1 over {small} records, and reading alone")
    small_batch = batch(workbooks[small], work / "small", 1)
    memory = {
        "small_records": small,
        "large_records": large,
        "small_batch_peak_rss_mib": small_batch["peak_rss_mib"],
        "large_batch_peak_rss_mib": one["peak_rss_mib"],
        "small_read_peak_rss_mib": read_only_peak(workbooks[small])["peak_rss_mib"],
        "large_read_peak_rss_mib": read_only_peak(workbooks[large])["peak_rss_mib"],
    }
    step("reads per batch, and start-up")
    reads = reads_per_batch(workbooks[small], work / "counted")
    start = startup(repeats)
    step("what two CPUs give pure Python work here")
    ceiling = two_cpu_ceiling()

    ratios = {
        "one_worker_vs_naive": one["docs_per_second"] / naive_result["docs_per_second"],
        "one_worker_vs_floor": one["docs_per_second"] / floor_result["docs_per_second"],
        "two_workers_vs_one": two["docs_per_second"] / one["docs_per_second"],
        "memory_large_vs_small": memory["large_batch_peak_rss_mib"] / memory["small_batch_peak_rss_mib"],
        "help_vs_import_click": start["docgen_help_seconds"] / start["import_click_seconds"],
    }
    met = {
        name: (ratios[name] <= goal if name in ("memory_large_vs_small", "help_vs_import_click") else ratios[name] >= goal)
        for name, goal in GOALS.items()
    }
    met["workbook_read_once"] = reads == 1
    return {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
        # Other work on the machine during the run (1-minute load average at the start and at the end).
        "load_average": [round(load_at_start, 2), round(os.getloadavg()[0], 2)],
        "render_path": path,
        "naive": naive_result,
        "one_worker": one,
        "two_workers": two,
        "floor": floor_result,
        "memory": memory,
        "startup": start,
        "workbook_reads_per_batch": reads,
        "two_cpu_ceiling": ceiling,
        "ratios": {name: round(value, 3) for name, value in ratios.items()},
        "goals": GOALS,
        "met": met,
    }


def print_results(results: dict) -> None:
    m = results["machine"]
    print(f"\n{m['cpu']}, {m['nproc']} CPUs, Python {m['python']}, docxtpl {m['docxtpl']}; "
          f"load average {results['load_average'][0]} at the start, {results['load_average'][1]} at the end")
    path = results["render_path"]
    print(f"template {path['template']}: " + ("fast path" if path["fast_path"] else f"docxtpl ({path['why_docxtpl']})"))
    print(f"\n{'':28}{'documents':>10}{'seconds':>10}{'docs/s':>10}")
    for label, key in (("naive docxtpl loop", "naive"), ("docgen batch -j 1", "one_worker"),
                       ("docgen batch -j 2", "two_workers"), ("floor (zip + write)", "floor")):
        row = results[key]
        print(f"{label:28}{row['documents']:>10}{row['seconds']:>10.2f}{row['docs_per_second']:>10.1f}")
    mem = results["memory"]
    print(f"\npeak RSS, batch -j 1: {mem['small_records']} records {mem['small_batch_peak_rss_mib']:.0f} MiB, "
          f"{mem['large_records']} records {mem['large_batch_peak_rss_mib']:.0f} MiB")
    print(f"peak RSS, reading and splitting only: {mem['small_read_peak_rss_mib']:.0f} MiB, "
          f"{mem['large_read_peak_rss_mib']:.0f} MiB")
    start = results["startup"]
    print(f"docgen --help {start['docgen_help_seconds'] * 1000:.0f} ms, import click "
          f"{start['import_click_seconds'] * 1000:.0f} ms; workbook reads per batch: {results['workbook_reads_per_batch']}")
    ceiling = results["two_cpu_ceiling"]
    print(f"two processes do twice the pure-Python work of one {ceiling['speedup']:.2f}× as fast on this machine")
    print("\ngoal                          ratio     goal  met")
    for name, goal in GOALS.items():
        sign = "≤" if name in ("memory_large_vs_small", "help_vs_import_click") else "≥"
        print(f"{name:28}{results['ratios'][name]:>7.2f}{sign:>4}{goal:>5}  {'yes' if results['met'][name] else 'NO'}")
    print(f"{'workbook_read_once':28}{results['workbook_reads_per_batch']:>7}{'=':>4}{1:>5}  "
          f"{'yes' if results['met']['workbook_read_once'] else 'NO'}")


def figures_markdown(results: dict) -> str:
    m, mem, start, r, met = results["machine"], results["memory"], results["startup"], results["ratios"], results["met"]
    path = results["render_path"]

    def yes(name: str) -> str:
        return "met" if met[name] else "**not met**"

    rows = [
        f"Measured {results['when']} on {m['cpu']}, {m['nproc']} CPUs, {m['system']}, Python {m['python']} "
        f"(docxtpl {m['docxtpl']}, python-docx {m['python-docx']}, Jinja2 {m['jinja2']}, lxml {m['lxml']}); "
        f"load average {results['load_average'][0]} at the start and {results['load_average'][1]} at the end. "
        f"Template {path['template']}, "
        + ("rendered by the fast path." if path["fast_path"] else f"rendered by docxtpl: {path['why_docxtpl']}."),
        "",
        "| run | documents | seconds | documents/s |",
        "|---|---:|---:|---:|",
    ]
    for label, key in (("naive docxtpl loop (first records)", "naive"), ("docgen batch -j 1", "one_worker"),
                       ("docgen batch -j 2", "two_workers"), ("floor: zip and write only", "floor")):
        row = results[key]
        runs = f" (runs: {', '.join(map(str, row['runs']))} s)" if len(row.get("runs", [])) > 1 else ""
        rows.append(f"| {label} | {row['documents']} | {row['seconds']:.2f}{runs} | {row['docs_per_second']:.1f} |")
    rows += [
        "",
        "| goal | measured | target | |",
        "|---|---:|---:|---|",
        f"| batch -j 1 ÷ naive (docs/s) | {r['one_worker_vs_naive']:.1f}× | ≥ 10× | {yes('one_worker_vs_naive')} |",
        f"| batch -j 1 ÷ floor (docs/s) | {r['one_worker_vs_floor']:.2f} | ≥ 0.5 | {yes('one_worker_vs_floor')} |",
        f"| batch -j 2 ÷ batch -j 1 (docs/s) | {r['two_workers_vs_one']:.2f}× | ≥ 1.7× | {yes('two_workers_vs_one')} |",
        f"| peak RSS, {mem['large_records']} ÷ {mem['small_records']} records | {r['memory_large_vs_small']:.2f} "
        f"({mem['large_batch_peak_rss_mib']:.0f} / {mem['small_batch_peak_rss_mib']:.0f} MiB) | ≤ 1.15 "
        f"| {yes('memory_large_vs_small')} |",
        f"| `docgen --help` ÷ `import click` | {r['help_vs_import_click']:.2f}× "
        f"({start['docgen_help_seconds'] * 1000:.0f} / {start['import_click_seconds'] * 1000:.0f} ms) | ≤ 2.5× "
        f"| {yes('help_vs_import_click')} |",
        f"| workbook reads per split batch | {results['workbook_reads_per_batch']} | 1 | {yes('workbook_read_once')} |",
        "",
        f"Reading and splitting alone peak at {mem['small_read_peak_rss_mib']:.0f} MiB ({mem['small_records']} "
        f"people) and {mem['large_read_peak_rss_mib']:.0f} MiB ({mem['large_records']} people). "
        f"On this machine two processes do twice the pure-Python work of one "
        f"{results['two_cpu_ceiling']['speedup']:.2f}× as fast: a guide to what two workers can gain (a batch also waits for the disk, which two workers overlap, so it can do a little better).",
    ]
    return "\n".join(rows)


def put_figures(block: str, markdown: str) -> None:
    """Put markdown in docs/performance.md between its `<!-- BLOCK:start -->` and `<!-- BLOCK:end -->` lines."""
    docs = ROOT / "docs" / "performance.md"
    text = docs.read_text(encoding="utf-8")
    start, end = f"<!-- {block}:start -->", f"<!-- {block}:end -->"
    if start not in text or end not in text:
        raise SystemExit(f"{docs} has no {start} … {end} block")
    before, _, rest = text.partition(start)
    _, _, after = rest.partition(end)
    docs.write_text(f"{before}{start}\n{markdown}\n{end}{after}", encoding="utf-8")
    print(f"updated {docs}")


if __name__ == "__main__":
    main()
