"""Charts drawn at build time as inline SVG: no script, no library, no request to any host.

Each chart is a horizontal bar chart with a <title> and a <desc> that says in words what
the bars show, every bar labelled with its value, and series told apart by a pattern as
well as a colour (colour is never the only cue). The page always puts the data table
beside the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

from generator.corpus.fmt import wan
from generator.site.summaries import UnitSummary

WIDTH = 640
LABEL_W = 200  # left column with "2022年 项目预算"
VALUE_W = 110  # room after the longest bar for its value
BAR_H = 22
GAP = 8
GROUP_GAP = 14
LEGEND_H = 30


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    css: str  # class giving the fill; the pattern below tells series apart without colour


UNIT_SERIES = (
    Series("project_budget", "项目预算", "gk-bar-a"),
    Series("spending", "支出合计（自评）", "gk-bar-b"),
)


def bar_chart(
    chart_id: str,
    title: str,
    groups: Sequence[tuple[str, Sequence[Decimal | None]]],
    series: Sequence[Series],
) -> Markup:
    """groups: (group label, one value per series, None for none). Values in 元, shown in 万元."""
    values = [v for _, vs in groups for v in vs if v is not None]
    peak = max(values, default=Decimal(0)) or Decimal(1)
    bar_area = WIDTH - LABEL_W - VALUE_W
    rows = [(g, s, v) for g, vs in groups for s, v in zip(series, vs, strict=True) if v is not None]
    height = LEGEND_H + len(rows) * (BAR_H + GAP) + len(groups) * GROUP_GAP
    desc = "；".join(f"{g}{s.label} {wan(v)} 万元" for g, s, v in rows) or "无数据"

    parts = [
        f'<svg class="gk-chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'viewBox="0 0 {WIDTH} {height}" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}。</desc>',
        "<defs>",
        f'<pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" class="gk-bar-b"/>'
        '<line x1="0" y1="0" x2="0" y2="6" class="gk-hatch"/></pattern>',
        "</defs>",
    ]
    x = 0
    for i, s in enumerate(series):
        fill = f' style="fill: url(#{chart_id}-hatch)"' if i % 2 else ""
        parts.append(f'<rect x="{x}" y="6" width="16" height="16" class="{s.css}"{fill}/>')
        parts.append(f'<text x="{x + 22}" y="19" class="gk-chart-legend">{escape(s.label)}</text>')
        x += 22 + 14 * len(s.label) + 30
    y = LEGEND_H
    for label, vs in groups:
        y += GROUP_GAP
        for i, (s, v) in enumerate(zip(series, vs, strict=True)):
            if v is None:
                continue
            w = max(1, round(float(v / peak) * bar_area))  # geometry only; labels use exact text
            fill = f' style="fill: url(#{chart_id}-hatch)"' if i % 2 else ""
            parts.append(f'<text x="0" y="{y + 16}" class="gk-chart-label">{escape(label)} {escape(s.label)}</text>')
            parts.append(f'<rect x="{LABEL_W}" y="{y}" width="{w}" height="{BAR_H}" class="{s.css}"{fill}/>')
            parts.append(f'<text x="{LABEL_W + w + 6}" y="{y + 16}" class="gk-chart-value">{wan(v)} 万元</text>')
            y += BAR_H + GAP
    parts.append("</svg>")
    return Markup("\n".join(parts))


def unit_chart(us: UnitSummary, name: str | None = None) -> Markup:
    """The budget chart of a unit page: project budget and self-evaluated spending by year.

    `name` is the unit's name as the page shows it (masked under 隐私脱敏); default its own.
    """
    groups = [(f"{row.year}年", [row.figures.get(s.key) for s in UNIT_SERIES]) for row in us.years]
    title = name if name is not None else us.unit.name
    return bar_chart("gk-chart-unit", f"{title}各年度预算与支出（万元）", groups, UNIT_SERIES)
