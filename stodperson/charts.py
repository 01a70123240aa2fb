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
    left, right, top, bottom = 44, 12, 16, 56
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
