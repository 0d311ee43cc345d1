"""Server-side SVG charts, readable without colour: every series has its own marker
shape and a text label, lines are dark on light, and each chart has a title and a
description for screen readers. Pages put a data table beside each chart.

- ``pain_chart_svg(series)``: pain over time, procedures as labelled dashed lines
  with a triangle, rehab phases as labelled bands; patient entries are circles,
  clinician entries squares.
- ``psfs_chart_svg(goals)``: the PSFS per activity, one marker shape each.
- ``share_bars_svg(rows)``: horizontal bars with their percentages written on them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape

from django.utils.safestring import SafeString, mark_safe

from facetcare.outcomes.selectors import GoalSeries, PainSeries

SHAPES = ("circle", "square", "triangle", "diamond", "cross")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2")


@dataclass(frozen=True)
class Frame:
    width: int
    height: int
    left: int = 44
    right: int = 16
    top: int = 28
    bottom: int = 36

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom


def el(tag: str, text: str | None = None, **attrs: object) -> str:
    """One SVG element; attribute names use ``_`` for ``-``, values and text escaped."""
    names = " ".join(
        f'{name.rstrip("_").replace("_", "-")}="{escape(_fmt(value))}"'
        for name, value in attrs.items()
    )
    if text is None:
        return f"<{tag} {names}/>"
    return f"<{tag} {names}>{escape(text)}</{tag}>"


def _fmt(value: object) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _svg(frame: Frame, title: str, description: str, body: list[str], slug: str) -> SafeString:
    head = (
        f'<svg class="chart" viewBox="0 0 {frame.width} {frame.height}" role="img" '
        f'aria-labelledby="{slug}-title {slug}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{slug}-title">{escape(title)}</title>'
        f'<desc id="{slug}-desc">{escape(description)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # every text and attribute is escaped (el)


def _points(*pairs: tuple[float, float]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in pairs)


def marker(shape: str, x: float, y: float, css: str = "marker", size: float = 4.5) -> str:
    """A data point drawn as ``shape`` (circle, square, triangle, diamond, cross)."""
    big = size + 1
    if shape == "square":
        side = 2 * size
        return el("rect", class_=css, x=x - size, y=y - size, width=side, height=side)
    if shape == "triangle":
        corners = _points((x, y - big), (x - big, y + size), (x + big, y + size))
        return el("polygon", class_=css, points=corners)
    if shape == "diamond":
        corners = _points((x, y - big), (x + big, y), (x, y + big), (x - big, y))
        return el("polygon", class_=css, points=corners)
    if shape == "cross":
        a, b = _points((x - size, y - size), (x + size, y + size)).split()
        c, d = _points((x - size, y + size), (x + size, y - size)).split()
        return el("path", class_=f"{css} cross", d=f"M{a} L{b} M{c} L{d}")
    return el("circle", class_=css, cx=x, cy=y, r=size)


def _y_axis(frame: Frame, top_value: int, step: int) -> list[str]:
    parts = []
    for value in range(0, top_value + 1, step):
        y = frame.top + frame.plot_height * (1 - value / top_value)
        right = frame.width - frame.right
        parts.append(el("line", class_="grid", x1=frame.left, x2=right, y1=y, y2=y))
        parts.append(
            el("text", str(value), class_="tick", x=frame.left - 6, y=y + 4, text_anchor="end")
        )
    return parts


def _line(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(points))


class _Days:
    """Maps local dates to x positions across the plot."""

    def __init__(self, frame: Frame, first: date, last: date) -> None:
        self.frame, self.first = frame, first
        self.span = max((last - first).days, 1)

    def x(self, when: date | datetime) -> float:
        day = when.date() if isinstance(when, datetime) else when
        fraction = 0.0
        if isinstance(when, datetime):
            fraction = (when.hour * 60 + when.minute) / 1440
        return self.frame.left + self.frame.plot_width * ((day - self.first).days + fraction) / (
            self.span + 1
        )

    def ticks(self) -> list[str]:
        count = min(6, self.span + 1)
        parts = []
        for index in range(count):
            day = date.fromordinal(
                self.first.toordinal() + round(index * self.span / max(count - 1, 1))
            )
            x = self.x(day)
            y = self.frame.height - self.frame.bottom + 16
            parts.append(
                f'<text class="tick" x="{x:.1f}" y="{y}" text-anchor="middle">{day:%d %b}</text>'
            )
        return parts


def _empty(frame: Frame, title: str, slug: str) -> SafeString:
    text = el(
        "text",
        "No scores recorded yet",
        class_="empty",
        x=frame.width / 2,
        y=frame.height / 2,
        text_anchor="middle",
    )
    return _svg(frame, title, "No scores recorded yet.", [text], slug)


def pain_chart_svg(series: PainSeries, *, width: int = 720, height: int = 300) -> SafeString:
    """Pain over time (see the module docstring)."""
    frame = Frame(width, height)
    title = f"Pain over time ({series.scale})"
    dates = [p.local.date() for p in series.points] + [m.local_date for m in series.procedures]
    if not series.points:
        return _empty(frame, title, "pain")
    days = _Days(frame, min(dates), max(dates))
    top_value = 100 if series.scale == "VAS-100" else 10
    body = _y_axis(frame, top_value, top_value // 5)
    for band in series.phases:
        x1 = max(days.x(band.starts_on), frame.left)
        x2 = min(
            days.x(band.ends_on) if band.ends_on else frame.width - frame.right,
            frame.width - frame.right,
        )
        if x2 > x1:
            bottom = frame.top + frame.plot_height
            body.append(
                el(
                    "rect",
                    class_="phase",
                    x=x1,
                    y=frame.top,
                    width=x2 - x1,
                    height=frame.plot_height,
                )
            )
            body.append(el("text", band.label, class_="phase-label", x=x1 + 4, y=bottom - 6))
    for mark in series.procedures:
        x = days.x(mark.local_date)
        bottom = frame.top + frame.plot_height
        body.append(el("line", class_="procedure", x1=x, x2=x, y1=frame.top, y2=bottom))
        body.append(marker("triangle", x, frame.top - 8, "procedure-marker", 5))
        body.append(el("text", mark.label, class_="procedure-label", x=x + 8, y=frame.top - 4))
    same = [p for p in series.points if p.scale == series.scale]

    def y(value: int) -> float:
        return frame.top + frame.plot_height * (1 - value / top_value)

    path = " ".join(
        f"{'M' if i == 0 else 'L'}{days.x(p.local):.1f},{y(p.value):.1f}"
        for i, p in enumerate(same)
    )
    body.append(f'<path class="line" d="{path}"/>')
    body += [
        marker("square" if p.source == "clinician" else "circle", days.x(p.local), y(p.value))
        for p in same
    ]
    body += days.ticks()
    low, high = min(p.value for p in same), max(p.value for p in same)
    description = (
        f"{len(same)} pain scores from {same[0].local:%d %B %Y} to {same[-1].local:%d %B %Y}, "
        f"between {low} and {high} out of {top_value}; {len(series.procedures)} procedures marked."
    )
    return _svg(frame, title, description, body, "pain")


def psfs_chart_svg(
    goals: Sequence[GoalSeries], *, width: int = 720, height: int = 260
) -> SafeString:
    """The PSFS per activity: 0 cannot do it, 10 as well as before the problem."""
    frame = Frame(width, height, right=16)
    title = "Patient-Specific Functional Scale by activity"
    stamps = [when for goal in goals for when, _ in goal.points]
    if not stamps:
        return _empty(frame, title, "psfs")
    days = _Days(frame, min(stamps).date(), max(stamps).date())
    body = _y_axis(frame, 10, 2)
    described = []
    for index, goal in enumerate(goals):
        shape, dash = SHAPES[index % len(SHAPES)], DASHES[index % len(DASHES)]
        points = [
            (days.x(when), frame.top + frame.plot_height * (1 - value / 10))
            for when, value in goal.points
        ]
        path = " ".join(
            f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(points)
        )
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(f'<path class="line goal-line"{dash_attr} d="{path}"/>')
        body += [marker(shape, x, y, "marker goal-marker") for x, y in points]
        last_x, last_y = points[-1]
        label = goal.goal if len(goal.goal) <= 32 else goal.goal[:31] + "…"
        anchor = "end" if last_x > frame.width * 0.6 else "start"
        shift = -8 if anchor == "end" else 8
        body.append(
            el(
                "text",
                label,
                class_="goal-label",
                x=last_x + shift,
                y=last_y - 8,
                text_anchor=anchor,
            )
        )
        described.append(f"{goal.goal}: {', '.join(str(v) for _, v in goal.points)}")
    body += days.ticks()
    return _svg(frame, title, "; ".join(described) + ".", body, "psfs")


@dataclass(frozen=True)
class Bar:
    label: str
    share: float | None  # 0-1, None when nobody counts
    detail: str


def share_bars_svg(bars: Sequence[Bar], *, title: str, slug: str, width: int = 560) -> SafeString:
    """Horizontal bars, the percentage written on each; hatching tells them apart."""
    row = 34
    frame = Frame(width, 20 + row * len(bars), left=170, right=60, top=10, bottom=10)
    body = []
    for index, bar in enumerate(bars):
        y = frame.top + index * row
        share = bar.share or 0.0
        length = frame.plot_width * share
        css = "bar" if index % 2 == 0 else "bar bar-hatched"
        text = "no data" if bar.share is None else f"{share * 100:.0f}%"
        body += [
            el(
                "text", bar.label, class_="bar-label", x=frame.left - 8, y=y + 17, text_anchor="end"
            ),
            el(
                "rect", class_="bar-track", x=frame.left, y=y + 4, width=frame.plot_width, height=18
            ),
            el("rect", class_=css, x=frame.left, y=y + 4, width=length, height=18),
            el("text", text, class_="bar-value", x=frame.left + length + 6, y=y + 17),
        ]
    description = "; ".join(f"{bar.label}: {bar.detail}" for bar in bars)
    return _svg(frame, title, description, body, slug)
