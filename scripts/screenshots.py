#!/usr/bin/env python3
"""Screenshots of the real console: runs `switchboard demo` in tmux at 120x40, captures
the panes with their colours (tmux capture-pane -e) and renders them to PNG with Pillow.

    .venv/bin/pip install pillow && .venv/bin/python scripts/screenshots.py

Writes screenshots/console.png, help.png, event-detail.png, retry-dialog.png, sources.png and failures.png.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "e2e"))
from tmux import TmuxSession  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE16 = [(0x1d, 0x1f, 0x21), (0xcc, 0x66, 0x66), (0xb5, 0xbd, 0x68), (0xf0, 0xc6, 0x74), (0x81, 0xa2, 0xbe), (0xb2, 0x94, 0xbb),
          (0x8a, 0xbe, 0xb7), (0xc5, 0xc8, 0xc6), (0x66, 0x66, 0x66), (0xd5, 0x4e, 0x53), (0xb9, 0xca, 0x4a), (0xe7, 0xc5, 0x47),
          (0x7a, 0xa6, 0xda), (0xc3, 0x97, 0xd8), (0x70, 0xc0, 0xb1), (0xea, 0xea, 0xea)]
FG, BG = (0xd8, 0xd8, 0xd8), (0x16, 0x18, 0x1a)


def xterm256(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        levels = [0, 95, 135, 175, 215, 255]
        return (levels[n // 36], levels[(n // 6) % 6], levels[n % 6])
    gray = 8 + (n - 232) * 10
    return (gray, gray, gray)


def parse(ansi):
    """Yields rows of (char, fg, bg, bold) cells from tmux's ANSI capture."""
    rows = []
    for line in ansi.split("\n"):
        cells, fg, bg, bold, reverse = [], FG, BG, False, False
        for token in re.split(r"(\x1b\[[0-9;]*m)", line):
            if token.startswith("\x1b["):
                codes = [int(c) if c else 0 for c in token[2:-1].split(";")] or [0]
                i = 0
                while i < len(codes):
                    c = codes[i]
                    if c == 0:
                        fg, bg, bold, reverse = FG, BG, False, False
                    elif c == 1:
                        bold = True
                    elif c == 22:
                        bold = False
                    elif c == 7:
                        reverse = True
                    elif c == 27:
                        reverse = False
                    elif 30 <= c <= 37:
                        fg = BASE16[c - 30]
                    elif 90 <= c <= 97:
                        fg = BASE16[c - 90 + 8]
                    elif 40 <= c <= 47:
                        bg = BASE16[c - 40]
                    elif 100 <= c <= 107:
                        bg = BASE16[c - 100 + 8]
                    elif c == 39:
                        fg = FG
                    elif c == 49:
                        bg = BG
                    elif c in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                        if c == 38:
                            fg = xterm256(codes[i + 2])
                        else:
                            bg = xterm256(codes[i + 2])
                        i += 2
                    elif c in (38, 48) and i + 4 < len(codes) and codes[i + 1] == 2:
                        color = tuple(codes[i + 2:i + 5])
                        if c == 38:
                            fg = color
                        else:
                            bg = color
                        i += 4
                    i += 1
            else:
                for ch in token:
                    cells.append((ch, bg if reverse else fg, fg if reverse else bg, bold))
        rows.append(cells)
    return rows


def render(ansi, path, width=120, height=40):
    font_dir = "/usr/share/fonts/truetype/dejavu"
    regular = ImageFont.truetype(os.path.join(font_dir, "DejaVuSansMono.ttf"), 15)
    bold_font = ImageFont.truetype(os.path.join(font_dir, "DejaVuSansMono-Bold.ttf"), 15)
    cw, ch = 9, 19
    image = Image.new("RGB", (width * cw + 16, height * ch + 16), BG)
    draw = ImageDraw.Draw(image)
    for y, row in enumerate(parse(ansi)[:height]):
        for x, (char, fg, bg, bold) in enumerate(row[:width]):
            left, top = 8 + x * cw, 8 + y * ch
            if bg != BG:
                draw.rectangle([left, top, left + cw - 1, top + ch - 1], fill=bg)
            if char.strip():
                draw.text((left, top), char, fill=fg, font=bold_font if bold else regular)
    image.save(path)
    print(f"wrote {os.path.relpath(path, ROOT)}")


def main():
    binary = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    binary = os.path.join(binary, "switchboard")
    data = tempfile.mkdtemp(prefix="switchboard-shots-")
    out = os.path.join(ROOT, "screenshots")
    os.makedirs(out, exist_ok=True)
    port = 18000 + os.getpid() % 1000
    session = TmuxSession("sbshots", f"{binary} demo --port {port} --data-dir {data}", env={"TERM": "xterm-256color", "LANG": "C.UTF-8"})
    try:
        session.dismiss_admin_key()
        session.wait_for(lambda s: "order." in s or "invoice." in s, "demo traffic")
        time.sleep(12)
        render(session.screen(ansi=True), os.path.join(out, "console.png"))
        session.keys("?")
        render(session.screen(ansi=True), os.path.join(out, "help.png"))
        session.keys("Escape")
        session.keys("2")
        session.keys("Enter")
        time.sleep(1)
        render(session.screen(ansi=True), os.path.join(out, "event-detail.png"))
        session.keys("Escape")
        # The retry-or-replay dialog on a PARTIAL event (one delivery failed).
        session.keys("/")
        for ch in "status:partial":
            session.keys(ch)
        session.keys("Enter")
        # The demo's failing receivers make PARTIAL events within a minute.
        session.wait_for(lambda s: "PARTIAL" in s and " 0 matches" not in s, "a PARTIAL event", timeout=90)
        session.keys("j")
        session.keys("k")
        time.sleep(2)
        session.keys("r")
        time.sleep(0.8)
        render(session.screen(ansi=True), os.path.join(out, "retry-dialog.png"))
        session.keys("Escape")
        session.keys("Escape")
        session.keys("s")
        time.sleep(1)
        render(session.screen(ansi=True), os.path.join(out, "sources.png"))
        session.keys("s")
        session.keys("F")
        time.sleep(3)
        render(session.screen(ansi=True), os.path.join(out, "failures.png"))
        session.keys("q")
    finally:
        session.close()


if __name__ == "__main__":
    main()
