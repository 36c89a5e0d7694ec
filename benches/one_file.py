#!/usr/bin/env python3
"""The scale of one file: `kanbao export --no-index` on one generated issue of 1, 4 and 16 MB
in each of six shapes (paragraph, short lines, one headline stack, database records with
metadata, a list, an OCR flow without blank lines), wall time and peak RSS (and RSS as a multiple of the file size).

    python3 benches/one_file.py [PATH_TO_KANBAO]   (default: target/release/kanbao)

Shapes: one paragraph whose lines all continue the sentence (every line is joined onto the
paragraph), short one-sentence paragraphs, and one huge headline stack (short lines with no
punctuation). Only the standard library; files are made in a temporary folder.
"""

import os
import random
import subprocess
import sys
import tempfile
import time

HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如"


def chunk(rng, n):
    return "".join(rng.choice(HAN) for _ in range(n))


def make(path, shape, size):
    """Writes the issue line by line: the parent's own peak RSS would be inherited by the child
    across fork and exec (ru_maxrss survives exec), so the text is never held whole."""
    rng = random.Random(size)
    with open(path, "w") as f:
        f.write("某报 2022年1月1日\n")
        if shape == "paragraph":
            f.write("标题一行\n　　本报讯 " + chunk(rng, 20) + "，\n")
            line = lambda: chunk(rng, 9) + "，" + chunk(rng, 10)
        elif shape == "short-lines":
            line = lambda: "　　" + chunk(rng, 18) + "。"
        elif shape == "metadata":
            # Database records: headline, metadata line, paragraphs, a subhead now and then.
            line = lambda: (
                chunk(rng, 12) + "\n作者：" + chunk(rng, 3) + "  时间：2018-04-17\n\n"
                + "".join("　　" + chunk(rng, 40) + "。\n\n" for _ in range(3))
                + "　　" + chunk(rng, 6) + "\n\n"
            )
        elif shape == "list":
            line = lambda: "　　" + chunk(rng, 10) + "；\n"
        elif shape == "ocr-flow":
            # No blank lines: long spliced lines, column pieces and scraps.
            line = lambda: rng.choice(
                [chunk(rng, 60) + "，" + chunk(rng, 30), chunk(rng, 14), chunk(rng, 2)]
            )
        else:
            line = lambda: chunk(rng, 8)
        total = 0
        while total < size:
            text = line() + "\n"
            f.write(text)
            total += len(text.encode())
        f.write("。\n")


def run(binary, path):
    """Wall time and peak RSS (KB) of one run, from wait4's own rusage for that child."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [binary, "export", "--no-index", path], stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        sys.exit(f"kanbao failed on {path}")
    return elapsed, usage.ru_maxrss


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/kanbao"
    print(f"{'shape':<12} {'size':>6} {'time':>8} {'peak RSS':>10} {'RSS/file':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for shape in ("paragraph", "short-lines", "stack", "metadata", "list", "ocr-flow"):
            for mb in (1, 4, 16):
                path = os.path.join(tmp, f"{shape}-{mb}.txt")
                make(path, shape, mb * 1024 * 1024)
                size = os.path.getsize(path)
                elapsed, peak_kb = run(binary, path)
                print(
                    f"{shape:<12} {mb:>4}MB {elapsed:>7.2f}s {peak_kb / 1024:>8.0f}MB"
                    f" {peak_kb * 1024 / size:>8.1f}x"
                )
                os.remove(path)


if __name__ == "__main__":
    main()
