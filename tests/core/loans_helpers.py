"""Small builders shared by the loans tests."""

from datetime import date

from occe_bureau import lending
from occe_bureau.lending import ItemState
from occe_bureau.coops import register as coop_svc

TODAY = date(2025, 3, 10)


def make_coop(db, number="92-0100", name="École élémentaire Jean Jaurès", **kw) -> int:
    return coop_svc.create_coop(db, coop_svc.CoopData(
        number=number, name=name, kind="elementaire", commune=kw.pop("commune", "Nanterre"),
        mandataire_name=kw.pop("mandataire_name", "Élodie Martin"), **kw))


def category_id(db, name="Matériel de prise de vue et de son") -> int:
    return next(c.id for c in lending.list_categories(db) if c.name == name)


def make_item(db, code="CAM-01", name="Caméra HD", category="Matériel de prise de vue et de son",
              days=14, value=45000, accessories="caméra, trépied, 2 batteries, chargeur, carte SD",
              state=ItemState.AVAILABLE) -> int:
    return lending.create_item(db, lending.ItemData(
        code=code, name=name, category_id=category_id(db, category), accessories=accessories,
        replacement_value_cents=value, default_loan_days=days, state=state))


def lend(db, coop_id, item_ids, start, due, borrower="Mme Nadia Benali", today=TODAY) -> int:
    return lending.create_loan(db, lending.LoanData(coop_id=coop_id, borrower=borrower, start_date=start,
                                            due_date=due, item_ids=list(item_ids)), today=today)


def book(db, coop_id, item_ids, start, due, borrower="M. Karim Haddad", today=TODAY) -> int:
    return lending.create_booking(db, lending.LoanData(coop_id=coop_id, borrower=borrower,
                                               start_date=start, due_date=due,
                                               item_ids=list(item_ids)), today=today)


def d(day: int, month: int = 3, year: int = 2025) -> date:
    return date(year, month, day)
