#!/usr/bin/env python3
"""Load driver for bench/load.sh: bounded concurrent HTTP requests to a local server.

Standard library only. Every run is bounded by a request count and a deadline, and only
talks to 127.0.0.1 / localhost.

  driver.py seed   BASE TOKEN SLUG COUNT KB FIXTURE   upload COUNT versions of ~KB KiB
  driver.py run    BASE TOKEN --name N --requests R --concurrency C --deadline S
                   [--pid PID] [--method GET|POST] [--body FILE] [--type MIME] PATH…
                   R requests round-robin over the PATHs, C at a time; prints one JSON
                   line: status counts, latency percentiles (ms), peak sampled RSS (MB).
"""

import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse


def local_origin(base):
    url = urllib.parse.urlsplit(base)
    if url.scheme != "http" or url.hostname not in ("127.0.0.1", "localhost"):
        sys.exit(f"driver.py: only http://127.0.0.1 is allowed, not {base}")
    return url.hostname, url.port or 80


def request(origin, method, path, token, body=None, ctype=None, timeout=120):
    """One request on a fresh connection; returns (status, seconds, response bytes)."""
    headers = {"Authorization": f"Bearer {token}", "Connection": "close"}
    if ctype:
        headers["Content-Type"] = ctype
    started = time.monotonic()
    conn = http.client.HTTPConnection(origin[0], origin[1], timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, time.monotonic() - started, data
    finally:
        conn.close()


def rss_mb(pid, key):
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def padded_report(fixture, kb, serial):
    """The fixture with its first documentation cell grown to about KB KiB in all."""
    with open(fixture, encoding="utf-8") as f:
        text = f.read()
    word = f"Dokumentation-{serial} "
    need = max(0, kb * 1024 - len(text.encode("utf-8")))
    filler = (word * (need // len(word) + 1))[:need]
    lines = text.split("\n")
    for i, line in enumerate(lines):
        cells = line.split("|")
        # A requirement row: | R1 | … | Ja | documentation |
        if len(cells) >= 8 and cells[1].strip()[:1].isalpha() and cells[1].strip()[1:].isdigit():
            cells[-2] = " " + filler + " "
            lines[i] = "|".join(cells)
            break
    return "\n".join(lines).encode("utf-8")


def seed(args):
    origin = local_origin(args.base)
    deadline = time.monotonic() + args.deadline
    path = f"/api/v1/products/{args.slug}/self-evaluations"
    for n in range(1, args.count + 1):
        if time.monotonic() > deadline:
            sys.exit(f"driver.py seed: deadline of {args.deadline} s passed after {n - 1} versions")
        body = padded_report(args.fixture, args.kb, n)
        status, _, data = request(origin, "POST", path, args.token, body, "text/markdown")
        if status != 201:
            sys.exit(f"driver.py seed: version {n}: HTTP {status}: {data[:300]!r}")
    print(json.dumps({"seeded": args.count, "bytes_each": len(padded_report(args.fixture, args.kb, 1))}))


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    k = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k]


def run(args):
    origin = local_origin(args.base)
    body = None
    if args.body:
        with open(args.body, "rb") as f:
            body = f.read()
    deadline = time.monotonic() + args.deadline
    lock = threading.Lock()
    next_index = [0]
    statuses = {}
    latencies = []
    errors = []
    peak = [0.0]
    done = threading.Event()

    def sampler():
        while not done.is_set():
            value = rss_mb(args.pid, "VmRSS") if args.pid else None
            if value is not None:
                peak[0] = max(peak[0], value)
            done.wait(0.02)

    def worker():
        while True:
            with lock:
                i = next_index[0]
                if i >= args.requests or time.monotonic() > deadline:
                    return
                next_index[0] += 1
            path = args.paths[i % len(args.paths)]
            try:
                status, seconds, _ = request(origin, args.method, path, args.token, body, args.type,
                                             timeout=max(1.0, deadline - time.monotonic()))
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                    latencies.append(seconds * 1000)
            except (OSError, http.client.HTTPException) as e:
                with lock:
                    errors.append(type(e).__name__)

    sample = threading.Thread(target=sampler, daemon=True)
    sample.start()
    started = time.monotonic()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()) + 5)
    elapsed = time.monotonic() - started
    done.set()
    sample.join(1)
    latencies.sort()
    counts = {"2xx": 0, "3xx": 0, "4xx": 0, "409": 0, "5xx": 0}
    for status, n in statuses.items():
        if 200 <= status < 300:
            counts["2xx"] += n
        elif 300 <= status < 400:
            counts["3xx"] += n
        elif status == 409:
            counts["409"] += n
        elif 400 <= status < 500:
            counts["4xx"] += n
        elif status >= 500:
            counts["5xx"] += n
    print(json.dumps({
        "name": args.name,
        "requests": sum(statuses.values()),
        "planned": args.requests,
        "concurrency": args.concurrency,
        "seconds": round(elapsed, 2),
        "rps": round(sum(statuses.values()) / elapsed, 1) if elapsed > 0 else 0,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "counts": counts,
        "errors": len(errors),
        "timed_out": next_index[0] < args.requests,
        "p50": round(percentile(latencies, 50), 1),
        "p90": round(percentile(latencies, 90), 1),
        "p99": round(percentile(latencies, 99), 1),
        "max": round(latencies[-1], 1) if latencies else 0,
        "rss_peak_sampled_mb": round(peak[0], 1),
        "vmhwm_mb": round(rss_mb(args.pid, "VmHWM") or 0, 1) if args.pid else None,
    }))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("seed")
    s.add_argument("base")
    s.add_argument("token")
    s.add_argument("slug")
    s.add_argument("count", type=int)
    s.add_argument("kb", type=int)
    s.add_argument("fixture")
    s.add_argument("--deadline", type=float, default=1800)
    r = sub.add_parser("run")
    r.add_argument("base")
    r.add_argument("token")
    r.add_argument("paths", nargs="+")
    r.add_argument("--name", required=True)
    r.add_argument("--requests", type=int, required=True)
    r.add_argument("--concurrency", type=int, required=True)
    r.add_argument("--deadline", type=float, required=True)
    r.add_argument("--pid", type=int)
    r.add_argument("--method", default="GET", choices=["GET", "POST"])
    r.add_argument("--body")
    r.add_argument("--type")
    args = parser.parse_args()
    if args.command == "seed":
        if not 1 <= args.count <= 5000 or not 1 <= args.kb <= 4096:
            sys.exit("driver.py seed: COUNT must be 1–5000 and KB 1–4096")
        seed(args)
    else:
        if not 1 <= args.requests <= 100000 or not 1 <= args.concurrency <= 1000:
            sys.exit("driver.py run: --requests must be 1–100000 and --concurrency 1–1000")
        run(args)


if __name__ == "__main__":
    main()
