"""The figures: rollups kept exact by the writers (entry points in ``reports.counters``),
one selector per figure, the dashboard and its SVG charts, small-count protection,
monthly and annual reports, exports, the federation view.

Stands on every domain app below it; only ``demo`` stands on it.
"""
