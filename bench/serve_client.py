#!/usr/bin/env python3
"""Drives `specbook serve` as a reader and a writer do (see bench/README.md, serve.sh):
startup to the first page, then edits of one spec, each timed from the file's write to the
page showing the new text over HTTP. Standard library only."""

import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except OSError:
        return 0, ""


def peak_rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main():
    specbook, folder, spec, page, edits, gap = sys.argv[1:7]
    edits, gap = int(edits), float(gap)
    started = time.monotonic()
    server = subprocess.Popen(
        [specbook, "serve", "--port", "0"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = server.stdout.readline()
        match = re.search(r"http://[^/\s]+/", line)
        if not match:
            sys.exit(f"no address in {line!r}")
        base = match.group(0)
        while fetch(base)[0] != 200:
            time.sleep(0.01)
        startup = time.monotonic() - started
        original = open(spec, encoding="utf-8").read()
        marker = "## 1. Introduction\n"
        if marker not in original:
            sys.exit(f"{spec} has no {marker!r}")
        times = []
        for k in range(edits):
            time.sleep(gap)
            token = f"edit{k}x{os.getpid()}"
            text = original.replace(marker, f"{marker}\n{token} paragraph.\n", 1)
            begin = time.monotonic()
            with open(spec, "w", encoding="utf-8") as out:
                out.write(text)
            while token not in fetch(base + page)[1]:
                if time.monotonic() - begin > 30:
                    sys.exit(f"edit {k} not shown within 30 s")
                time.sleep(0.005)
            times.append(time.monotonic() - begin)
        with open(spec, "w", encoding="utf-8") as out:
            out.write(original)
        rss = peak_rss_kb(server.pid)
    finally:
        server.kill()
        server.wait()
    times.sort()
    print(
        json.dumps(
            {
                "startup_s": startup,
                "edits": len(times),
                "median_ms": statistics.median(times) * 1000,
                "max_ms": times[-1] * 1000,
                "min_ms": times[0] * 1000,
                "rss_mb": rss / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
