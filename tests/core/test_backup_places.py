"""The second backup folder (a USB key, a synced folder): chosen with checks, receiving a
checked copy of each backup, thinned like the data folder; missing, it is said and the data
folder's backup is made all the same."""

import shutil

import pytest

from occe_bureau import safety
from occe_bureau.paths import DataPaths
from occe_bureau.validation import ValidationError

# Backups are of the SQLite file (a server has its own).
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def paths(db, tmp_path):
    paths = DataPaths(tmp_path / "data").ensure()
    shutil.copyfile(db.sqlite_file, paths.database)
    return paths


def test_the_second_folder_must_exist_and_be_another_place(paths, tmp_path):
    for wrong, said in ((tmp_path / "absent", "introuvable"), (paths.backups, "déjà le dossier"),
                        ("relatif", "dossier complet")):
        with pytest.raises(ValidationError) as refused:
            safety.set_second_folder(paths, wrong)
        assert said in refused.value.errors["second_folder"]
    assert safety.second_folder(paths) is None
    (tmp_path / "cle").mkdir()
    assert safety.set_second_folder(paths, tmp_path / "cle") == tmp_path / "cle"
    assert safety.second_folder(paths) == tmp_path / "cle"
    safety.set_second_folder(paths, "")
    assert safety.second_folder(paths) is None


def test_each_backup_is_copied_checked_and_thinned_in_the_second_folder(paths, tmp_path):
    key = tmp_path / "cle"
    key.mkdir()
    safety.set_second_folder(paths, key)
    old = key / "occe_bureau_2021-01-05_090000_demarrage.sqlite3"  # past two years: thinned
    shutil.copyfile(paths.database, old)
    outcome = safety.back_up(paths, "manuelle")
    assert outcome.second_problem is None and outcome.second.path.parent == key
    assert safety.integrity_problem(outcome.second.path) is None
    assert safety.contents(outcome.second.path).counts == safety.contents(paths.database).counts
    assert not old.exists()
    assert [b.reason for b in safety.list_backups(key)] == ["manuelle"]


def test_a_missing_second_folder_is_said_and_the_data_folder_backup_made(paths, tmp_path):
    key = tmp_path / "cle"
    key.mkdir()
    safety.set_second_folder(paths, key)
    key.rmdir()  # unplugged
    outcome = safety.back_up(paths, "fermeture")
    assert "introuvable" in outcome.second_problem and str(key) in outcome.second_problem
    assert outcome.main.path.exists() and outcome.second is None
