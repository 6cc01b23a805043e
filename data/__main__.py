"""`python -m data [n_leads]`: generate the demo data and print its summary figures."""

from __future__ import annotations

import sys
import time

from data.demo import generate, summarize


def main(argv: list[str]) -> None:
    n_leads = int(argv[0]) if argv else 10_000
    started = time.perf_counter()
    data = generate(n_leads)
    elapsed = time.perf_counter() - started
    print(f"generated {n_leads:,} leads in {elapsed:.2f} s")
    for key, value in summarize(data).items():
        print(f"  {key:32s} {value:,.3f}" if isinstance(value, float) else f"  {key:32s} {value:,}")


if __name__ == "__main__":
    main(sys.argv[1:])
