#!/usr/bin/env python3
"""The reader's first frame against archive size, warm (on-disk index current, page cache hot).

    python3 benches/first_frame.py [SIZES...]      (default: 10 10000 100000)

For each size a generated archive (examples/gen_archive) is indexed once by a first run, then
the reader is opened in a pseudo-terminal five times; the best time to a complete first frame
(the status line drawn) is reported, and each size's ratio to the smallest. Issue #20's
targets: 10,000/10 < 2, and 100,000 issues < 200 ms. Uses scale.py's terminal model.
"""

import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scale import GEN, KANBAO, Pty  # noqa: E402


def first_frame(archive, cache, state):
    p = Pty([KANBAO, "--fresh", archive], env={"XDG_CACHE_HOME": cache, "XDG_STATE_HOME": state})
    first = p.wait_until(lambda s: "期 Issues" in s.text() and s.last_row().strip(), limit=300)
    p.quiet(0.1)
    p.finish()
    return first


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [10, 10000, 100000]
    work = os.environ.get("KANBAO_BENCH_WORK") or tempfile.mkdtemp(prefix="kanbao-ff-")
    results = []
    for n in sizes:
        archive = os.path.join(work, f"arch{n}")
        if not os.path.isdir(archive):
            subprocess.run([GEN, str(n), archive], check=True, stdout=subprocess.DEVNULL)
        cache = os.path.join(work, f"cache{n}")
        state = os.path.join(work, f"state{n}")
        # The first run writes the index (and the search index behind it); let it finish.
        subprocess.run([KANBAO, "list", archive], env={**os.environ, "XDG_CACHE_HOME": cache},
                       stdout=subprocess.DEVNULL, check=False)
        times = [first_frame(archive, cache, state) for _ in range(5)]
        best = min(t for t in times if t is not None) * 1000
        results.append((n, best))
        print(f"{n:>7} issues: first frame {best:.0f} ms (runs: "
              + ", ".join(f"{t * 1000:.0f}" for t in times if t is not None) + ")", flush=True)
    base = results[0][1]
    for n, ms in results[1:]:
        print(f"{n:>7} / {results[0][0]}: {ms / base:.2f}×")


if __name__ == "__main__":
    main()
