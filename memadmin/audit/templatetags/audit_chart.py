"""The audit page's activity chart: events per day by outcome, as server-rendered SVG."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

WIDTH, HEIGHT, LABEL_HEIGHT = 700, 120, 18
OUTCOMES = ("success", "failure", "error")


@register.simple_tag
def activity_chart(activity) -> str:
    """Stacked bars, one per day; each bar's <title> says its numbers to a screen reader."""
    if not activity:
        return ""
    tallest = max((sum(counts.values()) for _, counts in activity), default=0) or 1
    slot = WIDTH / len(activity)
    bar_width = max(slot * 0.7, 1)
    plot_height = HEIGHT - LABEL_HEIGHT
    parts = []
    for index, (day, counts) in enumerate(activity):
        x = index * slot + (slot - bar_width) / 2
        bottom = plot_height
        total = sum(counts.values())
        words = ", ".join(f"{counts.get(o, 0)} {o}" for o in OUTCOMES)
        rects = []
        for outcome in OUTCOMES:
            height = counts.get(outcome, 0) / tallest * (plot_height - 4)
            if height <= 0:
                continue
            bottom -= height
            rects.append(
                (f"bar-{outcome}", f"{x:.1f}", f"{bottom:.1f}", f"{bar_width:.1f}", f"{height:.1f}")
            )
        parts.append(
            format_html(
                "<g><title>{}: {} events ({})</title>{}"
                '<rect class="bar-hit" x="{}" y="0" width="{}" height="{}"></rect>'
                '<text x="{}" y="{}" class="chart-label">{}</text></g>',
                day.isoformat(),
                total,
                words,
                format_html_join(
                    "", '<rect class="{}" x="{}" y="{}" width="{}" height="{}"></rect>', rects
                ),
                f"{x:.1f}",
                f"{bar_width:.1f}",
                plot_height,
                f"{x + bar_width / 2:.1f}",
                HEIGHT - 4,
                day.strftime("%d"),
            )
        )
    total = sum(sum(counts.values()) for _, counts in activity)
    return format_html(
        '<svg class="activity-chart" viewBox="0 0 {} {}" role="img" '
        'aria-label="Audit events per day over the last {} days: {} in all">{}</svg>',
        WIDTH,
        HEIGHT,
        len(activity),
        total,
        mark_safe("".join(parts)),  # noqa: S308 - each part was built by format_html
    )
