"""The gifts section: the gifts received, split by where they came from (the coops' requests, the
crowdfunding platform), the receipts issued, and the yearly declaration's figures, as the report
writes them ("508 demandes … pour un total de 150 859 € et 166 demandes via la plateforme …")."""

from __future__ import annotations

from functools import partial

from occe_bureau import gifts
from occe_bureau.bilan.links import ListView
from occe_bureau.bilan.papers import (
    Chart, ChartKind, Period, ReportFigure, Section, SectionKey, Unit, list_link, month_label,
)
from occe_bureau.db import Database
from occe_bureau.formats import counted
from occe_bureau.gifts import GiftSource

SOURCE_LABELS = {
    GiftSource.COOP: "Demandes des coopératives",
    GiftSource.PLATEFORME: "Via la Trousse à projets (plateforme)",
    GiftSource.AUTRE: "Autres dons",
}


def gifts_section(db: Database, period: Period, previous: Period) -> Section:
    now = gifts.period_figures(db, period.start, period.end)
    before = gifts.period_figures(db, previous.start, previous.end)

    link = partial(list_link, period=period)

    figures = [
        ReportFigure("Dons reçus", now.gifts, before.gifts, link=link(ListView.DONATIONS)),
        ReportFigure("Montant des dons", now.amount_cents, before.amount_cents, Unit.CENTS,
                     link=link(ListView.DONATIONS)),
    ]
    for source in GiftSource:
        s, b = now.source(source), before.source(source)
        if s.gifts or b.gifts:
            figures += [
                ReportFigure(SOURCE_LABELS[source], s.gifts, b.gifts, level=1,
                             link=link(ListView.DONATIONS, source=source.value)),
                ReportFigure(f"{SOURCE_LABELS[source]} : montant", s.amount_cents, b.amount_cents,
                             Unit.CENTS, 1, link(ListView.DONATIONS, source=source.value)),
            ]
    figures += [
        ReportFigure("Reçus fiscaux émis", now.receipts, before.receipts, link=link(ListView.RECEIPTS)),
        ReportFigure("Montant des reçus émis", now.receipts_cents, before.receipts_cents, Unit.CENTS,
                     link=link(ListView.RECEIPTS)),
        ReportFigure("Reçus annulés et remplacés", now.cancelled, before.cancelled, level=1,
                     link=link(ListView.RECEIPTS)),
        ReportFigure("Dons en attente de reçu", now.pending, before.pending,
                     link=link(ListView.DONATIONS)),
    ]
    lines = [_requests_line(now)]
    lines.append(f"{counted(now.receipts, 'reçu fiscal émis', 'reçus fiscaux émis')} pour "
                 f"{Unit.CENTS.text(now.receipts_cents)}"
                 + (f", {counted(now.pending, 'don', 'dons')} en attente de reçu." if now.pending else "."))
    note = ""
    if period.is_school_year and gifts.financial_year_start(db) == (1, 9):
        declared = gifts.declared_figures(db, period.start_year)
        declared_before = gifts.declared_figures(db, previous.start_year)
        figures += [
            ReportFigure("Déclaration 222 bis : reçus émis", declared.count, declared_before.count),
            ReportFigure("Déclaration 222 bis : montant des dons", declared.total_cents,
                         declared_before.total_cents, Unit.CENTS),
        ]
        lines.append(f"Déclaration annuelle (article 222 bis du CGI), exercice {declared.label} : "
                     f"{counted(declared.count, 'reçu', 'reçus')} pour "
                     f"{Unit.CENTS.text(declared.total_cents)} de dons.")
    else:
        note = ("La déclaration de l'article 222 bis porte sur un exercice entier : elle figure au "
                "bilan d'une année scolaire quand l'exercice de l'association est l'année scolaire.")
    months_before = [m.amount_cents for m in before.per_month]
    long = len(now.per_month) > 12
    chart = Chart("gifts_per_month", "Dons reçus par mois (montant)", ChartKind.MONTHS,
                  tuple(month_label(m.month, with_year=long) for m in now.per_month),
                  tuple(m.amount_cents for m in now.per_month),
                  tuple(months_before[:len(now.per_month)])
                  + (0,) * (len(now.per_month) - len(months_before)), Unit.CENTS,
                  series=(period.short_label, previous.short_label))
    return Section(SectionKey.GIFTS, tuple(lines), tuple(figures), (chart,), note)


def _requests_line(f) -> str:
    coop, platform = f.source(GiftSource.COOP), f.source(GiftSource.PLATEFORME)
    line = (f"Reçus pour dons : {counted(coop.gifts, 'demande transmise', 'demandes transmises')} par "
            f"les coopératives scolaires pour un total de {Unit.CENTS.text(coop.amount_cents)}")
    if platform.gifts:
        line += (f" et {counted(platform.gifts, 'demande', 'demandes')} via la plateforme de la "
                 f"Trousse à projets pour un total de {Unit.CENTS.text(platform.amount_cents)}")
    other = f.source(GiftSource.AUTRE)
    if other.gifts:
        line += f", {counted(other.gifts, 'autre don', 'autres dons')} pour {Unit.CENTS.text(other.amount_cents)}"
    return line + "."
