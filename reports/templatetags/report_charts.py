"""Template filters for chart sections: the heading that names a chart's measure."""

from __future__ import annotations

from django import template

from reports.charts import chart_heading as _chart_heading

register = template.Library()


@register.filter
def chart_heading(table) -> str:
    """``{{ section.table|chart_heading }}``: "Encounters by territory", not "By territory"."""
    return _chart_heading(table)
