"""Build a database of N times the demo département (default 10) for benchmarks or trials.

    .venv/bin/python -m bench.make_dataset [--scale 10] [--out bench/out/departement_x10.sqlite3]

The file can be opened with `occe-bureau --db sqlite:///<file>`.
"""

import argparse
import shutil
from pathlib import Path

from bench.common import dataset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    path = dataset(args.scale, fresh=True)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, args.out)
        path = args.out
    print(path)


if __name__ == "__main__":
    main()
