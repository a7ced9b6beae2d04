#!/usr/bin/env python3
"""Benchmark of korpsmonitor, run on demand (never in the tests).

Measures, on this machine, in one run:
  - wall time, CPU time and peak memory of `korpsmonitor build data/2010`
    (all documents) as a fresh process;
  - the same for the Typst CLI (installed with cargo into
    bench/.cache/typst) compiling the frozen baseline, bench/baseline/
    (the 2010 report as commit 17e3591 emitted it, 58 pages), and the
    report source that `--emit-typst` writes now; its runs interleaved
    with ours so that drift of the machine hits both;
  - how many layout iterations the report took;
  - the time per stage (`build --timings`);
  - watch mode: from saving one changed finding to the new PDF on disk;
  - synthetic editions of 100, 1,000 and 5,000 units (`korpsmonitor
    generate --previous --letters`), each in a git repository with a few
    findings changed since its commit: the full build (report with the
    comparison with the previous edition, covering letter, a letter to
    every unit not conform norm, and the changes annex of
    `--changes-since HEAD`), and the report alone beside the Typst CLI on
    the same emitted source;
and writes the results, the targets met or missed, the machine, date and
commit to docs/PERFORMANCE.md. Hand-written notes below the marker line in
that file are kept.

Usage: python3 bench/bench.py [--runs N] [--sizes 100,1000,5000] [--no-typst-cli] [--debug]

`--debug` times the debug build (target/debug) instead, to try the script
out quickly; it does not write docs/PERFORMANCE.md.
"""

import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
EXE = TARGET / "release" / "korpsmonitor"
# Findings changed after the commit, for the changes annex of the scale runs.
CHANGED_UNITS = 3
TYPST = CACHE / "typst" / "bin" / "typst"
# The frozen baseline: the 2010 report's Typst source as `build data/2010
# --only report --emit-typst` wrote it at commit 17e3591 (bench/baseline/
# README.md). The full 2010 build is held to at most BASELINE_SHARE of the
# time the Typst CLI takes to compile it.
BASELINE = ROOT / "bench" / "baseline"
BASELINE_SHARE = 0.6
# Medians of fewer fresh processes are not taken as a result.
MIN_RUNS = 9
TYPST_VERSION = "0.15.1"
MARKER = "<!-- notes: kept by bench.py -->"


def run_once(cmd, cwd):
    """Wall seconds, CPU seconds, peak RSS (MiB) and stderr of one fresh process."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
        if proc.returncode != 0:
            sys.exit(f"{' '.join(map(str, cmd))} failed:\n{stderr}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stderr


def measure(cmds, cwd, runs):
    """Runs every command of `cmds` (name -> argv) `runs` times, interleaved;
    returns name -> (median wall, median CPU, median peak MiB, stderr of the
    last run)."""
    samples = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            samples[name].append(run_once(cmd, cwd))
    return {
        name: tuple(statistics.median(s[i] for s in runs_) for i in range(3)) + (runs_[-1][3],)
        for name, runs_ in samples.items()
    }


def git(args, cwd):
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", *args],
        cwd=cwd, check=True, stdout=subprocess.DEVNULL,
    )


def synthetic_repo(work, n):
    """A git repository in `work` holding `syn`, a synthetic edition of `n`
    units with its previous edition (`syn-previous`) and letter.yaml,
    committed, and then CHANGED_UNITS findings changed in the work tree, so
    that `build syn --changes-since HEAD` has an annex to write."""
    repo = work / f"repo{n}"
    repo.mkdir()
    subprocess.run([EXE, "generate", "syn", "--units", str(n), "--previous", "--letters"],
                   cwd=repo, check=True, stdout=subprocess.DEVNULL)
    git(["init", "-q"], repo)
    git(["add", "-A"], repo)
    git(["commit", "-q", "-m", "synthetic edition"], repo)
    for k in range(CHANGED_UNITS):
        unit = repo / "syn" / "units" / f"e{1 + k * n // CHANGED_UNITS:05}.yaml"
        text = unit.read_text()
        if "findings: " not in text:
            sys.exit(f"{unit} has no findings to change")
        unit.write_text(text.replace("findings: ", "findings: Gewijzigd na de vastlegging. ", 1))
    return repo


STAGE = re.compile(r"^(\S.*?)\s+([\d.]+) ms$")
ITERATIONS = re.compile(r"^\s+(\S+)\s.* (\d+) layout iterations?$")


def iterations(stderr):
    """The layout iterations of each document in `build --timings`:
    file name -> count."""
    return {m.group(1): int(m.group(2)) for m in map(ITERATIONS.match, stderr.splitlines()) if m}


def stage_times(stderr):
    """The stage lines of `build --timings` (not the per-document ones):
    name -> milliseconds."""
    return {m.group(1): float(m.group(2)) for m in map(STAGE.match, stderr.splitlines()) if m}


def typst_cmd(source):
    src = Path(source)
    return [TYPST, "compile", "--ignore-system-fonts", "--font-path", ROOT / "fonts",
            "--pdf-standard", "a-2a", "--pdf-standard", "ua-1",
            src, src.with_suffix(".pdf")]


def iteration_summary(counted):
    """The report's and the covering letter's layout iterations by name, then
    those of the manager letters together."""
    main = [f"{name} {n}" for name, n in counted.items() if name.startswith(("korpsmonitor", "aanbieding"))]
    letters = sorted({n for name, n in counted.items() if not name.startswith(("korpsmonitor", "aanbieding"))})
    if letters:
        main.append("each manager letter " + " or ".join(map(str, letters)))
    return ", ".join(main)


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
    """Median milliseconds from writing a changed finding to the new report on disk."""
    edition = work / "data" / "2010"
    unit = edition / "units" / "utrecht.yaml"
    pdf = work / "out-watch" / "2010" / "korpsmonitor-2010.pdf"
    proc = subprocess.Popen(
        [EXE, "watch", "data/2010", "--output", "out-watch", "--only", "report"],
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
            changed = text.replace("findings: ", f"findings: Gemeten{i}x ", 1)
            if changed == text:
                sys.exit("utrecht.yaml has no findings to change")
            start = time.perf_counter()
            unit.write_text(changed)
            while pdf.stat().st_mtime_ns == before:
                if time.perf_counter() - start > 30:
                    sys.exit("watch did not rebuild within 30 s")
                time.sleep(0.001)
            results.append((time.perf_counter() - start) * 1000)
            proc.stderr.readline()
            time.sleep(0.3)
        unit.write_text(text)
        return statistics.median(results)
    finally:
        proc.terminate()
        proc.wait()


def verdict(ok, detail):
    return f"{'met' if ok else '**missed**'} ({detail})"


def main():
    global EXE
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=11, help="runs of each 2010 measurement")
    ap.add_argument("--sizes", default="100,1000,5000", help="synthetic edition sizes")
    ap.add_argument("--no-typst-cli", action="store_true")
    ap.add_argument("--debug", action="store_true",
                    help="time the debug build, to try the script; writes no docs/PERFORMANCE.md")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    typst = not args.no_typst_cli

    if args.debug:
        EXE = TARGET / "debug" / "korpsmonitor"
        subprocess.run(["cargo", "build", "--quiet"], cwd=ROOT, check=True)
    else:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    if typst and not TYPST.exists():
        subprocess.run(
            ["cargo", "install", "typst-cli", "--version", TYPST_VERSION, "--locked",
             "--root", str(CACHE / "typst")],
            check=True,
        )
    work = Path(tempfile.mkdtemp(prefix="korpsmonitor-bench-"))
    shutil.copytree(ROOT / "data", work / "data")
    shutil.copytree(BASELINE, work / "baseline")

    # 1. The 2010 edition as fresh processes; the report beside the Typst CLI
    #    on the source that --emit-typst writes (emitting is not timed).
    full = [EXE, "build", "data/2010", "--output", "out"]
    report = [EXE, "build", "data/2010", "--output", "out", "--only", "report"]
    subprocess.run(report + ["--emit-typst", "typ"], cwd=work, check=True, stdout=subprocess.DEVNULL)
    cmds = {"full": full, "report": report}
    if typst:
        cmds["typst"] = typst_cmd("typ/report.typ")
        cmds["baseline"] = typst_cmd("baseline/report.typ")
    run_once(full, work)  # warm the page cache
    if typst:
        run_once(cmds["baseline"], work)
    r2010 = measure(cmds, work, args.runs)

    # 2. Time per stage, and the report's layout iterations.
    out = subprocess.run(full + ["--timings"], cwd=work, capture_output=True, text=True)
    stages = "\n".join(l for l in out.stderr.splitlines() if re.search(r"ms$", l))
    # Counting iterations turns on Typst's timing records: a run of its own.
    out = subprocess.run(full + ["--timings", "--iterations"], cwd=work, capture_output=True, text=True)
    counted = iterations(out.stderr)
    report_iterations = counted.get("korpsmonitor-2010.pdf")

    # 3. Watch.
    latency = watch_latency(work, args.runs * 2 + 1)

    # 4. Scale: everything on (previous edition, letters, changes annex),
    #    with stage times; and the report alone, ours beside the Typst CLI
    #    on the same source.
    scale = []
    for n in sizes:
        repo = synthetic_repo(work, n)
        full_n = [EXE, "build", "syn", "--output", "out", "--changes-since", "HEAD", "--timings"]
        report_n = [EXE, "build", "syn", "--output", "out-report", "--only", "report"]
        cmds = {"full": full_n}
        if typst:
            subprocess.run(report_n + ["--emit-typst", "typ"], cwd=repo, check=True,
                           stdout=subprocess.DEVNULL)
            cmds["report"] = report_n
            cmds["typst"] = typst_cmd("typ/report.typ")
        # Peak memory varies from run to run with thread scheduling: more
        # runs where they are cheap.
        runs = 5 if n <= 100 else (3 if n <= 1000 else 1)
        m = measure(cmds, repo, runs)
        out_year = repo / "out" / "2099"
        letters = len(list((out_year / "brieven").glob("*.pdf")))
        report_text = ""
        if shutil.which("pdftotext"):
            report_text = subprocess.run(
                ["pdftotext", str(out_year / "korpsmonitor-2099.pdf"), "-"],
                capture_output=True, text=True).stdout
        scale.append((n, runs, letters, m, stage_times(m["full"][3]), report_text))
        shutil.rmtree(repo, ignore_errors=True)

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    if dirty:
        commit += " (with uncommitted changes)"
    today = datetime.date.today().isoformat()
    row = "| {} | {:.3f} s | {:.3f} s | {:.0f} MiB |"
    lines = [
        "# Performance",
        "",
        "Measured with `python3 bench/bench.py`: release build, every build a fresh",
        f"process, median of {args.runs} runs unless noted"
        + ("; our runs and the Typst CLI's interleaved." if typst else " (without the Typst CLI).")
        + " Peak memory is the maximum resident set size of the process.",
        "",
        f"- Date: {today}",
        f"- Commit: {commit}",
        f"- Machine: {machine()}",
    ]
    if typst:
        lines.append(f"- Typst CLI: {TYPST_VERSION}, `typst compile --ignore-system-fonts --font-path fonts --pdf-standard a-2a --pdf-standard ua-1`")
    lines += [
        "",
        "## The 2010 edition",
        "",
        "| what | wall | CPU | peak memory |",
        "|---|---|---|---|",
        row.format("`build data/2010` (report, covering letter, 15 letters, web edition)", *r2010["full"][:3]),
        row.format("`build data/2010 --only report`", *r2010["report"][:3]),
    ]
    if typst:
        lines.append(row.format(f"Typst CLI {TYPST_VERSION} on the emitted report source", *r2010["typst"][:3]))
        lines.append(row.format(f"Typst CLI {TYPST_VERSION} on the frozen baseline (bench/baseline, 58 pages)", *r2010["baseline"][:3]))
        ratio = r2010["full"][0] / r2010["baseline"][0]
        lines += [
            "",
            f"The full build takes {ratio:.2f} of the time the Typst CLI needs for the frozen baseline "
            f"(target: at most {BASELINE_SHARE}).",
        ]
    lines += [
        "",
        "## Time per stage (`build data/2010 --timings`, one run)",
        "",
        "Typesetting and export are summed over the 17 documents, which run on both cores.",
        "",
        "```",
        stages,
        "```",
        "",
        "Layout iterations (Typst's passes over a document until its page numbers and",
        "positions settled; `build data/2010 --timings --iterations`, a run of its own, as",
        "counting turns on Typst's timing records): " + iteration_summary(counted) + ".",
        "",
        "## Watch",
        "",
        f"From saving one changed finding to the new report on disk: {latency:.0f} ms "
        f"(median of {args.runs * 2 + 1}; `watch data/2010 --only report`).",
        "",
        "## Scale (synthetic editions, everything on)",
        "",
        "`generate --units N --previous --letters`, committed to a git repository, then",
        f"{CHANGED_UNITS} findings changed; timed: `build syn --changes-since HEAD` (the report",
        "with the comparison with the previous edition and the changes annex, the covering",
        "letter, a letter to every unit not conform norm and the web edition).",
        "",
        "| units | letters | runs | wall | CPU | per unit | per unit vs first | peak memory |",
        "|---|---|---|---|---|---|---|---|",
    ]
    base = scale[0][3]["full"][0] / scale[0][0]
    for n, runs, letters, m, _, _ in scale:
        wall, cpu, rss, _ = m["full"]
        lines.append(
            f"| {n:,} | {letters:,} | {runs} | {wall:.2f} s | {cpu:.2f} s | "
            f"{wall / n * 1000:.2f} ms | {wall / n / base:.2f}x | {rss:.0f} MiB |"
        )
    names = [k for k in scale[0][4]]
    lines += [
        "",
        "Stage times of the full build (`--timings`, the last run), per unit:",
        "",
        "| stage | " + " | ".join(f"{n:,} units" for n, *_ in scale) + " |",
        "|---|" + "---|" * len(scale),
    ]
    for name in names:
        cells = []
        for n, _, _, _, st, _ in scale:
            ms = st.get(name)
            cells.append("-" if ms is None else f"{ms:,.0f} ms ({ms / n * 1000:.0f} µs/unit)")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    if typst:
        lines += [
            "",
            "The report alone (`--only report`), ours and the Typst CLI on the source that",
            "`--emit-typst` wrote for it:",
            "",
            "| units | wall | per unit | peak memory | Typst CLI wall | Typst CLI peak |",
            "|---|---|---|---|---|---|",
        ]
        for n, _, _, m, _, _ in scale:
            wall, _, rss, _ = m["report"]
            lines.append(
                f"| {n:,} | {wall:.2f} s | {wall / n * 1000:.2f} ms | {rss:.0f} MiB | "
                f"{m['typst'][0]:.2f} s | {m['typst'][2]:.0f} MiB |"
            )

    # 5. The targets.
    full_wall, full_cpu, _, _ = r2010["full"]
    targets = []
    if typst:
        ratio = full_wall / r2010["baseline"][0]
        enough = args.runs >= MIN_RUNS
        targets.append((f"Full 2010 build in at most {BASELINE_SHARE}x the Typst CLI's time for the frozen baseline"
                        f" (medians of at least {MIN_RUNS} runs)",
                        verdict(ratio <= BASELINE_SHARE and enough,
                                f"{ratio:.2f}x" + ("" if enough else f", only {args.runs} runs"))))
    targets.append(("The report converges in two layout iterations",
                    verdict(report_iterations is not None and report_iterations <= 2,
                            f"{report_iterations} iterations" if report_iterations else "not counted")))
    targets.append(("Watch: a changed finding in the PDF under 100 ms", verdict(latency < 100, f"{latency:.0f} ms")))
    for n, _, _, m, _, _ in scale[1:]:
        growth = m["full"][0] / n / base
        targets.append((f"Time per unit at {n:,} within 1.3x of {scale[0][0]:,} (everything on)",
                        verdict(growth <= 1.3, f"{growth:.2f}x")))
    for n, _, _, _, _, text in scale:
        # The report compares with the previous edition and has the annex.
        if text:
            flat = " ".join(text.split())
            ok = "2097" in flat and "vergelijkt deze versie met" in flat
            targets.append((f"Report of {n:,} units compares with 2097 and has the changes annex",
                            verdict(ok, "found" if ok else "not found in the text")))
    for n, _, _, m, _, _ in scale:
        if n >= 5000:
            peak = m["full"][2]
            targets.append((f"Peak memory of the full build at {n:,} units under 4 GB",
                            verdict(peak < 4096, f"{peak:.0f} MiB")))
    if typst:
        for n, _, _, m, _, _ in scale:
            ours, theirs = m["report"][2], m["typst"][2]
            targets.append((f"Peak memory at {n:,} units below the Typst CLI's",
                            verdict(ours < theirs, f"{ours:.0f} vs {theirs:.0f} MiB")))
    targets.append(("Both cores used in the full build (CPU / wall > 1)",
                    verdict(full_cpu / full_wall > 1, f"{full_cpu / full_wall:.2f}")))
    lines += ["", "## Targets", "", "| target | result |", "|---|---|"]
    lines += [f"| {t} | {r} |" for t, r in targets]

    text = "\n".join(lines) + "\n"
    if args.debug:
        print(text)
        print("(debug build: docs/PERFORMANCE.md not written)")
        shutil.rmtree(work, ignore_errors=True)
        return
    path = ROOT / "docs" / "PERFORMANCE.md"
    old = path.read_text() if path.exists() else ""
    notes = old[old.index(MARKER):] if MARKER in old else MARKER + "\n"
    path.write_text(text + "\n" + notes)
    print(text)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
