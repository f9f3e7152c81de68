"""Demo coops: the kinds and figures of the OCCE 92 report (625 coops, 146 262 adhérents)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert, select

from occe_bureau.db import Database
from occe_bureau.formats import fold, school_year_of
from occe_bureau.association.models import Association
from occe_bureau.coops.models import Coop, CoopKind, CoopYear
from occe_bureau.paths import ressources_dir
from occe_bureau.coops import uai_check_letter
from occe_bureau import clock

# OCCE 92, annual report: 625 coops (268 maternelles, 249 élémentaires, 71 primaires,
# 19 collèges, 1 SEGPA, 5 lycées, 12 établissements spécialisés), 6 198 classes,
# 139 039 pupils and 7 223 adults.
KIND_COUNTS = {
    CoopKind.MATERNELLE: 268, CoopKind.ELEMENTAIRE: 249, CoopKind.PRIMAIRE: 71,
    CoopKind.COLLEGE: 19, CoopKind.SEGPA: 1, CoopKind.LYCEE: 5, CoopKind.SPECIALISE: 12,
}
REPORT_CLASSES, REPORT_PUPILS, REPORT_ADULTS = 6198, 139_039, 7223
COTISATION_PER_MEMBER_CENTS = 190

COMMUNES = [
    ("Antony", "92160"), ("Asnières-sur-Seine", "92600"), ("Bagneux", "92220"),
    ("Bois-Colombes", "92270"), ("Boulogne-Billancourt", "92100"), ("Bourg-la-Reine", "92340"),
    ("Châtenay-Malabry", "92290"), ("Châtillon", "92320"), ("Chaville", "92370"),
    ("Clamart", "92140"), ("Clichy", "92110"), ("Colombes", "92700"), ("Courbevoie", "92400"),
    ("Fontenay-aux-Roses", "92260"), ("Garches", "92380"), ("Gennevilliers", "92230"),
    ("Issy-les-Moulineaux", "92130"), ("La Garenne-Colombes", "92250"),
    ("Le Plessis-Robinson", "92350"), ("Levallois-Perret", "92300"), ("Malakoff", "92240"),
    ("Marnes-la-Coquette", "92430"), ("Meudon", "92190"), ("Montrouge", "92120"),
    ("Nanterre", "92000"), ("Neuilly-sur-Seine", "92200"), ("Puteaux", "92800"),
    ("Rueil-Malmaison", "92500"), ("Saint-Cloud", "92210"), ("Sceaux", "92330"),
    ("Sèvres", "92310"), ("Suresnes", "92150"), ("Vanves", "92170"), ("Vaucresson", "92420"),
    ("Ville-d'Avray", "92410"), ("Villeneuve-la-Garenne", "92390"),
]
# Larger towns weigh more in the draw.
COMMUNE_WEIGHTS = [6, 7, 3, 2, 10, 2, 3, 3, 2, 4, 5, 7, 7, 2, 1, 4, 5, 2, 2, 5, 3, 1, 4, 4,
                   8, 5, 4, 6, 2, 2, 2, 4, 2, 1, 1, 2]
BIG_TOWNS = {"Boulogne-Billancourt", "Nanterre", "Colombes", "Asnières-sur-Seine", "Courbevoie",
             "Rueil-Malmaison", "Antony"}

NAMESAKES = [
    "Jules Ferry", "Jean Jaurès", "Louise Michel", "Victor Hugo", "Paul Bert", "Jean Moulin",
    "Marie Curie", "Pasteur", "Anatole France", "Jacques Prévert", "George Sand", "Condorcet",
    "Les Tilleuls", "Les Marronniers", "Le Petit Prince", "Robert Desnos", "Paul Éluard",
    "Simone Veil", "Lucie Aubrac", "Joliot-Curie", "Voltaire", "Descartes", "La Fontaine",
    "Saint-Exupéry", "Henri Wallon", "Paul Langevin", "Molière", "Rabelais", "Charles Perrault",
    "Les Cigognes", "Les Bruyères", "Le Parc", "La Roseraie", "Pierre Brossolette",
    "Joséphine Baker", "Olympe de Gouges", "Gisèle Halimi", "Albert Camus", "Édouard Herriot",
    "Jean Zay", "Françoise Dolto", "Maria Montessori", "Célestin Freinet", "Les Acacias",
    "Les Glycines", "Émile Zola", "Aimé Césaire", "Rosa Parks", "Nelson Mandela", "Arc-en-ciel",
]
STREETS = ["rue", "avenue", "boulevard", "allée", "place", "chemin"]
STREET_NAMES = ["de la République", "Gabriel Péri", "du Général Leclerc", "des Écoles",
                "Jean Jaurès", "de Verdun", "du 8 Mai 1945", "Victor Hugo", "des Lilas",
                "du Moulin", "de la Gare", "Pasteur", "Anatole France", "des Peupliers"]
FIRST_NAMES = ["Nathalie", "Isabelle", "Sylvie", "Catherine", "Sandrine", "Céline", "Julie",
               "Aurélie", "Émilie", "Claire", "Sophie", "Camille", "Léa", "Manon", "Inès",
               "Thomas", "Nicolas", "Julien", "Mathieu", "Sébastien", "Karim", "Mehdi", "Yann",
               "François", "Hélène", "Agnès", "Nadia", "Fatou", "Chloé", "Pauline", "Amandine"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
              "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David",
              "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier",
              "Benali", "Traoré", "Nguyen", "Kowalski", "Da Silva", "Haddad", "Lemaire", "Faure"]
KIND_PREFIX = {
    CoopKind.MATERNELLE: "École maternelle", CoopKind.ELEMENTAIRE: "École élémentaire",
    CoopKind.PRIMAIRE: "École primaire", CoopKind.COLLEGE: "Foyer coopératif du collège",
    CoopKind.SEGPA: "SEGPA du collège", CoopKind.LYCEE: "Foyer coopératif du lycée",
    CoopKind.SPECIALISE: "IME",
}
# Classes per coop by kind, for the draw before totals are fitted to the report.
CLASS_RANGE = {
    CoopKind.MATERNELLE: (3, 8), CoopKind.ELEMENTAIRE: (6, 16), CoopKind.PRIMAIRE: (4, 12),
    CoopKind.COLLEGE: (16, 28), CoopKind.SEGPA: (4, 4), CoopKind.LYCEE: (20, 34),
    CoopKind.SPECIALISE: (2, 6),
}
DEPARTEMENT = "092"


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _email(name: str, rng: random.Random) -> str:
    first, last = fold(name).replace(" ", "-").split("-", 1)
    return f"{first}.{last.replace('-', '')}@ac-versailles.fr"


def fit_to_total(values: list[int], total: int, rng: random.Random, minimum: int = 0) -> list[int]:
    """Scale values so that they add up exactly to total (largest remainders)."""
    current = sum(values) or 1
    raw = [v * total / current for v in values]
    fitted = [max(minimum, int(r)) for r in raw]
    gap = total - sum(fitted)
    order = sorted(range(len(values)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    i = 0
    while gap != 0 and order:
        index = order[i % len(order)]
        if gap > 0:
            fitted[index] += 1
            gap -= 1
        elif fitted[index] > minimum:
            fitted[index] -= 1
            gap += 1
        i += 1
    return fitted


def build(db: Database, rng: random.Random, scale: int, today: date) -> None:
    # The OCCE 92 figures land on the last closed school year, whatever the month the demo is
    # built in; the two years before it and the year under way have their own figures.
    current_year = school_year_of(today)
    report_year = current_year - 1
    years = [report_year - 2, report_year - 1, report_year, current_year]

    kinds: list[CoopKind] = []
    for kind, count in KIND_COUNTS.items():
        kinds += [kind] * (count * scale)
    rng.shuffle(kinds)
    uai_numbers = rng.sample(range(1, 9999), len(kinds)) if len(kinds) < 9998 else list(range(1, len(kinds) + 1))
    now = clock.now()

    coops = []
    for i, kind in enumerate(kinds, start=1):
        commune, postal = rng.choices(COMMUNES, weights=COMMUNE_WEIGHTS)[0]
        circ = commune if commune not in BIG_TOWNS else f"{commune} {1 + (i % 2)}"
        name = f"{KIND_PREFIX[kind]} {rng.choice(NAMESAKES)}"
        if kind == CoopKind.SPECIALISE:
            name = rng.choice(["IME", "ITEP", "EREA", "Hôpital de jour"]) + f" {rng.choice(NAMESAKES)}"
        digits = f"{DEPARTEMENT}{uai_numbers[i - 1] % 10000:04d}"
        mandataire = _person(rng)
        number = f"92-{i:04d}" if scale == 1 else f"92-{i:05d}"
        coops.append(dict(
            number=number, name=name, kind=kind, uai=digits + uai_check_letter(digits),
            address=f"{rng.randint(1, 120)} {rng.choice(STREETS)} {rng.choice(STREET_NAMES)}",
            postal_code=postal, commune=commune, circonscription=circ,
            mandataire_name=mandataire, mandataire_email=_email(mandataire, rng),
            mandataire_phone=f"01 {rng.randint(40, 79)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            director=_person(rng), notes="", archived=False, archived_on=None,
            search_key=fold(" ".join((number, name, commune, digits + uai_check_letter(digits), mandataire))),
            created_at=now, updated_at=now,
        ))
    # A few schools closed during the years shown: archived, with their history kept.
    for coop in rng.sample(coops, 4 * scale):
        coop["archived"] = True
        coop["archived_on"] = date(report_year + 1, 8, 31)
        coop["notes"] = "École fermée (regroupement) : coopérative archivée."

    with db.transaction() as session:
        if session.get(Association, 1) is None:
            session.add(Association(
                id=1, name="OCCE – Association départementale des Hauts-de-Seine",
                address="15 rue des Écoles", postal_code="92000", city="Nanterre",
                email="ad92@occe.coop", phone="01 47 21 00 92", siren_rna="W922000092",
                object="Promouvoir la coopération à l'école et gérer les coopératives scolaires "
                       "affiliées du département.",
                signatory_name="Marie-Claude Lefèvre", signatory_title="Présidente",
                logo=(ressources_dir() / "demo" / "logo-demo.png").read_bytes(),
                signature=(ressources_dir() / "demo" / "signature-demo.png").read_bytes(),
            ))
        session.execute(insert(Coop), coops)
        ids = {number: cid for number, cid in session.execute(select(Coop.number, Coop.id))}

        base_classes = [rng.randint(*CLASS_RANGE[k]) for k in kinds]
        base_classes = fit_to_total(base_classes, REPORT_CLASSES * scale, rng, minimum=1)
        base_pupils = fit_to_total([c * rng.uniform(20, 26) for c in base_classes], REPORT_PUPILS * scale, rng)
        base_adults = fit_to_total([max(1, c + rng.randint(-1, 3)) for c in base_classes], REPORT_ADULTS * scale, rng)

        rows = []
        controls_left = {y: 13 * scale for y in years if y < current_year}
        for index, coop in enumerate(coops):
            coop_id = ids[coop["number"]]
            for year in years:
                if coop["archived"] and year > report_year:
                    continue
                if year == report_year:
                    classes, pupils, adults = base_classes[index], base_pupils[index], base_adults[index]
                else:
                    drift = rng.uniform(0.96, 1.03)
                    classes = max(1, round(base_classes[index] * drift))
                    pupils = round(base_pupils[index] * drift)
                    adults = base_adults[index]
                due = (pupils + adults) * COTISATION_PER_MEMBER_CENTS
                start = date(year, 9, 1)
                deadline = date(year + 1, 9, 30)
                paid_on = start + timedelta(days=rng.randint(20, 120))
                paid = due if paid_on <= today and rng.random() < 0.93 else 0
                cra = crf = quitus = None
                if deadline - timedelta(days=90) <= today or year < current_year - 1:
                    if rng.random() < (0.96 if deadline < today else 0.5):
                        cra = min(today, deadline - timedelta(days=rng.randint(-20, 80)))
                    if rng.random() < (0.94 if deadline < today else 0.45):
                        crf = min(today, deadline - timedelta(days=rng.randint(-20, 80)))
                    if crf and rng.random() < 0.9:
                        quitus = min(today, crf + timedelta(days=rng.randint(10, 60)))
                control_reason = control_outcome = ""
                control_on = None
                if controls_left.get(year) and rng.random() < 0.03:
                    controls_left[year] -= 1
                    control_reason = rng.choice([
                        "Bilan papier", "Pas de quitus l'année précédente", "Solde bancaire élevé",
                        "Écart entre la comptabilité et la banque"])
                    control_on = min(today, date(year + 1, rng.randint(1, 6), rng.randint(1, 28)))
                    control_outcome = rng.choice(["Conforme", "Régularisé après échange avec le mandataire",
                                                  "Pièces demandées"])
                rows.append(dict(
                    coop_id=coop_id, year=year, classes=classes, pupils=pupils, adults=adults,
                    cotisation_due_cents=due, cotisation_paid_cents=paid,
                    cotisation_paid_on=paid_on if paid else None,
                    cra_received_on=cra, crf_received_on=crf, quitus_on=quitus,
                    control_reason=control_reason, control_on=control_on,
                    control_outcome=control_outcome,
                ))
        session.execute(insert(CoopYear), rows)
