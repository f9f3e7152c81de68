"""Demo lending desk: the boxes, kits and cameras the reports name, and their loans.

About 50 items and LOANS_PER_SCALE (32) loans a school year at scale 1 (a real département
lends a few dozen times a year), over the year before the report's, the report's and the
year under way, plus bookings for the coming weeks; scale 10 (the benchmark) multiplies the
inventory and the loans.

The last closed school year (school_year_of(today) - 1) has exactly the OCCE 92 report's
lines (REPORT_USAGE: "Matériel de prise de vue et de son (133 jours – 8 coops)"…), whatever
the day the demo is built on: its loans lie between 8 September and 30 June, so that none
crosses 31 August, and come back on their due date. The seeded category "Théâtre, cinéma,
poésie, land art" is split in two as the report counts them. The other years have figures
of the same order. The year under way shows what the desk does, on the categories the
report does not name (so that the report's lines stay put even when it spills over the
closed year): loans out, a few overdue with their reminders, bookings, a box handed straight
from one school to the next, an item lost; one item is in maintenance and one retired.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import insert, select, update

from occe_bureau.db import Database
from occe_bureau.demo.coops import fit_to_total
from occe_bureau.formats import fold, school_year_of
from occe_bureau.coops import Coop
from occe_bureau.lending import ItemState, LineStatus, LoanStatus, line_end
from occe_bureau.lending.models import Item, ItemCategory, Loan, LoanLine, LoanReminder
from occe_bureau import clock

# (category, code prefix, name, count at scale 1, default days, value in euros, accessories)
INVENTORY = [
    ("Jeux coopératifs", "JCP", "Malle jeux coopératifs physiques", 6, 14, 320,
     "parachute 3,5 m\n20 foulards\n6 balles en mousse\ncerceaux (10)\nlivret d'animation"),
    ("Jeux coopératifs", "JPL", "Malle jeux de plateaux coopératifs", 6, 14, 280,
     "8 jeux de plateau (liste dans le couvercle)\nrègles plastifiées\nsablier"),
    ("Jeux coopératifs", "PAR", "Parachute 6 m et ses jeux", 4, 10, 190,
     "parachute 6 m\nsac de rangement\n12 balles\nfiche de jeux"),
    ("Précinéma", "PRE", "Mallette précinéma (thaumatrope, zootrope, praxinoscope)", 4, 14, 450,
     "zootrope\npraxinoscope\n10 thaumatropes\nbandes d'images\nlivret pédagogique"),
    ("Précinéma", "LAN", "Lanterne magique et plaques", 2, 10, 380,
     "lanterne à LED\n24 plaques\nécran pliant"),
    ("Matériel de prise de vue et de son", "CAM", "Caméra HD", 4, 7, 650,
     "caméra\ntrépied\n2 batteries\nchargeur\ncarte SD 64 Go"),
    ("Matériel de prise de vue et de son", "PHO", "Appareil photo numérique", 3, 7, 420,
     "appareil\nbatterie\nchargeur\ncarte SD\ndragonne"),
    ("Matériel de prise de vue et de son", "SON", "Kit son (enregistreur Zoom H4n)", 3, 7, 390,
     "enregistreur\nmicro-cravate\ncasque\n4 piles\nbonnette"),
    ("Matériel de prise de vue et de son", "TAB", "Tablette et banc-titre (cinéma d'animation)", 2, 10, 560,
     "tablette\nbanc-titre\nchargeur\ncâble USB"),
    ("Lotos", "LOT", "Loto des odeurs", 1, 14, 95, "30 flacons\n6 planches\njetons"),
    ("Lotos", "LOS", "Loto sonore des animaux", 1, 14, 85, "CD audio\n6 planches\njetons"),
    ("Théâtre, cinéma, poésie", "THE", "Malle théâtre (costumes et masques)", 2, 21, 350,
     "15 costumes\n10 masques\nlivret THEA"),
    ("Théâtre, cinéma, poésie", "POE", "Malle poésie", 2, 21, 160,
     "40 recueils\naffiches\nfichier d'activités"),
    ("Land art", "LAR", "Kit land art", 2, 14, 120,
     "livre Land art\ncordelettes\nappareil photo jetable\nfiches"),
    ("Théâtre, cinéma, poésie", "CIN", "Ressources cinéma (DVD et livrets)", 2, 21, 140,
     "12 DVD\nlivrets enseignant"),
    ("Mallettes pédagogiques", "DRE", "Mallette Droits de l'enfant", 3, 21, 210,
     "jeu de l'oie des droits\naffiches\n30 livrets élèves\nguide enseignant"),
    ("Mallettes pédagogiques", "PDI", "Mallette Porté disparu", 2, 21, 180,
     "jeu d'enquête\ncartes personnages\nguide"),
    ("Mallettes pédagogiques", "CON", "Mallette Consom'acteur", 2, 21, 170,
     "jeu de rôle\nemballages pédagogiques\nfiches élèves"),
]
STAFF = ["Sylvie Moreau (secrétariat)", "Claire Dubois (animatrice)", "Julien Petit (animateur)"]
TEACHER_WOMEN = ["Nathalie", "Isabelle", "Céline", "Julie", "Aurélie", "Claire", "Camille", "Hélène",
                 "Nadia", "Fatou", "Chloé", "Łucja", "Zoé", "Anh", "Sandrine", "Inès"]
TEACHER_MEN = ["Thomas", "Nicolas", "Karim", "Julien", "Mehdi", "Yann", "François", "Sébastien"]
TEACHER_LAST = ["Martin", "Bernard", "Dubois", "Petit", "Durand", "Leroy", "Moreau", "Simon",
                "Benali", "Traoré", "Nguyễn", "Kowalski", "Da Silva", "Haddad", "Øster", "Yılmaz"]
# The report's year, per category at scale 1: (days out, distinct coops, loans). The first
# five are the OCCE 92 report's lines; the two others are the demo's own.
REPORT_USAGE = {
    "Matériel de prise de vue et de son": (133, 8, 10),
    "Jeux coopératifs": (53, 4, 4),
    "Lotos": (84, 6, 6),
    "Théâtre, cinéma, poésie": (222, 2, 6),
    "Land art": (182, 1, 1),
    "Précinéma": (41, 2, 2),
    "Mallettes pédagogiques": (63, 3, 3),
}
# The seeded category the demo splits in two, as the report counts them.
SPLIT_CATEGORY = ("Théâtre, cinéma, poésie, land art", "Théâtre, cinéma, poésie", "Land art")
# The loans the year under way shows off go to these (not among the report's lines).
SHOWCASE_CATEGORIES = ("Mallettes pédagogiques", "Précinéma")
LOANS_PER_SCALE = sum(n for _d, _c, n in REPORT_USAGE.values())  # per school year


def _teacher(rng: random.Random) -> str:
    if rng.random() < 0.75:
        return f"Mme {rng.choice(TEACHER_WOMEN)} {rng.choice(TEACHER_LAST)}"
    return f"M. {rng.choice(TEACHER_MEN)} {rng.choice(TEACHER_LAST)}"


def _lengths(days: int, loans: int, rng: random.Random) -> list[int]:
    """`loans` lengths in days adding up to `days` (each at least one day)."""
    return fit_to_total([rng.uniform(0.6, 1.4) for _ in range(loans)], days, rng, minimum=1)


class _Desk:
    """Each item's busy spans (first and last day, both included), to place loans without
    two of them sharing an item on the same day."""

    def __init__(self, items_by_category: dict[str, list[int]], rng: random.Random):
        self.items = items_by_category
        self.busy: dict[int, list[tuple[date, date]]] = defaultdict(list)
        self.rng = rng

    def free(self, item: int, start: date, end: date) -> bool:
        return all(end < s or e < start for s, e in self.busy[item])

    def take(self, item: int, start: date, end: date) -> None:
        self.busy[item].append((start, end))

    def place(self, category: str, length: int, lo: date, hi: date) -> tuple[int, date] | None:
        """An item of the category free for `length` days from lo at the earliest to hi at
        the latest (its last day), and the day the loan starts; None if none is."""
        last_start = hi - timedelta(days=length - 1)
        if last_start < lo:
            return None
        span = (last_start - lo).days
        for _ in range(400):
            item = self.rng.choice(self.items[category])
            start = lo + timedelta(days=self.rng.randint(0, span))
            if self.free(item, start, start + timedelta(days=length - 1)):
                return item, start
        return None



def _split_category(session) -> None:
    """The seeded "Théâtre, cinéma, poésie, land art" becomes the report's two lines."""
    old, theatre, land_art = SPLIT_CATEGORY
    names = {name: (cid, position) for cid, name, position in session.execute(
        select(ItemCategory.id, ItemCategory.name, ItemCategory.position))}
    if old in names and theatre not in names:
        session.execute(update(ItemCategory).where(ItemCategory.id == names[old][0])
                        .values(name=theatre))
        names[theatre] = names.pop(old)
    if land_art not in names:
        position = names.get(theatre, (0, len(names)))[1]
        session.execute(insert(ItemCategory).values(name=land_art, position=position,
                                                    archived=False))


def _year_plan(year: int, report_year: int, scale: int, rng: random.Random
               ) -> list[tuple[str, int, list[int]]]:
    """(category, distinct coops, loan lengths) of a school year: the report's figures for
    the report's year, figures of the same order for the others."""
    plan = []
    for category, (days, coops, loans) in REPORT_USAGE.items():
        if year != report_year:
            loans = max(1, loans + rng.randint(-2, 2))
            coops = max(1, min(loans, coops + rng.randint(-1, 1)))
            days = max(loans, round(days * rng.uniform(0.75, 1.3)))
        plan.append((category, coops * scale,
                     _lengths(days * scale, loans * scale, rng)))
    return plan


def build(db: Database, rng: random.Random, scale: int, today: date) -> None:
    current_year = school_year_of(today)
    report_year = current_year - 1
    horizon = today + timedelta(days=56)
    now = clock.now()
    with db.transaction() as session:
        _split_category(session)
        categories = {name: cid for cid, name in session.execute(
            select(ItemCategory.id, ItemCategory.name))}
        coops = [cid for cid, in session.execute(
            select(Coop.id).where(Coop.archived.is_(False)).order_by(Coop.id))]
        if not coops:
            return

        items = []
        for category, prefix, name, count, days, value, accessories in INVENTORY:
            for n in range(1, count * scale + 1):
                code = f"{prefix}-{n:02d}" if scale == 1 else f"{prefix}-{n:03d}"
                items.append(dict(
                    code=code, name=name + (f" n° {n}" if count * scale > 1 else ""),
                    category_id=categories[category], description="",
                    accessories=accessories, replacement_value_cents=value * 100,
                    default_loan_days=days, state=ItemState.AVAILABLE.value, notes="",
                    search_key=fold(f"{code} {name} {category}"), created_at=now, updated_at=now))
        session.execute(insert(Item), items)
        names = {cid: name for name, cid in categories.items()}
        by_category: dict[str, list[int]] = defaultdict(list)
        for iid, cid in session.execute(select(Item.id, Item.category_id).order_by(Item.id)):
            by_category[names[cid]].append(iid)
        desk = _Desk(by_category, rng)

        # Each loan: (item, coop, start, due, what happened). The showcase of the year under
        # way comes first, on the categories the report does not name, then each year's plan.
        planned: list[dict] = []

        def lend(item: int, coop: int, start: date, length: int, kind: str, **extra) -> dict:
            due = start + timedelta(days=length - 1)
            loan = dict(item=item, coop=coop, start=start, due=due, kind=kind, **extra)
            planned.append(loan)
            return loan

        def showcase(length: int, lo: date, hi: date, busy_until: date | None = None):
            for category in rng.sample(SHOWCASE_CATEGORIES, len(SHOWCASE_CATEGORIES)):
                spot = desk.place(category, length, lo, hi)
                if spot is not None:
                    item, start = spot
                    end = max(busy_until or start, start + timedelta(days=length - 1))
                    desk.take(item, start, end)
                    return item, start
            return None

        for _ in range(scale):
            for _k in range(2):  # out now
                spot = showcase(14, today - timedelta(days=8), today + timedelta(days=13),
                                today + timedelta(days=20))
                if spot:
                    lend(spot[0], rng.choice(coops), spot[1], 14, "out")
            for _k in range(2):  # overdue, reminded, still out
                spot = showcase(12, today - timedelta(days=38), today - timedelta(days=24),
                                today + timedelta(days=30))
                if spot:
                    lend(spot[0], rng.choice(coops), spot[1], 12, "overdue")
            for _k in range(3):  # booked for the coming weeks
                spot = showcase(10, today + timedelta(days=5), horizon)
                if spot:
                    lend(spot[0], rng.choice(coops), spot[1], 10, "booked")
            # handed straight from one school to the next: back on the day the next one leaves
            spot = showcase(24, today - timedelta(days=18), today + timedelta(days=5),
                            today + timedelta(days=20))
            if spot:
                item, start = spot
                first = lend(item, rng.choice(coops), start, 12, "returned")
                lend(item, rng.choice(coops), first["due"], 13, "out", handed_from=first)
            # lost on an outing: the item never comes back
            spot = showcase(10, today - timedelta(days=80), today - timedelta(days=50),
                            date.max - timedelta(days=1))
            if spot:
                lend(spot[0], rng.choice(coops), spot[1], 10, "lost")

        for year in (report_year - 1, report_year, current_year):
            lo, hi = date(year, 9, 8), date(year + 1, 6, 30)
            for category, n_coops, lengths in _year_plan(year, report_year, scale, rng):
                borrowers = rng.sample(coops, n_coops)
                for k, length in enumerate(sorted(lengths, reverse=True)):
                    spot = desk.place(category, length, lo, hi)
                    if spot is None:
                        raise RuntimeError(f"demo: no room for a {length}-day loan ({category})")
                    item, start = spot
                    due = start + timedelta(days=length - 1)
                    if year == current_year and start > horizon:
                        continue  # not booked yet
                    if year == current_year and start <= today <= due + timedelta(days=1):
                        # out now: it may come back a little late, so the desk keeps it
                        desk.take(item, start, max(due, today) + timedelta(days=3))
                    else:
                        desk.take(item, start, due)
                    coop = borrowers[k] if k < n_coops else rng.choice(borrowers)
                    kind = ("booked" if start > today else "out" if due >= today
                            else "returned")
                    mates = []
                    if year != report_year and rng.random() < 0.15:
                        # a second item of the same kind on the same slip
                        free = [j for j in by_category[category]
                                if j != item and desk.free(j, start, due)]
                        if free:
                            mates.append(rng.choice(free))
                            desk.take(mates[0], start, desk.busy[item][-1][1])
                    lend(item, coop, start, length, kind, mates=mates)

        planned.sort(key=lambda p: (p["start"], p["item"]))
        slip = session.scalar(select(Loan.slip_number).order_by(Loan.slip_number.desc()).limit(1)) or 0
        loans, lines, reminders = [], [], []
        index = {}
        for n, p in enumerate(planned):
            index[id(p)] = n
            status = {"booked": LoanStatus.BOOKED, "out": LoanStatus.OUT,
                      "overdue": LoanStatus.OUT}.get(p["kind"], LoanStatus.CLOSED)
            loans.append(dict(
                slip_number=slip + n + 1, coop_id=p["coop"], borrower=_teacher(rng),
                start_date=p["start"], due_date=p["due"], handed_over_by=rng.choice(STAFF),
                notes="", status=status.value, created_at=now, updated_at=now))
            line = dict(loan_id=n, item_id=p["item"], start_date=p["start"], returned_on=None,
                        condition="", missing_accessories="", return_notes="",
                        transferred_to_loan_id=None)
            first = len(lines)
            ended_on = None
            if p["kind"] == "booked":
                line_status = LineStatus.BOOKED
            elif p["kind"] in ("out", "overdue"):
                line_status = LineStatus.OUT
            elif p["kind"] == "lost":
                line_status, ended_on = LineStatus.LOST, p["due"]
                line.update(condition="Perdu", return_notes="Non retrouvé après la sortie scolaire.")
            else:
                line_status, ended_on = LineStatus.RETURNED, p["due"]
                line.update(returned_on=ended_on, condition="Bon état")
                if rng.random() < 0.05:
                    line["missing_accessories"] = rng.choice(
                        ("1 batterie", "2 foulards", "la fiche d'animation", "1 jeton"))
            line.update(status=line_status.value, end_date=line_end(line_status, p["due"], ended_on))
            lines.append(line)
            for mate in p.get("mates", ()):
                lines.append({**line, "item_id": mate, "missing_accessories": ""})
            p["line"] = first
            if p["kind"] == "overdue":
                # A first reminder a week after the due date, a second one a week later.
                for k in range(rng.randint(1, 2)):
                    sent = p["due"] + timedelta(days=7 * (k + 1))
                    if sent <= today:
                        reminders.append(dict(loan_id=n, sent_on=sent, created_at=now))
        for p in planned:
            if "handed_from" in p:
                before = lines[p["handed_from"]["line"]]
                before["condition"] = "Transmis directement à l'école suivante"
                before["transferred_to_loan_id"] = index[id(p)]

        # Lines and reminders refer to their loan by its place in `loans` until the loans are
        # inserted and the database has given them their ids (no explicit ids: PostgreSQL's
        # sequences stay in step).
        ids = list(session.scalars(insert(Loan).returning(Loan.id, sort_by_parameter_order=True),
                                   loans))
        for row in (*lines, *reminders):
            row["loan_id"] = ids[row["loan_id"]]
        for line in lines:
            if line["transferred_to_loan_id"] is not None:
                line["transferred_to_loan_id"] = ids[line["transferred_to_loan_id"]]
        session.execute(insert(LoanLine), lines)
        if reminders:
            session.execute(insert(LoanReminder), reminders)

        # States: the lost items, one retired and one in maintenance per scale (items with
        # nothing out nor booked).
        lost_ids = {l["item_id"] for l in lines if l["status"] == LineStatus.LOST}
        engaged = {l["item_id"] for l in lines if l["status"] in (LineStatus.OUT, LineStatus.BOOKED)}
        if lost_ids:
            session.execute(update(Item).where(Item.id.in_(lost_ids)).values(
                state=ItemState.LOST.value))
        spare = [iid for ids_ in by_category.values() for iid in ids_
                 if iid not in engaged and iid not in lost_ids]
        chosen = rng.sample(spare, min(len(spare), 2 * scale))
        retired, maintenance = chosen[:scale], chosen[scale:]
        if retired:
            session.execute(update(Item).where(Item.id.in_(retired)).values(
                state=ItemState.RETIRED.value, notes="Usé : retiré du prêt."))
        if maintenance:
            session.execute(update(Item).where(Item.id.in_(maintenance)).values(
                state=ItemState.MAINTENANCE.value, notes="Batterie à remplacer."))
