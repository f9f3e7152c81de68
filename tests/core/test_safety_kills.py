"""Nothing is lost on a crash: a writer issuing receipts is killed (SIGKILL) at random
moments, fifty times; every time the base is sound, every acknowledged receipt is there and
the numbers run on without a gap."""

import random
import signal
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

from occe_bureau import gifts, safety
from occe_bureau.db import Database
from occe_bureau.migrate import prepare_database
from tests.core.donations_helpers import PNG_1PX, gift, make_coop, person, setup_association

DAY = date(2025, 3, 12)
KILLS = 50

WRITER = """
import sys
from datetime import date
from occe_bureau import gifts
from occe_bureau.db import Database
db = Database(sys.argv[1])
for gift_id in map(int, sys.argv[2:]):
    receipt_id = gifts.issue_receipt(db, gift_id, today=date(2025, 3, 12))
    print(receipt_id, flush=True)
"""


def test_fifty_kills_during_writes_lose_nothing(tmp_path):
    path = tmp_path / "occe_bureau.sqlite3"
    url = f"sqlite:///{path}"
    db = Database(url)
    prepare_database(db, tmp_path / "sauvegardes")
    setup_association(db, signature=PNG_1PX)
    coop = make_coop(db)
    pending = gifts.enter_request(db, coop, [gift(str(10 + i), donor=person("Martin", "Anne"), on=DAY)
                                             for i in range(KILLS * 6)], today=DAY)
    db.dispose()
    rng = random.Random(92)
    acknowledged: set[int] = set()
    root = Path(__file__).resolve().parents[2]
    for _kill in range(KILLS):
        con = sqlite3.connect(path)
        done = {r for (r,) in con.execute("SELECT id FROM donation WHERE receipt_id IS NOT NULL")}
        con.close()
        todo = [g for g in pending if g not in done][:6]
        writer = subprocess.Popen([sys.executable, "-c", WRITER, url, *map(str, todo)],
                                  stdout=subprocess.PIPE, text=True, cwd=root)
        wanted = rng.randint(0, 4)
        for _ in range(wanted):
            line = writer.stdout.readline()
            if not line:
                break
            acknowledged.add(int(line))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        found = safety.check_file(path)
        assert found.usable, found.message
    con = sqlite3.connect(path)
    ids = {r for (r,) in con.execute("SELECT id FROM tax_receipt")}
    seqs = [s for (s,) in con.execute("SELECT seq FROM tax_receipt WHERE year = 2024 ORDER BY seq")]
    con.close()
    assert acknowledged and acknowledged <= ids  # every acknowledged receipt is there
    assert seqs == list(range(1, len(seqs) + 1))  # numbers run on without a gap
