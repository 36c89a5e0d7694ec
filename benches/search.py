#!/usr/bin/env python3
"""Full-text search at archive scale, each figure a ratio taken in this run.

    python3 benches/search.py [N]        (default: 10000 issues)

On a generated archive of N issues (examples/gen_archive, deterministic), with a fresh
XDG_CACHE_HOME:
  - building the search index (`kanbao grep` on a cold cache): wall time, peak RSS, index size
    against the archive's size;
  - re-indexing after one file changed;
  - warm `kanbao grep --count Q` against `rg -o -F Q DIR | wc -l` (and `grep -rhoF` when rg is
    missing) for a frequent and a rare query, best of five, with the counts compared;
  - `--no-index` (scanning) for the frequent query.
Only the standard library.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KANBAO = os.path.join(ROOT, "target", "release", "kanbao")
GEN = os.path.join(ROOT, "target", "release", "examples", "gen_archive")
QUERIES = [("frequent", "企业"), ("rare", "曹县"), ("phrase", "数字化转型")]


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scale import archive_bytes as du  # noqa: E402  (the same measure of size)


def timed(cmd, env=None, shell=False):
    """(seconds, stdout, peak RSS of this child alone in MB, from its own rusage)."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, env=env, shell=shell, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
    out = child.stdout.read()
    _, _, usage = os.wait4(child.pid, 0)
    child.returncode = 0
    elapsed = time.perf_counter() - start
    return elapsed, out.decode("utf-8", "replace"), usage.ru_maxrss / 1024


def best(cmd, env=None, shell=False, runs=5):
    results = [timed(cmd, env, shell) for _ in range(runs)]
    return min(r[0] for r in results), results[0][1]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    subprocess.run(["cargo", "build", "--release", "-q", "--bin", "kanbao", "--example",
                    "gen_archive"], cwd=ROOT, check=True)
    work = tempfile.mkdtemp(prefix="kanbao-search-bench-")
    try:
        archive = os.path.join(work, "archive")
        subprocess.run([GEN, str(n), archive], stdout=subprocess.DEVNULL, check=True)
        size = du(archive)
        env = dict(os.environ, XDG_CACHE_HOME=os.path.join(work, "cache"))
        print(f"{n} issues, {size / 1e6:.1f} MB, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")

        secs, out, rss = timed([KANBAO, "grep", "-c", "企业", archive], env)
        index = du(os.path.join(work, "cache", "kanbao"))
        fulltext = sum(du(os.path.join(work, "cache", "kanbao", d))
                       for d in os.listdir(os.path.join(work, "cache", "kanbao"))
                       if d.startswith("fulltext-"))
        print(f"index build (cold grep): {secs:.2f} s, peak RSS {rss:.0f} MB, "
              f"search index {fulltext / 1e6:.1f} MB = {fulltext / size:.2f}x the archive "
              f"(all of kanbao's cache {index / 1e6:.1f} MB)")

        first = sorted(os.listdir(os.path.join(archive, sorted(os.listdir(archive))[0])))[0]
        path = os.path.join(archive, sorted(os.listdir(archive))[0], first)
        with open(path, "a", encoding="utf-8") as f:
            f.write("\n补记\n\n企业再次出现。\n")
        secs, _, _ = timed([KANBAO, "grep", "-c", "企业", archive], env)
        warm, _ = best([KANBAO, "grep", "-c", "企业", archive], env)
        print(f"one file changed: grep -c {secs * 1000:.0f} ms (warm, nothing changed: "
              f"{warm * 1000:.0f} ms), so re-indexing it about {(secs - warm) * 1000:.0f} ms")

        rg = shutil.which("rg")
        for label, q in QUERIES:
            k_secs, k_out = best([KANBAO, "grep", "-c", q, archive], env)
            if rg:
                t_secs, t_out = best(f"rg -o -F {q} {archive} | wc -l", shell=True)
                tool = "rg -o -F | wc -l"
            else:
                t_secs, t_out = best(f"grep -rhoF {q} {archive} | wc -l", shell=True)
                tool = "grep -rhoF | wc -l"
            print(f"{label:9} {q}: kanbao {k_secs * 1000:.0f} ms ({k_out.strip()} hits), "
                  f"{tool} {t_secs * 1000:.0f} ms ({t_out.strip()}): "
                  f"{k_secs / t_secs:.2f}x (target < 0.25x)")
        secs, out = best([KANBAO, "--no-index", "grep", "-c", "企业", archive], env, runs=1)
        print(f"--no-index (scan) 企业: {secs:.2f} s ({out.strip()} hits)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
