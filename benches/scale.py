#!/usr/bin/env python3
"""Archive scale, measured against the tools people use, each figure a ratio taken in this run.

    python3 benches/scale.py [SIZES...]        (default: 1000 10000)

For generated archives of each size (examples/gen_archive, deterministic):
  - parse throughput of `kanbao list --no-index` against `cat` of the same files, on all cores
    and on one core (taskset);
  - the reader in a pseudo-terminal: time to first frame and to fully indexed (the gauge gone),
    cold (no on-disk index) and warm (index written by the cold run), and its peak RSS against
    the archive's size on disk;
  - `kanbao find` against `kanbao headlines | fzf --filter` (warm index, and without one).
Then, on one sample article: bytes written to the terminal per `j` in the body (zoomed, like
less, and in three panes) and per `j` in the headline list, against `less` scrolling the same
text. Only the standard library; the terminal is read through a small screen model.
"""

import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import unicodedata
import fcntl
import termios

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KANBAO = os.path.join(ROOT, "target", "release", "kanbao")
GEN = os.path.join(ROOT, "target", "release", "examples", "gen_archive")
COLS, ROWS = 120, 40
# Scrolling is measured where a sample article is longer than the screen, as with less.
SCROLL_COLS, SCROLL_ROWS = 80, 24


class Screen:
    """Just enough of a terminal to read what ratatui draws: cursor moves, text, wide cells."""

    def __init__(self, cols, rows):
        self.cols, self.rows = cols, rows
        self.grid = [[" "] * cols for _ in range(rows)]
        self.x = self.y = 0
        self.pending = b""

    def feed(self, data):
        data = self.pending + data
        self.pending = b""
        text = data.decode("utf-8", errors="ignore") if not data.endswith(b"\x1b") else None
        if text is None:
            self.pending = data
            return
        i = 0
        while i < len(text):
            c = text[i]
            if c == "\x1b":
                if i + 1 >= len(text):
                    self.pending = text[i:].encode()
                    return
                if text[i + 1] == "[":
                    j = i + 2
                    while j < len(text) and not ("@" <= text[j] <= "~"):
                        j += 1
                    if j >= len(text):
                        self.pending = text[i:].encode()
                        return
                    self.csi(text[i + 2 : j], text[j])
                    i = j + 1
                    continue
                if text[i + 1] == "]":
                    end = text.find("\x07", i)
                    if end < 0:
                        self.pending = text[i:].encode()
                        return
                    i = end + 1
                    continue
                i += 2
                continue
            if c == "\r":
                self.x = 0
            elif c == "\n":
                self.y = min(self.y + 1, self.rows - 1)
            elif c >= " ":
                width = 2 if unicodedata.east_asian_width(c) in "WF" else 1
                if self.y < self.rows and self.x < self.cols:
                    self.grid[self.y][self.x] = c
                    if width == 2 and self.x + 1 < self.cols:
                        self.grid[self.y][self.x + 1] = ""
                self.x += width
            i += 1

    def csi(self, params, final):
        if final == "H":
            parts = [p for p in params.split(";")]
            row = int(parts[0]) if parts and parts[0].isdigit() else 1
            col = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 1
            self.y, self.x = row - 1, col - 1
        elif final == "J" and params in ("2", "3"):
            self.grid = [[" "] * self.cols for _ in range(self.rows)]

    def text(self):
        return "\n".join("".join(row) for row in self.grid)

    def last_row(self):
        return "".join(self.grid[-1])


class Pty:
    """A program on a pseudo-terminal of COLS×ROWS; counts the bytes it writes."""

    def __init__(self, argv, env=None, size=(COLS, ROWS)):
        cols, rows = size
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvpe(argv[0], argv, {**os.environ, "TERM": "xterm-256color", **(env or {})})
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.start = time.monotonic()
        self.screen = Screen(cols, rows)
        self.bytes = 0

    def read(self, timeout):
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return 0
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            return 0
        self.bytes += len(data)
        self.screen.feed(data)
        if b"\x1b[6n" in data:  # a cursor-position query (ambiguous-width probe): answer it
            os.write(self.fd, b"\x1b[1;1R")
        return len(data)

    def wait_until(self, predicate, limit=120):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if predicate(self.screen):
                return time.monotonic() - self.start
            self.read(0.005)
        return None

    def quiet(self, gap=0.15, limit=5):
        """Reads until nothing arrives for `gap` seconds; returns the bytes read."""
        got, deadline = 0, time.monotonic() + limit
        while time.monotonic() < deadline:
            n = self.read(gap)
            if n == 0:
                break
            got += n
        return got

    def send(self, keys):
        os.write(self.fd, keys.encode())

    def finish(self):
        """Quits with q; returns the peak RSS in KB."""
        self.send("q")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            self.read(0.05)
            pid, status, usage = os.wait4(self.pid, os.WNOHANG)
            if pid:
                return usage.ru_maxrss
        os.kill(self.pid, 9)
        return os.wait4(self.pid, 0)[2].ru_maxrss


def best_ms(argv, runs=3, **kw):
    best = None
    for _ in range(runs):
        start = time.monotonic()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, **kw)
        ms = (time.monotonic() - start) * 1000
        best = ms if best is None else min(best, ms)
    return best


def archive_bytes(path):
    total = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(dirpath, f))
    return total


def open_reader(archive, cache):
    """(first frame s, fully indexed s, peak RSS KB) of the reader on `archive`."""
    p = Pty([KANBAO, archive], env={"XDG_CACHE_HOME": cache})
    # A frame is complete once its last row (the status line) is drawn.
    first = p.wait_until(lambda s: "期 Issues" in s.text() and s.last_row().strip())
    indexed = p.wait_until(lambda s: "期 Issues" in s.text() and s.last_row().strip()
                           and "indexing" not in s.last_row())
    p.quiet(0.1)
    return first, indexed, p.finish()


def row(*cells):
    print("  ".join(str(c) for c in cells))


def scale(sizes, work):
    print(f"# archive scale — {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores")
    for n in sizes:
        archive = os.path.join(work, f"a{n}")
        subprocess.run([GEN, str(n), archive], stdout=subprocess.DEVNULL, check=True)
        size = archive_bytes(archive)
        mb = size / 1e6
        files = [os.path.join(d, f) for d, _, fs in os.walk(archive) for f in fs]
        cat_ms = best_ms(["sh", "-c", f"find '{archive}' -name '*.txt' -print0 | xargs -0 cat"])
        all_ms = best_ms([KANBAO, "list", "--no-index", archive])
        one_ms = best_ms(["taskset", "-c", "0", KANBAO, "list", "--no-index", archive])
        cat_rate, all_rate, one_rate = mb / cat_ms * 1000, mb / all_ms * 1000, mb / one_ms * 1000
        print(f"\n## {n} issues, {len(files)} files, {mb:.1f} MB")
        row("parse", f"cat {cat_rate:.0f} MB/s", f"kanbao {all_rate:.0f} MB/s on all cores",
            f"{one_rate:.0f} MB/s on one core", f"kanbao/cat {all_rate / cat_rate:.2f}",
            "(target ≥150 MB/s per core)")
        cache = os.path.join(work, f"cache{n}")
        first, indexed, rss = open_reader(archive, cache)
        wfirst, windexed, wrss = open_reader(archive, cache)
        ms = lambda s: "never" if s is None else f"{s * 1000:.0f} ms"
        row("reader cold", f"first frame {ms(first)}", f"fully indexed {ms(indexed)}",
            "(targets <100 ms, <2 s)")
        row("reader warm", f"first frame {ms(wfirst)}", f"fully indexed {ms(windexed)}",
            "(target <200 ms indexed)")
        row("peak RSS", f"cold {rss / 1024:.1f} MB", f"warm {wrss / 1024:.1f} MB",
            f"archive {mb:.1f} MB", f"ratio {rss / 1024 / mb:.2f}", "(target <0.5)")
        env = {**os.environ, "XDG_CACHE_HOME": cache}
        for query in ("曹县", "caoxian"):
            find = best_ms([KANBAO, "find", query, archive], env=env)
            cold = best_ms([KANBAO, "find", "--no-index", query, archive], env=env)
            fzf = best_ms(["sh", "-c", f"'{KANBAO}' headlines --no-index '{archive}' | fzf --filter '{query}'"], env=env)
            row(f"find {query}", f"kanbao {find:.0f} ms (index)", f"{cold:.0f} ms (no index)",
                f"headlines|fzf {fzf:.0f} ms", f"fzf/kanbao {fzf / find:.1f} and {fzf / cold:.2f}")


def per_key(argv, setup, key, steps=10, env=None):
    p = Pty(argv, env=env, size=(SCROLL_COLS, SCROLL_ROWS))
    p.wait_until(lambda s: s.text().strip() != "", limit=10)
    p.quiet()
    for keys in setup:
        p.send(keys)
        p.quiet()
    counts = []
    for _ in range(steps):
        p.send(key)
        counts.append(p.quiet(0.1))
    p.finish()
    return sum(counts) / len(counts)


def scroll(work):
    sample = os.path.join(ROOT, "sample-data", sorted(os.listdir(os.path.join(ROOT, "sample-data")))[0])
    # The longest article of the first sample, as text, for less.
    lines = subprocess.run([KANBAO, "headlines", sample], capture_output=True, text=True).stdout
    counts = []
    for line in lines.splitlines():
        index = line.split("\t")[1]
        text = subprocess.run([KANBAO, "cat", sample, "-a", index], capture_output=True, text=True).stdout
        counts.append((len(text), index, text))
    _, index, text = max(counts)
    path = os.path.join(work, "article.txt")
    with open(path, "w") as f:
        f.write(text)
    env = {"XDG_CACHE_HOME": os.path.join(work, "cache-scroll"), "LESS": "", "LESSHISTFILE": "-"}
    less = per_key(["less", path], [], "j", env=env)
    zoomed = per_key([KANBAO, sample, "--article", index], ["z"], "j", env=env)
    panes = per_key([KANBAO, sample, "--article", index], [], "j", env=env)
    listing = per_key([KANBAO, sample], ["l"], "j", steps=8, env=env)
    print(f"\n## bytes to the terminal per key, {SCROLL_COLS}×{SCROLL_ROWS}, article {index} of {os.path.basename(sample)}")
    row("less j", f"{less:.0f} B")
    row("kanbao body j, zoomed", f"{zoomed:.0f} B", f"ratio {zoomed / less:.1f}", "(target ≤2)")
    row("kanbao body j, three panes", f"{panes:.0f} B", f"ratio {panes / less:.1f}")
    row("kanbao headline list j", f"{listing:.0f} B", f"ratio {listing / less:.1f}")


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    subprocess.run(["cargo", "build", "--release", "-q", "--bin", "kanbao", "--example", "gen_archive"],
                   cwd=ROOT, check=True)
    for tool in ("fzf", "less", "taskset"):
        if shutil.which(tool) is None:
            sys.exit(f"scale.py needs {tool}")
    with tempfile.TemporaryDirectory() as work:
        scale(sizes, work)
        scroll(work)


if __name__ == "__main__":
    main()
