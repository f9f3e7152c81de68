"""The same code on a PostgreSQL server: migrations, the register's rules, the import."""

from datetime import date

import pytest
from sqlalchemy import text

from occe_bureau.migrate import SCHEMA_HEAD, SchemaError, current_revision, prepare_database
from occe_bureau.coops import exchange as ex
from occe_bureau.coops import register as svc
from occe_bureau.validation import ValidationError
from occe_bureau.tabular import read_table



def test_migrations_and_the_register_rules_on_postgresql(pg_db, tmp_path):
    report = prepare_database(pg_db, tmp_path / "backups")
    assert report.after == SCHEMA_HEAD and report.backup is None
    assert current_revision(pg_db) == SCHEMA_HEAD
    cid = svc.create_coop(pg_db, svc.CoopData(number="92-0001", name="École Łukasz Øyvind",
                                              kind="maternelle", uai="0750654D"),
                          {2025: svc.YearData(classes=4, pupils=90, adults=6,
                                              cra_received_on=date(2025, 10, 2))})
    with pytest.raises(ValidationError, match="déjà celui"):
        svc.create_coop(pg_db, svc.CoopData(number="92-0001", name="Autre", kind="primaire"))
    rows = svc.list_coops(pg_db, svc.CoopFilter(year=2025, search="lukasz"))
    assert [(r.id, r.members, r.cra_received_on) for r in rows] == [(cid, 96, date(2025, 10, 2))]
    with pytest.raises(ValidationError, match="Archivez-la"):
        svc.delete_coop(pg_db, cid)
    svc.set_archived(pg_db, cid, True)
    assert svc.list_coops(pg_db, svc.CoopFilter(year=2025)) == []


def test_import_on_postgresql_is_all_or_nothing(pg_db, tmp_path):
    prepare_database(pg_db, tmp_path / "backups")
    path = tmp_path / "r.csv"
    path.write_text("Numéro;Nom;Type;Élèves\n92-1;École A;primaire;100\n92-2;École B;maternelle;50\n",
                    encoding="utf-8")
    table = read_table(path)
    plan = ex.plan_import(pg_db, table, ex.guess_mapping(table.headers), 2025)
    svc.create_coop(pg_db, svc.CoopData(number="92-2", name="Arrivée entre-temps", kind="primaire"))
    with pytest.raises(ValidationError, match="rien n'a été importé"):
        ex.apply_import(pg_db, plan)
    assert [r.number for r in svc.list_coops(pg_db, svc.CoopFilter(year=2025))] == ["92-2"]


def test_newer_schema_refused_on_postgresql(pg_db, tmp_path):
    prepare_database(pg_db, tmp_path / "backups")
    with pg_db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(SchemaError, match="plus récente"):
        prepare_database(pg_db, tmp_path / "backups")
