#!/usr/bin/env python3
"""A small LSP client for bench/lsp.sh (Python 3 standard library only).

    lsp_client.py grow BASE DONOR_DIR SIZE OUT
        Writes OUT: the spec BASE with the body of each of its sections extended by the bodies
        of the same sections in the other specs of DONOR_DIR, until OUT has SIZE bytes or more.
        The result keeps BASE's headings (one of each, in the template's order), so it is a
        spec of the same shape, only longer.

    lsp_client.py measure SPECBOOK PROJECT SPEC EDITS
        Starts `SPECBOOK lsp` in PROJECT (a folder with specbook.toml), initializes, opens SPEC
        right after `initialized` (declaring push diagnostics only, no pull), then sends EDITS full-text didChange notifications, one at a
        time, each changing one word. Prints one JSON object: the time from `initialize` to the
        first publishDiagnostics of SPEC, each edit's time from didChange to the
        publishDiagnostics of its version (ms), the diagnostics count, and the server's peak
        RSS (VmHWM, from /proc). Then one completion of the Team field's value, which offers
        the teams in the workspace's catalog: its time and the peak RSS after it.
"""

import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path


def sections(text):
    """The spec as [(heading line or None, body lines)], split at headings outside code fences."""
    parts = [(None, [])]
    fence = False
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if not fence and re.match(r"#{1,6} ", line):
            parts.append((line, []))
        else:
            parts[-1][1].append(line)
    return parts


def grow(base, donors, size, out):
    base_parts = sections(Path(base).read_text())
    # Front matter and the title stay as they are: a field written twice is a finding.
    growable = {
        heading: body
        for heading, body in base_parts
        if heading and not heading.startswith("# ") and "Front Matter" not in heading
    }
    total = sum(len((h or "").encode()) + sum(len(l.encode()) for l in b) for h, b in base_parts)
    for donor in sorted(Path(donors).glob("*.md")):
        if donor.name == Path(base).name or total >= size:
            continue
        for heading, body in sections(donor.read_text()):
            target = growable.get(heading)
            # Only prose: a donor's footnote definitions would repeat the base's labels.
            lines = [l for l in body if not l.startswith("[^")]
            if target is None or not "".join(lines).strip():
                continue
            added = [] if target and not target[-1].strip() else ["\n"]
            added.extend(lines)
            target.extend(added)
            total += sum(len(l.encode()) for l in added)
            if total >= size:
                break
    text = "".join((h or "") + "".join(b) for h, b in base_parts)
    Path(out).write_text(text)
    print(f"{out}: {len(text.encode())} bytes, {text.count(chr(10))} lines")


class Server:
    """`specbook lsp` over pipes; a thread reads its messages into a queue, each with the time
    it was read."""

    def __init__(self, command, cwd):
        self.process = subprocess.Popen(
            command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.messages = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self.messages.put((time.perf_counter(), None))
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            body = stream.read(length)
            self.messages.put((time.perf_counter(), json.loads(body)))

    @staticmethod
    def frame(message):
        body = json.dumps(message).encode()
        return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)

    def send_frame(self, frame):
        self.process.stdin.write(frame)
        self.process.stdin.flush()

    def notify(self, method, params):
        self.send_frame(self.frame({"jsonrpc": "2.0", "method": method, "params": params}))

    def request(self, method, params):
        self.next_id += 1
        self.send_frame(
            self.frame({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        )
        return self.next_id

    def wait(self, accept, timeout=600):
        """The first message `accept` takes, with the time it was read. Requests from the server
        get a null answer; other messages are dropped."""
        deadline = time.monotonic() + timeout
        while True:
            at, message = self.messages.get(timeout=max(0.0, deadline - time.monotonic()))
            if message is None:
                sys.exit(f"specbook lsp exited ({self.process.wait()})")
            if "method" in message and "id" in message:
                self.send_frame(self.frame({"jsonrpc": "2.0", "id": message["id"], "result": None}))
                continue
            if accept(message):
                return at, message


def peak_rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def edits(text, count):
    """`count` texts, each `text` with a different prose word replaced: a word of four letters
    or more outside headings, field lines and code."""
    words = []
    fence = False
    offset = 0
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        elif not fence and not line.startswith(("#", "- **", "|", "[")):
            words.extend(offset + m.start() for m in re.finditer(r"\b[a-z]{4,}\b", line))
        offset += len(line)
    step = max(1, len(words) // count)
    out = []
    for i in range(count):
        at = words[(i * step) % len(words)]
        end = re.match(r"[a-z]+", text[at:]).end() + at
        out.append(text[:at] + f"edit{i}" + text[end:])
    return out


def with_findings(text):
    """`text` with the built-in template's first placeholder as a paragraph after every 40th
    prose line, and without its Team field: placeholder and missing-field findings."""
    out = []
    for i, line in enumerate(text.split("\n")):
        if line.startswith("- **Team:**"):
            continue
        out.append(line)
        if i > 30 and i % 40 == 0 and line.strip() and not line.startswith(("#", "|", "-", "`")):
            out += ["", "[What problem does this system/feature solve?]"]
    return "\n".join(out)


def measure(specbook, project, spec, count):
    project = Path(project).resolve()
    spec = Path(spec).resolve()
    uri = spec.as_uri()
    text = spec.read_text()
    server = Server([specbook, "lsp", "--log-level", "warn"], project)

    def diagnostics_of(version):
        return lambda m: (
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"].get("version") == version
        )

    start = time.perf_counter()
    # Push diagnostics: the capabilities name publishDiagnostics (with versions, so each edit
    # is matched to its own findings) and no `textDocument.diagnostic`, which would make the
    # server wait to be asked (pull) and push nothing.
    init = server.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": project.as_uri(),
            "capabilities": {"textDocument": {"publishDiagnostics": {"versionSupport": True}}},
        },
    )
    server.wait(lambda m: m.get("id") == init)
    server.notify("initialized", {})
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "markdown", "version": 0, "text": text}},
    )
    at, first = server.wait(diagnostics_of(0))
    first_ms = (at - start) * 1000

    times = []
    counts = set()
    for version, changed in enumerate(edits(text, count), start=1):
        # Encoded before the clock starts: the client's JSON is not the server's time.
        frame = server.frame(
            {
                "jsonrpc": "2.0",
                "method": "textDocument/didChange",
                "params": {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"text": changed}],
                },
            }
        )
        sent = time.perf_counter()
        server.send_frame(frame)
        at, message = server.wait(diagnostics_of(version))
        times.append((at - sent) * 1000)
        counts.add(len(message["params"]["diagnostics"]))

    rss = peak_rss_mb(server.process.pid)

    # A completion from the workspace's catalog (the Team values of the other specs): its
    # time, and the peak RSS after it (the catalog is read with the workspace rules, for the
    # first diagnostics; this shows it if that changes).
    team = next(i for i, line in enumerate(text.splitlines()) if line.startswith("- **Team:**"))
    asked = time.perf_counter()
    completion = server.request(
        "textDocument/completion",
        {
            "textDocument": {"uri": uri},
            "position": {"line": team, "character": len("- **Team:** ")},
        },
    )
    at, answer = server.wait(lambda m: m.get("id") == completion)
    completion_ms = (at - asked) * 1000
    completion_items = answer.get("result")
    if isinstance(completion_items, dict):
        completion_items = completion_items.get("items")
    rss_catalog = peak_rss_mb(server.process.pid)

    # Code actions as an editor asks for them when the cursor moves (VS Code does on every
    # move, `triggerKind` 2), on a text with findings to act on: a template placeholder after
    # every 40th prose line and no Team field. On each finding with that finding in the
    # context (up to 50), then on lines spread over the text, 100 requests in all.
    findings_text = with_findings(text)
    version = count + 1
    server.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": findings_text}],
        },
    )
    _, message = server.wait(diagnostics_of(version))
    found = message["params"]["diagnostics"]
    lines = findings_text.count("\n")
    cursors = [(d["range"], [d]) for d in found[:50]]
    cursors += [
        ({"start": {"line": l, "character": 0}, "end": {"line": l, "character": 0}}, [])
        for l in range(0, lines, max(1, lines // 100))
    ][: 100 - len(cursors)]
    action_times = []
    action_counts = []
    for where, context in cursors:
        asked = time.perf_counter()
        request = server.request(
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": where,
                "context": {"diagnostics": context, "triggerKind": 2},
            },
        )
        at, answer = server.wait(lambda m: m.get("id") == request)
        action_times.append((at - asked) * 1000)
        action_counts.append(len(answer.get("result") or []))

    shutdown = server.request("shutdown", None)
    server.wait(lambda m: m.get("id") == shutdown)
    server.notify("exit", None)
    code = server.process.wait(timeout=30)
    json.dump(
        {
            "bytes": len(text.encode()),
            "first_diagnostics_ms": first_ms,
            "first_diagnostics": len(first["params"]["diagnostics"]),
            "edit_ms": times,
            "edit_diagnostics": sorted(counts),
            "peak_rss_mb": rss,
            "catalog_completion_ms": completion_ms,
            "catalog_completion_items": len(completion_items or []),
            "peak_rss_catalog_mb": rss_catalog,
            "code_action_ms": action_times,
            "code_action_findings": len(found),
            "code_actions": action_counts,
            "exit_code": code,
        },
        sys.stdout,
    )
    print()


def main(argv):
    if len(argv) == 5 and argv[0] == "grow":
        grow(argv[1], argv[2], int(argv[3]), argv[4])
    elif len(argv) == 5 and argv[0] == "measure":
        measure(argv[1], argv[2], argv[3], int(argv[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
