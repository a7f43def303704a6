"""What a monthly or annual report holds, and how it is frozen when validated."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.time import Comparison, Period, add_months, span_label
from encounters.models import ReferralOutcome, Topic
from organisations.models import Organisation
from reports import selectors
from reports.models import Report
from reports.selectors import Scope
from reports.suppression import (
    Equation,
    FindMasks,
    Key,
    Reason,
    SuppressedTable,
    find_masks,
    group_small,
    protect,
    total_key,
)
from reports.tables import Row, Table, round_to_total
from territories.models import Partner


def report_period(kind: str, start: date) -> Period:
    return Period.month(start) if kind == Report.Kind.MONTH else Period.year(start)


def federation_tables(organisations: list[Organisation], period: Period) -> list[Table]:
    """Figures across organisations: each one side by side (a row each, the whole as the
    columns' totals), then the report of them all together."""
    table = Table(
        title=_("Organisations side by side"),
        description=_("The main counts of each organisation; the totals are the whole."),
        row_header=_("Organisation"),
        columns=[str(label) for _key, label in selectors.headline_labels()],
        totals=True,
        adds_up="columns",
        kinds=["activity" if n in selectors.ACTIVITY_FIGURES else "people" for n in range(10)],
        chart_column=3,  # conversations
        name="organisations",
    )
    keys = [key for key, _label in selectors.headline_labels()]
    # The same days as the tables below (a running year stops at its last ended month).
    shown = report_comparison(period).current
    figures = [selectors.headline(Scope((o.pk,), shown)) for o in organisations]
    # Hours have fractions: rounded so that the organisations add up to the whole, which
    # the key figures below round once (1,390 beside parts of 1,389 otherwise).
    columns = [round_to_total([f[key] for f in figures]) for key in keys]
    for n, organisation in enumerate(organisations):
        table.add_row(organisation.name, [column[n] for column in columns])
    return [table, *report_tables(tuple(o.pk for o in organisations), period)]


def report_comparison(period: Period, today: date | None = None) -> Comparison:
    """What a report of ``period`` is compared with: the dashboard's one rule (a period
    still running is cut at today and compared with the same days before).

    A running year or quarter is cut at the end of its last ended month instead: its
    figures are then the sum of monthly reports already published, so that the month
    under way can never be worked out by subtracting them from the year (a small count
    masked in December's report, read as the year minus January to November)."""
    today = today or timezone.localdate()
    month_start = today.replace(day=1)
    if period.kind in ("year", "quarter") and period.start < month_start < period.end:
        months = 12 if period.kind == "year" else 3
        return Comparison(
            current=Period("custom", period.start, month_start),
            previous=Period(
                "custom", add_months(period.start, -months), add_months(month_start, -months)
            ),
            last_year=Period("custom", add_months(period.start, -12), add_months(month_start, -12)),
            running=True,
            ended_months=True,
        )
    return Comparison.of(period, today)


def compared_periods(period: Period, today: date | None = None) -> list[tuple[str, Period]]:
    """The periods a report of ``period`` sets beside it, with their column's heading, in
    the order of the key figures' columns."""
    comparison = report_comparison(period, today)
    if comparison.running:
        # The same days: "1er–2 novembre 2026", never the whole of November.
        others = [(span_label(comparison.previous), comparison.previous)]
        if comparison.last_year != comparison.previous:  # a year: the two are one
            others.append((span_label(comparison.last_year), comparison.last_year))
        return others
    if period.kind == "month":
        return [
            (_("Previous month"), comparison.previous),
            (_("Same month last year"), comparison.last_year),
        ]
    if period.kind == "quarter":
        return [
            (_("Previous quarter"), comparison.previous),
            (_("Same quarter last year"), comparison.last_year),
        ]
    return [(_("Previous year"), comparison.previous)]


def report_tables(
    organisation_ids: tuple[int, ...],
    period: Period,
    today: date | None = None,
    *,
    compare: bool = True,
) -> list[Table]:
    """The figures of a report, live from the database (without the periods compared,
    for ``compare=False``)."""
    comparison = report_comparison(period, today)
    scope = Scope(organisation_ids, comparison.current)
    others = [(label, scope.with_period(p)) for label, p in compared_periods(period, today)]
    key = selectors.key_figures_table(scope, others if compare else [])
    if comparison.running:
        key.columns[0] = span_label(comparison.current)
    return [
        key,
        selectors.signals_by_right_and_reason(scope),
        selectors.referral_funnel(scope),
        selectors.referrals_by_partner(scope),
        selectors.topics(scope),
        selectors.by_territory(scope),
        selectors.conversations_by_place(scope),
    ]


def serialize(tables: list[Table]) -> list[dict]:
    """The tables as validated: numbers, and the keys that name each row (a measure, a
    topic, a right's code, a place or a territory by id). The words (titles, headings,
    the labels of measures and topics) are written again in the reader's language when
    the report is read (``relabel``); the labels stored here are only the names that
    are data (a place, a partner as they were called that day) and a last resort for a
    table or row this version no longer knows."""
    return [
        {
            "title": t.title,
            "description": t.description,
            "row_header": t.row_header,
            "columns": list(t.columns),
            "rows": [[row.label, list(row.values), row.key] for row in t.rows],
            "totals": t.totals,
            "chart": t.chart,
            "adds_up": t.adds_up,
            "kinds": list(t.kinds),
            "rates": {str(j): k for j, k in t.rates.items()},
            "activity_rows": list(t.activity_rows),
            "chart_column": t.chart_column,
            "name": t.name,
        }
        for t in tables
    ]


# What the tables of a report are, by position, for snapshots validated before tables
# said what they count (the order of ``report_tables`` then).
_LEGACY = [
    {"name": "key", "adds_up": "none", "activity_rows": (0, 1)},
    {"name": "signals", "chart_column": "total"},
    {"name": "funnel", "adds_up": "none"},
    {"name": "partners", "chart_column": "total"},
    {"name": "topics"},
    {
        "name": "territories",
        "adds_up": "columns",
        "kinds": ["activity", "people", "people", "people"],
        "chart_column": 1,
    },
    {
        "name": "places",
        "adds_up": "columns",
        "kinds": ["people", "activity", "rate"],
        "rates": {2: 0},
        "chart_column": 2,
    },
]
_LEGACY_ROW_KEYS = {
    "key": [key for key, _label in selectors.headline_labels()],
    "funnel": ["proposed", "accepted", "done"],
}


def deserialize(data: list[dict]) -> list[Table]:
    tables = []
    for n, t in enumerate(data):
        if "name" in t:
            extra = {
                "adds_up": t["adds_up"],
                "kinds": list(t["kinds"]),
                "rates": {int(j): k for j, k in t["rates"].items()},
                "activity_rows": tuple(t["activity_rows"]),
                "chart_column": t["chart_column"],
                "name": t["name"],
            }
        else:
            extra = dict(_LEGACY[n]) if n < len(_LEGACY) else {}
        keys = _LEGACY_ROW_KEYS.get(extra.get("name", ""), [])
        rows = []
        for i, (label, values, *key) in enumerate(t["rows"]):
            legacy_key = keys[i] if i < len(keys) else ""
            rows.append(Row(label, list(values), key[0] if key else legacy_key))
        tables.append(
            Table(
                title=t["title"],
                description=t["description"],
                row_header=t["row_header"],
                columns=list(t["columns"]),
                rows=rows,
                totals=t["totals"],
                chart=t["chart"],
                **extra,
            )
        )
    return tables


# Row keys whose label is a name from the data, kept as validated (a place renamed since
# still shows under the name the report was sent with).
_DATA_KEYS = ("right:", "partner:", "territory:", "place:")


def _is_data(key: str) -> bool:
    return key.startswith(_DATA_KEYS) and key != "place:none"


def _row_words() -> dict[str, str]:
    """The labels of the rows that are words, not data, in the active language."""
    words = {key: str(label) for key, label in selectors.headline_labels()}
    words |= {f"topic:{value}": str(label) for value, label in Topic.choices}
    words |= {f"kind:{value}": str(label) for value, label in Partner.Kind.choices}
    words["place:none"] = _("No fixed place")
    return words


# Which rows of a table were stored without a key before rows had one: the words they
# may be, in any language of the site.
_UNKEYED = {"topics": "topic:", "partners": "kind:", "places": "place:none"}


def _keys_of_old_labels() -> dict[str, dict[str, str]]:
    """For each table of ``_UNKEYED``: label (in every language) -> row key."""
    found: dict[str, dict[str, str]] = {name: {} for name in _UNKEYED}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            words = _row_words()
        for name, prefix in _UNKEYED.items():
            found[name] |= {label: key for key, label in words.items() if key.startswith(prefix)}
    return found


def relabel(frozen: list[Table], live: list[Table]) -> list[Table]:
    """The validated tables with their words in the reader's language.

    The headings (title, description, row header, columns) come from the live table of
    the same name, which the report computes anyway and which has the same shape; the
    rows' labels from their keys. Names that are data stay as validated. A snapshot
    validated before rows had keys (its topics, kinds of partner and "No fixed place"
    stored as words of the validator's language) is read through those words."""
    now_by_name = {t.name: t for t in live if t.name}
    words = _row_words()
    old_labels = None
    for table in frozen:
        now = now_by_name.get(table.name)
        if now is not None:
            table.title, table.description = now.title, now.description
            table.row_header = now.row_header
            if len(now.columns) == len(table.columns):
                table.columns = list(now.columns)
            words_here = {
                row.key: row.label for row in now.rows if row.key and not _is_data(row.key)
            }
        else:
            words_here = {}
        for row in table.rows:
            key = row.key
            if not key and table.name in _UNKEYED:
                old_labels = old_labels or _keys_of_old_labels()
                key = old_labels[table.name].get(row.label, "")
            if key and not _is_data(key):
                row.label = words_here.get(key) or words.get(key) or row.label
    return frozen


@dataclass
class ReportFigures:
    tables: list[Table]
    # Titles of the tables whose live figures differ from the validated snapshot.
    changed: list[str]
    # The small-count threshold to mask them with.
    threshold: int


def report_figures(report: Report, organisation: Organisation) -> ReportFigures:
    """The figures to show: the snapshot once validated (and what changed since), with
    the small-count threshold of that moment, so that the report stays as it was sent."""
    live = report_tables((organisation.pk,), report_period(report.kind, report.start))
    if not report.is_validated:
        return ReportFigures(live, [], organisation.small_count_threshold)
    frozen = relabel(deserialize(report.snapshot), live)
    # Compare the numbers, table by table and row by row, not the labels: a place may
    # have been renamed since.
    changed = [
        before.title
        for before, now in zip(frozen, live, strict=False)
        if [row.values for row in before.rows] != [row.values for row in now.rows]
    ]
    threshold = report.snapshot_threshold or organisation.small_count_threshold
    return ReportFigures(frozen, changed, threshold)


def _others_labels(name: str) -> tuple[str, str] | None:
    """The row small categories are gathered into: "Other rights", or "All rights" when
    every right was small."""
    return {
        "signals": (_("Other rights"), _("All rights")),
        "partners": (_("Other partners"), _("All partners")),
        "places": (_("Other places"), _("All places")),
        "territories": (_("Other territories"), _("All territories")),
        "topics": (_("Other topics"), _("All topics")),
    }.get(name)


def report_links(tables: list[Table]) -> list[Equation]:
    """The counts a report publishes in several tables, as equations between them
    (members keyed by table index): the month's encounters are the key figures'
    conversations plus on-site help, the first-time plus the already-met, the places'
    total and the territories'; its signals and referrals are a key figure, a table's
    total and a column of the territories; the funnel's steps are columns of the
    partners' table."""
    at = {t.name: n for n, t in enumerate(tables) if t.name}

    def member(name: str, key: tuple | None) -> tuple | None:
        return None if name not in at or key is None else (at[name], *key)

    def cell(name: str, row: str, column: int = 0) -> tuple | None:
        if name not in at:
            return None
        i = tables[at[name]].row_index(row)
        return None if i is None else (at[name], "cell", i, column)

    def total(name: str, column: int | None = None) -> tuple | None:
        return member(name, total_key(tables[at[name]], column)) if name in at else None

    links: list[Equation] = []

    def link(whole, *parts) -> None:
        if whole is not None and all(p is not None for p in parts):
            links.append(Equation(whole, tuple(parts)))

    encounters = total("places", 0)
    link(encounters, cell("key", "conversations"), cell("key", "on_site_help"))
    link(encounters, cell("key", "first_time"), cell("key", "already_met"))
    link(encounters, total("territories", 1))
    signals = total("signals")
    link(cell("key", "signals"), signals)
    link(signals, total("territories", 2))
    referrals = cell("funnel", "proposed")
    link(cell("key", "referrals"), referrals)
    link(referrals, total("partners"))
    link(referrals, total("territories", 3))
    if "partners" in at:
        accepted = ReferralOutcome.values.index(ReferralOutcome.ACCEPTED)
        done = ReferralOutcome.values.index(ReferralOutcome.DONE)
        link(cell("funnel", "done"), total("partners", done))
        link(cell("funnel", "accepted"), total("partners", accepted), total("partners", done))
    # Figures across organisations: the whole is the sum of the organisations.
    if "organisations" in at and "key" in at:
        for j, (name, _label) in enumerate(selectors.headline_labels()):
            link(cell("key", name), total("organisations", j))
    # Each period of the key figures: conversations + on-site help = first + already met.
    if "key" in at:
        key = tables[at["key"]]
        rows = [key.row_index(k) for k in ("conversations", "on_site_help", "first_time")]
        already = key.row_index("already_met")
        if None not in rows and already is not None:
            conv, onsite, first = rows
            t = at["key"]
            for j in range(len(key.columns)):
                links.append(
                    Equation(
                        (t, "cell", conv, j),
                        ((t, "cell", first, j), (t, "cell", already, j)),
                        also=((t, "cell", onsite, j),),
                    )
                )
    return links


# What an output already published makes of a figure of another one (see
# reports.publication): the figures to show as they are, and the marks to keep.
Marks = Callable[[list[Table]], tuple[frozenset[Key], dict[Key, Reason]]]


def for_outsiders(
    tables: list[Table],
    threshold: int,
    marks: Marks | None = None,
    masks: FindMasks = find_masks,
) -> list[SuppressedTable]:
    """The report's tables with small counts masked across all of them: small categories
    gathered first, then every count published twice protected in both places. ``marks``
    gives, for the gathered tables, the figures other outputs already publish (shown
    there: shown here, never a complement; masked there: masked here; see ``protect``)."""
    grouped = [
        group_small(t, threshold, *labels) if (labels := _others_labels(t.name)) else t
        for t in tables
    ]
    public, fixed = marks(grouped) if marks else (frozenset(), {})
    return protect(grouped, threshold, report_links(grouped), public, fixed, masks)


def federation_threshold(organisations: list[Organisation]) -> int:
    """The small-count threshold of figures across several organisations: the strictest
    of theirs, so that no member organisation's rule is weakened by the others'."""
    return max(o.small_count_threshold for o in organisations)
