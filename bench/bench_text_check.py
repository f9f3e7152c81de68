"""Checking the text of 120 000 import cells (names, communes, numbers, accents included):
Checker.text (trim, length, control and direction characters, fonts of the documents,
markup and formulas) against its floor, the bare trim and length test.

Run: .venv/bin/python -m bench.bench_text_check   (prints a table; nothing is asserted)
"""

from __future__ import annotations

from bench.common import measure, print_table

TEXTS = ["École élémentaire Jean Jaurès", "92-0042", "Nanterre", "Élodie Martin",
         "Circonscription Nanterre 1", "12 rue de la République"] * 20_000


def main() -> None:
    from occe_bureau.validation import Checker, printable_characters

    printable_characters()  # the fonts' maps, read once per run (about 40 ms)

    def ours() -> None:
        c = Checker()
        for text in TEXTS:
            c.text("f", "Nom", text, max_length=200, name_like=True)

    def floor() -> None:
        for text in TEXTS:
            text = text.strip(" ")
            if len(text) > 200:
                raise AssertionError

    print_table(f"Checker.text on {len(TEXTS)} cells", [
        ("check 120 000 texts", measure(ours, repeat=7), "strip + len", measure(floor, repeat=7),
         "< 1 s for a 200 000-row import's names"),
    ])


if __name__ == "__main__":
    main()
