"""The cluster benchmark: a batch with PDFs on a 2-worker Dask LocalCluster against the local pool's 2 workers.

    .venv/bin/python benchmarks/cluster.py                 # 500 reports, about 6 minutes on 2 cores
    .venv/bin/python benchmarks/cluster.py --people 50     # fewer
    .venv/bin/python benchmarks/cluster.py --update-docs   # also put the figures in docs/performance.md

On the synthetic team workbook (make_workbook.py N) it runs, as commands,
from start-up to the last PDF on disk:

1. local: docgen batch WORKBOOK --split-by 销售员 --pdf -j 2 -q;
2. cluster: the same with --scheduler ADDRESS instead of -j 2, on a
   distributed.LocalCluster of 2 worker processes with one thread each, on
   the loopback address (the scheduler in this script's process). The
   cluster is started before the command is timed (it is an existing
   cluster), and afresh for each run, so that no run finds the LibreOffices a
   run before it left warm in the workers.

The two alternate and each runs twice (--repeat); the quicker of each is
kept, since other work on the machine only ever slows a run down. Each
worker of either keeps one LibreOffice for all its PDFs. The ratio is of the
wall times: cluster ÷ local, goal at most 1.3. The results go to
benchmarks/cluster-latest.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import make_workbook  # noqa: E402  (the generator beside this script)
from run import docgen_command, machine, report_options, run_and_report  # noqa: E402

GOAL = 1.3  # cluster ÷ local wall time, at most


def batch(workbook: Path, out: Path, *where: str) -> dict:
    if out.exists():
        shutil.rmtree(out)
    command = [*docgen_command(), "batch", str(workbook), "--split-by", "销售员", "-o", str(out), "--pdf", "-q", *where]
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"docgen batch failed ({done.returncode}):\n{done.stderr.decode(errors='replace')[-2000:]}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["records"]
    pdfs = sum(record["pdf_status"] == "ok" for record in manifest)
    if pdfs != len(manifest):
        raise SystemExit(f"{len(manifest) - pdfs} of {len(manifest)} PDFs failed in {out}")
    return {"documents": len(manifest), "pdfs": pdfs, "seconds": seconds, "pdfs_per_second": pdfs / seconds}


def on_cluster(workbook: Path, out: Path) -> dict:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=":0") as cluster:
        return batch(workbook, out, "--scheduler", cluster.scheduler_address)


def quicker(best: dict | None, run: dict) -> dict:
    if best is None:
        return {**run, "runs": [round(run["seconds"], 1)]}
    chosen = best if best["seconds"] <= run["seconds"] else run
    return {**chosen, "runs": [*best["runs"], round(run["seconds"], 1)]}


def measure(work: Path, people: int, repeat: int) -> dict:
    def step(text: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)

    import distributed

    load_at_start = os.getloadavg()[0]
    workbook = work / f"team-{people}.xlsx"
    make_workbook.write_xlsx(make_workbook.build(people), workbook)
    local = cluster = None
    for attempt in range(1, repeat + 1):
        step(f"docgen batch --pdf -j 2 over {people} people ({attempt} of {repeat})")
        local = quicker(local, batch(workbook, work / "local", "-j", "2"))
        step(f"docgen batch --pdf on a 2-worker LocalCluster over {people} people ({attempt} of {repeat})")
        cluster = quicker(cluster, on_cluster(workbook, work / "cluster"))
    soffice = shutil.which("soffice") or ""
    version = subprocess.run([soffice, "--version"], capture_output=True, text=True).stdout.strip() if soffice else ""
    ratio = cluster["seconds"] / local["seconds"]
    return {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {**machine(), "libreoffice": version, "distributed": distributed.__version__},
        "load_average": [round(load_at_start, 2), round(os.getloadavg()[0], 2)],
        "people": people,
        "local": local,
        "cluster": cluster,
        "ratio": round(ratio, 3),
        "goal": GOAL,
        "met": ratio <= GOAL,
    }


def print_results(results: dict) -> None:
    m = results["machine"]
    print(f"\n{m['cpu']}, {m['nproc']} CPUs, {m['libreoffice']}, distributed {m['distributed']}; "
          f"load average {results['load_average'][0]} at the start, {results['load_average'][1]} at the end")
    for label, key in (("local pool, -j 2", "local"), ("LocalCluster, 2 workers", "cluster")):
        row = results[key]
        print(f"{label:26}{row['pdfs']:>6} PDFs {row['seconds']:>8.1f} s {row['pdfs_per_second']:>6.2f}/s  "
              f"(runs: {', '.join(map(str, row['runs']))} s)")
    print(f"\ncluster ÷ local: {results['ratio']:.2f} (goal ≤ {GOAL}): {'met' if results['met'] else 'NOT met'}")


def figures_markdown(results: dict) -> str:
    m, local, cluster = results["machine"], results["local"], results["cluster"]
    return "\n".join([
        f"Measured {results['when']} on {m['cpu']}, {m['nproc']} CPUs, {m['system']}, Python {m['python']}, "
        f"{m['libreoffice']}, distributed {m['distributed']}; load average {results['load_average'][0]} at the "
        f"start and {results['load_average'][1]} at the end. {results['people']} split reports, each with its PDF.",
        "",
        "| run | PDFs | seconds | PDFs/s |",
        "|---|---:|---:|---:|",
        f"| local pool, `-j 2` | {local['pdfs']} | {local['seconds']:.1f} (runs: "
        f"{', '.join(map(str, local['runs']))} s) | {local['pdfs_per_second']:.2f} |",
        f"| LocalCluster, 2 workers, `--scheduler` | {cluster['pdfs']} | {cluster['seconds']:.1f} (runs: "
        f"{', '.join(map(str, cluster['runs']))} s) | {cluster['pdfs_per_second']:.2f} |",
        "",
        f"Cluster ÷ local pool, wall time: **{results['ratio']:.2f}** (goal ≤ {GOAL}): "
        + ("met." if results["met"] else "**not met**."),
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=500, help="salespeople, one report and PDF each (default 500)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each, the quicker kept (default 2)")
    report_options(parser, HERE / "cluster-latest.json")
    args = parser.parse_args()
    run_and_report(args, "docgen-cluster-bench-", lambda work: measure(work, args.people, args.repeat), print_results, "cluster-figures", figures_markdown)


if __name__ == "__main__":
    main()
