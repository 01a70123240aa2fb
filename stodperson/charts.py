"""Small SVG charts rendered on the server: the same code draws the dashboard and the PDF
report (WeasyPrint renders inline SVG), so no JavaScript and no external files are needed."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

# Colours with at least 3:1 contrast against white (WCAG 2.1, 1.4.11), told apart by
# marker shape and dash as well, not by colour alone.
PALETTE = [("#0b5394", "circle", ""), ("#a33a00", "square", "6 3"), ("#2e7d32", "diamond", "2 3")]


@dataclass
class Series:
    name: str
    values: list[float | None]


def line_chart(
    *,
    title: str,
    labels: list[str],
    series: list[Series],
    max_value: float = 100.0,
    unit: str = "%",
    width: int = 640,
    height: int = 260,
    chart_id: str = "chart",
) -> SafeString:
    """A line chart with a y axis from 0 to max_value; None values leave a gap."""
    # Room on the right for the last x label, which is centred on the last point.
    left, right, top, bottom = 44, 24, 16, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(len(labels), 1)

    def x(i: int) -> float:
        return left + (plot_w * i / (count - 1) if count > 1 else plot_w / 2)

    def y(value: float) -> float:
        return top + plot_h * (1 - min(max(value, 0), max_value) / max_value)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title" class="chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    for step in range(0, 5):
        value = max_value * step / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="#d0d0d0" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#333">{value:.0f}{escape(unit)}</text>'
        )
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" font-size="11" text-anchor="middle" '
            f'fill="#333">{escape(label)}</text>'
        )
    for index, line in enumerate(series):
        colour, marker, dash = PALETTE[index % len(PALETTE)]
        segments: list[list[tuple[float, float]]] = [[]]
        for i, point in enumerate(line.values):
            if point is None:
                segments.append([])
            else:
                segments[-1].append((x(i), y(point)))
        for segment in segments:
            if len(segment) > 1:
                points = " ".join(f"{px:.1f},{py:.1f}" for px, py in segment)
                dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                parts.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dash_attr}/>'
                )
            for px, py in segment:
                parts.append(_marker(marker, px, py, colour))
        legend_x = left + index * (plot_w / max(len(series), 1))
        legend_y = height - 12
        parts.append(_marker(marker, legend_x + 5, legend_y - 4, colour))
        parts.append(
            f'<text x="{legend_x + 14:.1f}" y="{legend_y}" font-size="12" fill="#222">'
            f"{escape(line.name)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _marker(kind: str, px: float, py: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{px - 3.5:.1f}" y="{py - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if kind == "diamond":
        return (
            f'<polygon points="{px:.1f},{py - 4.5:.1f} {px + 4.5:.1f},{py:.1f} '
            f'{px:.1f},{py + 4.5:.1f} {px - 4.5:.1f},{py:.1f}" fill="{colour}"/>'
        )
    return f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}"/>'


def bar_chart(
    *,
    title: str,
    labels: list[str],
    series: list[Series],
    max_value: float | None = None,
    unit: str = "",
    width: int = 640,
    height: int = 260,
    chart_id: str = "chart",
) -> SafeString:
    """Grouped bars, one group per label and one bar per series; each bar carries its value
    (so no reading depends on colour), and None leaves the bar out. The y axis runs from 0
    to max_value, or to a round number above the largest value."""
    left, right, top, bottom = 44, 12, 20, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for line in series for v in line.values if v is not None]
    top_value = max_value if max_value is not None else _nice_ceiling(max(values, default=0))
    groups = max(len(labels), 1)
    group_w = plot_w / groups
    bar_w = min(group_w * 0.8 / max(len(series), 1), 48)

    def y(value: float) -> float:
        return top + plot_h * (1 - min(max(value, 0), top_value) / top_value)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title" class="chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    for step in range(0, 5):
        value = top_value * step / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="#d0d0d0" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#333">{_number(value)}{escape(unit)}</text>'
        )
    for i, label in enumerate(labels):
        centre = left + group_w * (i + 0.5)
        parts.append(
            f'<text x="{centre:.1f}" y="{top + plot_h + 16}" font-size="11" '
            f'text-anchor="middle" fill="#333">{escape(label)}</text>'
        )
        start = centre - bar_w * len(series) / 2
        for index, line in enumerate(series):
            point = line.values[i] if i < len(line.values) else None
            if point is None:
                continue
            colour = PALETTE[index % len(PALETTE)][0]
            bar_x, bar_y = start + index * bar_w, y(point)
            parts.append(
                f'<rect x="{bar_x + 1:.1f}" y="{bar_y:.1f}" width="{bar_w - 2:.1f}" '
                f'height="{top + plot_h - bar_y:.1f}" fill="{colour}"/>'
                f'<text x="{bar_x + bar_w / 2:.1f}" y="{bar_y - 3:.1f}" font-size="10" '
                f'text-anchor="middle" fill="#222">{_number(point)}</text>'
            )
    for index, line in enumerate(series):
        colour = PALETTE[index % len(PALETTE)][0]
        legend_x = left + index * (plot_w / max(len(series), 1))
        legend_y = height - 12
        parts.append(
            f'<rect x="{legend_x:.1f}" y="{legend_y - 9}" width="10" height="10" '
            f'fill="{colour}"/>'
            f'<text x="{legend_x + 14:.1f}" y="{legend_y}" font-size="12" fill="#222">'
            f"{escape(line.name)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


_STEPS = sorted(
    {
        int(m * 10**k)
        for k in range(9)
        for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 8)
        if float(m * 10**k).is_integer()
    }
)


def _nice_ceiling(value: float) -> float:
    """A top for the y axis that its four grid steps divide into whole numbers: 4, 8, 12,
    16, 20, 40, 60, 100 …"""
    step = next((s for s in _STEPS if 4 * s >= value), _STEPS[-1])
    return float(4 * step)


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}".replace(".", ",")
