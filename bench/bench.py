#!/usr/bin/env python3
"""Benchmark of korpsmonitor, run on demand (never in the tests).

Measures, on this machine, in one run:
  - wall time, CPU time and peak memory of `korpsmonitor build data/2010`
    (all documents) as a fresh process;
  - the same for the Typst CLI compiling the report source that
    `--emit-typst` wrote (installed with cargo into bench/.cache/typst);
  - the time per stage (`build --timings`);
  - watch mode: from saving one changed finding to the new PDF on disk;
  - synthetic editions of 100, 1,000 and 5,000 units (`korpsmonitor generate`);
and writes the results, with machine, date and commit, to docs/PERFORMANCE.md.

Usage: python3 bench/bench.py [--runs N] [--no-typst-cli]
"""

import argparse
import datetime
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
EXE = ROOT / "target" / "release" / "korpsmonitor"
TYPST = CACHE / "typst" / "bin" / "typst"
TYPST_VERSION = "0.15.1"


def measure(cmd, cwd, runs):
    """Median wall and CPU seconds and the largest peak RSS (MiB) of `runs` fresh processes."""
    walls, cpus, rss = [], [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, err = proc.communicate()
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            sys.exit(f"{' '.join(map(str, cmd))} failed:\n{err.decode()}")
        walls.append(wall)
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
        rss.append(after.ru_maxrss / 1024)
    return statistics.median(walls), statistics.median(cpus), max(rss)


def peak_rss(cmd, cwd):
    """Peak RSS (MiB) of one run, measured in a fresh helper process so that
    earlier, larger children do not mask it."""
    code = (
        "import resource,subprocess,sys;"
        "p=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024);"
        "sys.exit(p.returncode)"
    )
    out = subprocess.run([sys.executable, "-c", code, *map(str, cmd)], cwd=cwd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{cmd} failed")
    return float(out.stdout.strip())


def machine():
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
                break
    except OSError:
        pass
    return f"{platform.machine()}, {os.cpu_count()} cores ({cpu}), {mem}, {platform.system()} {platform.release()}"


def watch_latency(work, runs):
    """Milliseconds from writing a changed finding to the new report on disk."""
    edition = work / "data" / "2010"
    unit = edition / "units" / "utrecht.yaml"
    pdf = work / "out" / "2010" / "korpsmonitor-2010.pdf"
    proc = subprocess.Popen(
        [EXE, "watch", "data/2010", "--output", "out", "--only", "report"],
        cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = proc.stderr.readline()
        while line and "[start]" not in line:
            line = proc.stderr.readline()
        results = []
        text = unit.read_text()
        for i in range(runs):
            before = pdf.stat().st_mtime_ns
            changed = text.replace("toezicht", f"toezicht{' ' * (i + 1)}x", 1)
            start = time.perf_counter()
            unit.write_text(changed)
            while pdf.stat().st_mtime_ns == before:
                if time.perf_counter() - start > 30:
                    sys.exit("watch did not rebuild within 30 s")
                time.sleep(0.002)
            results.append((time.perf_counter() - start) * 1000)
            proc.stderr.readline()
            time.sleep(0.3)
        unit.write_text(text)
        return statistics.median(results)
    finally:
        proc.terminate()
        proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-typst-cli", action="store_true")
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    if not args.no_typst_cli and not TYPST.exists():
        subprocess.run(
            ["cargo", "install", "typst-cli", "--version", TYPST_VERSION, "--locked",
             "--root", str(CACHE / "typst")],
            check=True,
        )
    work = Path(tempfile.mkdtemp(prefix="korpsmonitor-bench-"))
    shutil.copytree(ROOT / "data", work / "data")
    rows = {}

    # 1. The full 2010 build as a fresh process.
    build = [EXE, "build", "data/2010", "--output", "out"]
    wall, cpu, _ = measure(build, work, args.runs)
    rows["full"] = (wall, cpu, peak_rss(build, work))
    report = [EXE, "build", "data/2010", "--output", "out", "--only", "report", "--emit-typst", "typ"]
    wall, cpu, _ = measure(report, work, args.runs)
    rows["report"] = (wall, cpu, peak_rss(report, work))

    # 2. The Typst CLI on the emitted report source.
    typst_row = None
    if not args.no_typst_cli:
        cmd = [TYPST, "compile", "--ignore-system-fonts", "--font-path", ROOT / "fonts",
               "--pdf-standard", "a-2a", "--pdf-standard", "ua-1",
               "typ/report.typ", "typ/report.pdf"]
        wall, cpu, _ = measure(cmd, work, args.runs)
        typst_row = (wall, cpu, peak_rss(cmd, work))

    # 3. Time per stage.
    out = subprocess.run(build + ["--timings"], cwd=work, capture_output=True, text=True)
    stages = "\n".join(l for l in out.stderr.splitlines() if re.search(r"ms$", l))

    # 4. Watch.
    latency = watch_latency(work, args.runs)

    # 5. Scale.
    scale = []
    for n in (100, 1000, 5000):
        d = f"syn{n}"
        subprocess.run([EXE, "generate", d, "--units", str(n)], cwd=work, check=True, stdout=subprocess.DEVNULL)
        cmd = [EXE, "build", d, "--output", f"out-{n}", "--only", "report"]
        wall, cpu, _ = measure(cmd, work, 1 if n >= 1000 else args.runs)
        scale.append((n, wall, cpu, peak_rss(cmd, work)))

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    today = datetime.date.today().isoformat()
    lines = [
        "# Performance",
        "",
        "Measured with `python3 bench/bench.py` (median of "
        f"{args.runs} runs unless noted; release build; every build a fresh process).",
        "",
        f"- Date: {today}",
        f"- Commit: {commit}",
        f"- Machine: {machine()}",
        "",
        "## The 2010 edition",
        "",
        "| what | wall | CPU | peak memory |",
        "|---|---|---|---|",
        "| `build data/2010` (report, covering letter, 15 letters) | {:.3f} s | {:.3f} s | {:.0f} MiB |".format(*rows["full"]),
        "| `build data/2010 --only report` | {:.3f} s | {:.3f} s | {:.0f} MiB |".format(*rows["report"]),
    ]
    if typst_row:
        lines.append("| Typst CLI {} on the emitted report source | {:.3f} s | {:.3f} s | {:.0f} MiB |".format(TYPST_VERSION, *typst_row))
        lines += ["", f"Report alone, ours / Typst CLI: {rows['report'][0] / typst_row[0]:.2f} (wall time)."]
    lines += [
        "",
        "## Time per stage (`build data/2010 --timings`)",
        "",
        "Typesetting and export are summed over the 17 documents, which run on both cores.",
        "",
        "```",
        stages,
        "```",
        "",
        "## Watch",
        "",
        f"From saving one changed finding to the new report on disk: {latency:.0f} ms (median).",
        "",
        "## Scale (synthetic editions, report only)",
        "",
        "| units | wall | CPU | per unit | peak memory |",
        "|---|---|---|---|---|",
    ]
    for n, wall, cpu, rss in scale:
        lines.append(f"| {n:,} | {wall:.2f} s | {cpu:.2f} s | {wall / n * 1000:.2f} ms | {rss:.0f} MiB |")
    base = scale[0][1] / scale[0][0]
    lines += ["", "Time per unit relative to 100 units: " + ", ".join(
        f"{n:,}: {wall / n / base:.2f}x" for n, wall, _, _ in scale) + "."]
    text = "\n".join(lines) + "\n"
    # Keep the hand-written assessment below the marker across runs.
    target = ROOT / "docs" / "PERFORMANCE.md"
    marker = "<!-- notes: kept by bench.py -->"
    old = target.read_text() if target.exists() else ""
    notes = old[old.index(marker):] if marker in old else marker + "\n"
    target.write_text(text + "\n" + notes)
    print(text)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
