"""Small PNG charts for messages (the weekly digest's daily completion), drawn with Pillow.

Text in the picture is ASCII only (dates, percentages): Pillow's built-in font has no Japanese
glyphs and a deployment may have no Japanese font, so every Japanese word stays in the message
and the picture carries only what a picture says better — the shape of the week.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

W, H = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 40, 52
BAR = (46, 125, 50)          # green: at or above the target
LOW = (230, 120, 0)          # orange: below the target
GRID = (220, 220, 220)
INK = (40, 40, 40)
MUTED = (150, 150, 150)


@dataclass(frozen=True)
class Column:
    label: str                # e.g. "11/24 Tue" (ASCII)
    value: float | None       # 0..1, None when nothing was due that day
    note: str = ""            # under the label, e.g. "18/20"


def _font(size: int):
    return ImageFont.load_default(size=size)


def _center(draw: ImageDraw.ImageDraw, x: float, y: float, text: str, font, fill) -> None:
    w = draw.textlength(text, font=font)
    draw.text((x - w / 2, y), text, font=font, fill=fill)


def bar_chart(columns: list[Column], title: str, target: float | None = None) -> bytes:
    """A bar per column on a 0–100 % scale; columns with no value show "-". Returns PNG bytes."""
    if not columns:
        raise ValueError("a chart needs at least one column")
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    small, normal = _font(12), _font(14)
    d.text((LEFT, 12), title, font=normal, fill=INK)
    x0, x1, y0, y1 = LEFT, W - RIGHT, TOP, H - BOTTOM
    for pct in (0, 25, 50, 75, 100):
        y = y1 - (y1 - y0) * pct / 100
        d.line([(x0, y), (x1, y)], fill=GRID if pct else INK)
        label = f"{pct}%"
        d.text((x0 - 8 - d.textlength(label, font=small), y - 7), label, font=small, fill=MUTED)
    if target is not None:
        y = y1 - (y1 - y0) * target
        d.line([(x0, y), (x1, y)], fill=LOW, width=1)
    slot = (x1 - x0) / len(columns)
    bar_w = min(56.0, slot * 0.6)
    for i, c in enumerate(columns):
        cx = x0 + slot * (i + 0.5)
        if c.value is None:
            _center(d, cx, y1 - 18, "-", normal, MUTED)
        else:
            v = max(0.0, min(1.0, c.value))
            top = y1 - (y1 - y0) * v
            colour = LOW if target is not None and v < target else BAR
            if v > 0:
                d.rectangle([cx - bar_w / 2, top, cx + bar_w / 2, y1], fill=colour)
            _center(d, cx, top - 16, f"{round(v * 100)}%", small, INK)
        _center(d, cx, y1 + 6, c.label, small, INK)
        if c.note:
            _center(d, cx, y1 + 22, c.note, small, MUTED)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()
