#!/usr/bin/env python3
"""Latency of `korpsmonitor serve` on the 2010 edition, run on demand (never
in the tests).

Starts the release build's `serve data/2010 --port 0` on a copy of data/,
then, for each run, holds the long poll that an open page holds
(`/.korpsmonitor/wait?after=N`), writes a changed finding into
units/ijsselland.yaml (a unit with a manager letter) and times:
  - event: from the write to the long poll's answer, when an open page
    learns of the new build and reloads;
  - site, page, letter: from the write to the first time the unit's page of
    the web edition (`/web/eenheden/ijsselland.html`), the report
    (`/korpsmonitor-2010.pdf`) and the unit's letter
    (`/brieven/ijsselland.pdf`) are served changed, each fetched again
    after every new build (each is built alone ahead of the full build);
and checks (untimed, with pdftotext when it is installed) that the served
page, report and letter carry the change. Every request goes to 127.0.0.1 only, with
timeouts; the server is stopped at the end, also on failure.

Writes the medians, the machine, date and commit into docs/PERFORMANCE.md
between the serve markers (below bench.py's notes marker, so bench.py keeps
them).

Usage: python3 bench/serve.py [--runs N]
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
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = ROOT / "target" / "release" / "korpsmonitor"
DOC = ROOT / "docs" / "PERFORMANCE.md"
BEGIN = "<!-- serve: written by bench/serve.py -->"
END = "<!-- /serve -->"
TARGET_MS = 300  # the aim for the report and the letters, as for the site
UNIT = "ijsselland"  # a unit with a manager letter (onvoldoende in 2010)
SITE_TARGET_MS = 300  # the requirement for an open page of the site


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


def get(url, timeout=60):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read()


def served_text(pdf, work):
    """The text of a served PDF, or None without pdftotext."""
    if not shutil.which("pdftotext"):
        return None
    path = work / "served.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def measure(work, runs):
    unit = work / "data" / "2010" / "units" / f"{UNIT}.yaml"
    proc = subprocess.Popen(
        [EXE, "serve", "data/2010", "--port", "0"],
        cwd=work, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if not m:
            sys.exit(f"serve printed no address: {line!r}")
        base = m.group(0)
        get(base)  # waits for the first build
        text = unit.read_text()
        events, sites, pages, letters, checked = [], [], [], [], 0
        paths = [f"web/eenheden/{UNIT}.html", "korpsmonitor-2010.pdf", f"brieven/{UNIT}.pdf"]
        for i in range(runs):
            generation = get(f"{base}.korpsmonitor/wait?after=0").decode()
            before = {p: get(f"{base}{p}") for p in paths}
            marker = f"Gemeten{i}x"
            changed = text.replace("findings: ", f"findings: {marker} ", 1)
            if changed == text:
                sys.exit(f"{UNIT}.yaml has no findings to change")
            # The long poll an open page holds, sent before the write.
            answer = {}

            def wait():
                answer["body"] = get(f"{base}.korpsmonitor/wait?after={generation}")
                answer["at"] = time.perf_counter()

            t = threading.Thread(target=wait)
            t.start()
            time.sleep(0.2)  # the poll has reached the server
            start = time.perf_counter()
            unit.write_text(changed)
            t.join(60)
            if "at" not in answer or answer["body"].decode() == generation:
                sys.exit("no new build within 60 s")
            events.append((answer["at"] - start) * 1000)
            # Build by build, the time each file is first served changed
            # (cheap requests only; the text is read afterwards, untimed).
            now = answer["body"].decode()
            served = {}
            while len(served) < len(paths):
                for p in paths:
                    if p not in served:
                        body = get(f"{base}{p}")
                        if body != before[p]:
                            served[p] = (time.perf_counter(), body)
                if len(served) < len(paths):
                    if time.perf_counter() - start > 60:
                        sys.exit(f"not all of {paths} changed within 60 s")
                    now = get(f"{base}.korpsmonitor/wait?after={now}").decode()
            page, report, letter = (served[p] for p in paths)
            if marker not in page[1].decode():
                sys.exit(f"the served unit page lacks the change {marker}")
            sites.append((page[0] - start) * 1000)
            pages.append((report[0] - start) * 1000)
            letters.append((letter[0] - start) * 1000)
            texts = [served_text(report[1], work), served_text(letter[1], work)]
            if None not in texts:
                if not all(marker in t for t in texts):
                    sys.exit(f"the served report or letter lacks the change {marker}")
                checked += 1
            time.sleep(0.3)
        unit.write_text(text)
        return (
            statistics.median(events),
            statistics.median(sites),
            max(sites),
            statistics.median(pages),
            max(pages),
            statistics.median(letters),
            max(letters),
            checked,
        )
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=21, help="changes to time")
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    work = Path(tempfile.mkdtemp(prefix="korpsmonitor-serve-bench-"))
    try:
        shutil.copytree(ROOT / "data", work / "data")
        load_before = os.getloadavg()[0]
        event, site, site_worst, page, worst, letter, letter_worst, checked = measure(work, args.runs)
        load_after = os.getloadavg()[0]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    if dirty:
        commit += " (with uncommitted changes)"
    verdict = "met" if page < TARGET_MS else "**missed**"
    block = "\n".join([
        BEGIN,
        "## Serve",
        "",
        "Measured with `python3 bench/serve.py`: release build, `serve data/2010`",
        "(report, covering letter and 15 letters rebuilt in memory on every save),",
        f"median of {args.runs} saves of one changed finding (`units/{UNIT}.yaml`).",
        "",
        f"- Date: {datetime.date.today().isoformat()}",
        f"- Commit: {commit}",
        f"- Machine: {machine()}",
        f"- Load average (1 min) before and after: {load_before:.1f} and {load_after:.1f};"
        " other work on the machine slows the rebuild, so compare runs at a similar load",
        "",
        "| from the save to | median | slowest |",
        "|---|---|---|",
        f"| the open page told to reload (long poll answered) | {event:.0f} ms | |",
        f"| the reloaded page of the site served with the change (`/web/eenheden/{UNIT}.html`) | {site:.0f} ms | {site_worst:.0f} ms |",
        f"| the report served with the change (`/korpsmonitor-2010.pdf`, built alone ahead of the full build) | {page:.0f} ms | {worst:.0f} ms |",
        f"| the unit's letter served with the change (`/brieven/{UNIT}.pdf`, built alone ahead of the full build) | {letter:.0f} ms | {letter_worst:.0f} ms |",
        "",
        "The site, the report and the letters are built alone first, in two lanes on the two cores (the report; the site, then the letters), each published when ready; then every document.",
        f"Site: under {SITE_TARGET_MS} ms required, {'met' if site < SITE_TARGET_MS else '**missed**'} ({site:.0f} ms).",
        f"Report: aim under {TARGET_MS} ms, {verdict} ({page:.0f} ms).",
        f"Letter: aim under {TARGET_MS} ms, {'met' if letter < TARGET_MS else '**missed**'} ({letter:.0f} ms).",
        f"The served report and letter were checked to carry the change in {checked} of {args.runs} runs"
        + (" (pdftotext)." if checked else " (pdftotext not installed)."),
        END,
    ])
    doc = DOC.read_text()
    if BEGIN in doc and END in doc:
        doc = doc[: doc.index(BEGIN)] + block + doc[doc.index(END) + len(END):]
    else:
        doc = doc.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(doc)
    print(block)


if __name__ == "__main__":
    main()
