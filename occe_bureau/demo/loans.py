"""Demo lending desk: the boxes, kits and cameras the reports name, and their loans.

At scale 1: about 55 items and 3 000 loans since the first school year of the demo (1 September
two years back) up to today, plus bookings for the coming weeks; a few loans overdue (with
reminders), boxes handed straight from one school to the next, an item lost, one in
maintenance, one retired. Scale 10 (the benchmark) multiplies the inventory and the loans.
"""

from __future__ import annotations

import heapq
import random
from datetime import date, timedelta

from sqlalchemy import insert, select, update

from occe_bureau.db import Database
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
    ("Théâtre, cinéma, poésie, land art", "THE", "Malle théâtre (costumes et masques)", 2, 21, 350,
     "15 costumes\n10 masques\nlivret THEA"),
    ("Théâtre, cinéma, poésie, land art", "POE", "Malle poésie", 2, 21, 160,
     "40 recueils\naffiches\nfichier d'activités"),
    ("Théâtre, cinéma, poésie, land art", "LAR", "Kit land art", 2, 14, 120,
     "livre Land art\ncordelettes\nappareil photo jetable\nfiches"),
    ("Théâtre, cinéma, poésie, land art", "CIN", "Ressources cinéma (DVD et livrets)", 2, 21, 140,
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
LOANS_PER_SCALE = 3000


def _teacher(rng: random.Random) -> str:
    if rng.random() < 0.75:
        return f"Mme {rng.choice(TEACHER_WOMEN)} {rng.choice(TEACHER_LAST)}"
    return f"M. {rng.choice(TEACHER_MEN)} {rng.choice(TEACHER_LAST)}"


def _in_summer(day: date) -> bool:
    return day.month in (7, 8)


def build(db: Database, rng: random.Random, scale: int, today: date) -> None:
    first_day = date(school_year_of(today) - 2, 9, 1)
    horizon = today + timedelta(days=56)
    now = clock.now()
    with db.transaction() as session:
        categories = {name: cid for cid, name in session.execute(
            select(ItemCategory.id, ItemCategory.name))}
        coops = [cid for cid, in session.execute(
            select(Coop.id).where(Coop.archived.is_(False)).order_by(Coop.id))]
        if not coops:
            return
        # Some coops borrow often, most now and then.
        regulars = rng.sample(coops, max(1, len(coops) // 5))

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
        item_rows = list(session.execute(select(Item.id, Item.code, Item.default_loan_days,
                                                Item.category_id).order_by(Item.id)))

        # Free capacity is tuned so that the whole inventory makes about 3 000 loans per scale.
        span = (today - first_day).days
        target = LOANS_PER_SCALE * scale
        mean_cycle = max(6.0, len(item_rows) * span * 0.76 / target)
        heap = [(first_day + timedelta(days=rng.randint(0, 12)), iid) for iid, *_ in item_rows]
        heapq.heapify(heap)
        info = {iid: (code, days, cat) for iid, code, days, cat in item_rows}
        free_from = {iid: day for day, iid in heap}
        retired = set(rng.sample([iid for iid, *_ in item_rows], max(1, scale)))
        retired_on = {iid: first_day + timedelta(days=rng.randint(100, max(101, span - 60)))
                      for iid in retired}

        # Lines and reminders refer to their loan by its place in `loans` until the loans are
        # inserted and the database has given them their ids (no explicit ids: PostgreSQL's
        # sequences stay in step).
        loans, lines, reminders = [], [], []
        loan_id = -1
        slip = session.scalar(select(Loan.slip_number).order_by(Loan.slip_number.desc()).limit(1)) or 0
        lost_left = scale
        while heap:
            start, iid = heapq.heappop(heap)
            if free_from.get(iid) != start or start > horizon:
                continue
            if iid in retired and start >= retired_on[iid]:
                continue
            if _in_summer(start):
                nxt = date(start.year, 9, 1) + timedelta(days=rng.randint(0, 6))
                free_from[iid] = nxt
                heapq.heappush(heap, (nxt, iid))
                continue
            code, default_days, category = info[iid]
            if start > today and rng.random() < 0.45:  # not every future week is booked yet
                nxt = start + timedelta(days=rng.randint(3, 10))
                free_from[iid] = nxt
                heapq.heappush(heap, (nxt, iid))
                continue
            length = max(1, min(default_days + rng.randint(-3, 4),
                                int(mean_cycle * rng.uniform(0.5, 1.0))))
            due = start + timedelta(days=length - 1)
            party = [iid]
            if rng.random() < 0.2:  # a second item of the same kind on the same slip
                mates = [j for j, (c, _d, cat) in info.items()
                         if cat == category and j != iid and free_from.get(j, horizon) <= start
                         and j not in retired]
                if mates:
                    party.append(rng.choice(mates))
            loan_id += 1
            slip += 1
            coop = rng.choice(regulars) if rng.random() < 0.5 else rng.choice(coops)
            if start > today:
                status = LoanStatus.BOOKED
            elif due >= today:
                status = LoanStatus.OUT
            elif due >= today - timedelta(days=45) and rng.random() < 0.025:
                status = LoanStatus.OUT  # overdue, still out
            else:
                status = LoanStatus.CLOSED
            loans.append(dict(
                slip_number=slip, coop_id=coop, borrower=_teacher(rng),
                start_date=start, due_date=due, handed_over_by=rng.choice(STAFF), notes="",
                status=status.value, created_at=now, updated_at=now))
            for member in party:
                line = dict(loan_id=loan_id, item_id=member, start_date=start,
                            returned_on=None, condition="", missing_accessories="",
                            return_notes="", transferred_to_loan_id=None)
                ended_on = None
                if status == LoanStatus.BOOKED:
                    line_status = LineStatus.BOOKED
                    back = due
                elif status == LoanStatus.OUT:
                    line_status = LineStatus.OUT
                    back = max(due, today + timedelta(days=rng.randint(2, 10)))
                else:
                    drift = rng.choice((0, 0, 0, 0, -1, -2, 1, 2, 5))
                    back = ended_on = min(today, max(start, due + timedelta(days=drift)))
                    if lost_left and rng.random() < 0.002:
                        lost_left -= 1
                        line_status = LineStatus.LOST
                        line.update(condition="Perdu",
                                    return_notes="Non retrouvé après la sortie scolaire.")
                        retired.add(member)
                        retired_on[member] = back
                    else:
                        line_status = LineStatus.RETURNED
                        line.update(returned_on=back, condition="Bon état")
                        if rng.random() < 0.04:
                            line["missing_accessories"] = rng.choice(
                                ("1 batterie", "2 foulards", "la fiche d'animation", "1 jeton"))
                line.update(status=line_status.value,
                            end_date=line_end(line_status, due, ended_on))
                lines.append(line)
                # Back-to-back (the box goes straight to the next school) one time in six.
                gap = 0 if rng.random() < 0.17 else rng.randint(1, 9)
                nxt = back + timedelta(days=gap)
                free_from[member] = nxt
                heapq.heappush(heap, (nxt, member))
            if status == LoanStatus.OUT and due < today:
                # A first reminder a week after the due date, a second one a week later.
                for k in range(rng.randint(1, 2)):
                    sent = due + timedelta(days=7 * (k + 1))
                    if sent <= today:
                        reminders.append(dict(loan_id=loan_id, sent_on=sent, created_at=now))

        # A box that went back-to-back from one school to the next was handed over directly.
        by_item: dict[int, list[dict]] = {}
        for line in lines:
            by_item.setdefault(line["item_id"], []).append(line)
        for item_lines in by_item.values():
            item_lines.sort(key=lambda l: l["start_date"])
            for current, following in zip(item_lines, item_lines[1:]):
                if (current["status"] == LineStatus.RETURNED
                        and following["start_date"] == current["end_date"]):
                    current["condition"] = "Transmis directement à l'école suivante"
                    current["transferred_to_loan_id"] = following["loan_id"]
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

        # States: the lost items, the retired ones, and one in maintenance per scale.
        lost_ids = {l["item_id"] for l in lines if l["status"] == LineStatus.LOST}
        out_ids = {l["item_id"] for l in lines if l["status"] == LineStatus.OUT}
        engaged = out_ids | {l["item_id"] for l in lines if l["status"] == LineStatus.BOOKED}
        if lost_ids:
            session.execute(update(Item).where(Item.id.in_(lost_ids)).values(
                state=ItemState.LOST.value))
        quiet = [iid for iid in retired - lost_ids if iid not in engaged]
        if quiet:
            session.execute(update(Item).where(Item.id.in_(quiet)).values(
                state=ItemState.RETIRED.value, notes="Usé : retiré du prêt."))
        spare = [iid for iid, *_ in item_rows if iid not in out_ids and iid not in retired]
        if spare:
            for iid in rng.sample(spare, min(len(spare), scale)):
                session.execute(update(Item).where(Item.id == iid).values(
                    state=ItemState.MAINTENANCE.value, notes="Batterie à remplacer."))
