"""The coops' section: the register's figures of the school year, as the report phrases them
("625 coopératives scolaires … soit 146 262 adhérents")."""

from __future__ import annotations

from datetime import date
from functools import partial

from occe_bureau import coops
from occe_bureau.bilan.links import ListView
from occe_bureau.bilan.papers import (
    Chart, ChartKind, Period, ReportFigure, Section, SectionKey, Unit, list_link,
)
from occe_bureau.coops import CoopKind
from occe_bureau.db import Database
from occe_bureau.formats import counted, format_date, format_int, school_year_label


def coops_section(db: Database, period: Period, previous: Period, today: date) -> Section:
    now = coops.year_figures(db, period.start_year, today)
    before = coops.year_figures(db, previous.start_year, today)

    link = partial(list_link, ListView.COOPS, period=period)

    def figure(label: str, attr: str, unit: Unit = Unit.COUNT, level: int = 0, **filters) -> ReportFigure:
        return ReportFigure(label, getattr(now, attr), getattr(before, attr), unit, level,
                            link(**filters))

    figures = [figure("Coopératives scolaires", "coops")]
    figures += [ReportFigure(kind.label, now.by_kind.get(kind, 0), before.by_kind.get(kind, 0),
                             level=1, link=link(coop_kind=kind.value))
                for kind in CoopKind if now.by_kind.get(kind) or before.by_kind.get(kind)]
    figures += [
        figure("Dans le 1er degré", "first_degree"),
        figure("Dans le 2nd degré et les établissements spécialisés", "second_degree"),
        figure("Classes", "classes"), figure("Élèves", "pupils"), figure("Adultes", "adults"),
        figure("Adhérents (élèves et adultes)", "members"),
        figure("Cotisations réglées", "cotisations_paid"),
        figure("Cotisations non réglées", "cotisations_unpaid", missing_documents=True),
        figure("Montant des cotisations reçues", "cotisations_paid_cents", Unit.CENTS),
        figure("Comptes rendus d'activités (CRA) reçus", "cra_received"),
        figure("CRA manquants", "cra_missing", missing_documents=True),
        figure("Comptes rendus financiers (CRF) reçus", "crf_received"),
        figure("CRF manquants", "crf_missing", missing_documents=True),
        figure("Contrôles de coopératives", "controls", controlled=True),
    ]
    previous_reasons = {r.text: r.count for r in before.control_reasons}
    figures += [ReportFigure(r.text, r.count, previous_reasons.get(r.text, 0), level=1,
                             link=link(controlled=True)) for r in now.control_reasons]
    kinds = [kind for kind in CoopKind if now.by_kind.get(kind) or before.by_kind.get(kind)]
    chart = Chart("coops_by_kind", "Coopératives par type d'école", ChartKind.BARS,
                  tuple(kind.label for kind in kinds), tuple(now.by_kind.get(k, 0) for k in kinds),
                  tuple(before.by_kind.get(k, 0) for k in kinds),
                  series=(school_year_label(period.start_year), school_year_label(previous.start_year)))
    note = ("" if period.is_school_year else
            f"Les coopératives sont comptées sur l'année scolaire {school_year_label(period.start_year)}, "
            "celle où commence la période.")
    return Section(SectionKey.COOPS, tuple(sentences(now)), tuple(figures), (chart,), note)


def _kinds_text(figures, kinds: list[CoopKind]) -> str:
    counts = [(kind, figures.by_kind.get(kind, 0)) for kind in kinds]
    return ", ".join(f"{format_int(n)} {kind.counted(n)}" for kind, n in counts if n)


def sentences(f) -> list[str]:
    """The report's sentences for the coops of a year."""
    managed = "gérée" if f.coops < 2 else "gérées"
    lines = [
        f"{counted(f.coops, 'coopérative scolaire', 'coopératives scolaires')} {managed} par "
        f"l'association départementale, soit {counted(f.members, 'adhérent', 'adhérents')} "
        f"({counted(f.classes, 'classe', 'classes')}, {counted(f.pupils, 'élève', 'élèves')} et "
        f"{counted(f.adults, 'adulte', 'adultes')}).",
    ]
    first = [k for k in CoopKind if k.degree == 1]
    if f.first_degree:
        lines.append(f"{counted(f.first_degree, 'coopérative scolaire', 'coopératives scolaires')} "
                     f"dans le 1er degré : {_kinds_text(f, first)}.")
    if f.second_degree:
        # "19 collèges et 1 SEGPA": a SEGPA is part of its collège
        pair = " et ".join(f"{format_int(n)} {k.counted(n)}" for k in (CoopKind.COLLEGE, CoopKind.SEGPA)
                           if (n := f.by_kind.get(k, 0)))
        rest = _kinds_text(f, [k for k in CoopKind if k.degree == 2
                               and k not in (CoopKind.COLLEGE, CoopKind.SEGPA)])
        lines.append(f"{counted(f.second_degree, 'foyer coopératif', 'foyers coopératifs')} dans le "
                     f"2nd degré et les établissements spécialisés : "
                     f"{', '.join(p for p in (pair, rest) if p)}.")
    lines.append(f"Cotisations : {counted(f.cotisations_paid, 'coopérative à jour', 'coopératives à jour')}, "
                 f"{counted(f.cotisations_unpaid, 'non réglée', 'non réglées')} ; "
                 f"{Unit.CENTS.text(f.cotisations_paid_cents)} reçus.")
    if f.documents_due:
        lines.append(f"Comptes rendus : {format_int(f.cra_received)} CRA et {format_int(f.crf_received)} "
                     f"CRF reçus ; {format_int(f.cra_missing)} CRA et {format_int(f.crf_missing)} CRF "
                     "manquants.")
    else:
        lines.append(f"Comptes rendus : attendus pour le {format_date(coops.documents_due_on(f.school_year))} "
                     f"({format_int(f.cra_received)} CRA et {format_int(f.crf_received)} CRF déjà reçus).")
    if f.controls:
        reasons = " ; ".join(r.text for r in f.control_reasons)
        lines.append(f"{counted(f.controls, 'contrôle de coopérative scolaire', 'contrôles de coopératives scolaires')}"
                     + (f" pour les motifs suivants : {reasons}." if reasons else "."))
    else:
        lines.append("Aucun contrôle de coopérative scolaire.")
    return lines

