"""Run every benchmark in bench/ and print its figures (``make bench``).

Each runs with its defaults; run one directly for other sizes
(e.g. ``python bench/class_join.py --students 300 --arrival 300``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHES = [
    "store_throughput.py",
    "store_concurrency.py",  # 60 writers × 200 answers, SQLite and PostgreSQL (issue 5.1)
    "store_crash.py",  # 200 SIGKILLed writers and a 10× resend storm (issue 5.2)
    "class_join.py",
    "aggregation.py",
    "page_weight.py",  # bytes and first-question times on shaped links (issue 13.1; needs root)
]

for name in BENCHES:
    print(f"== {name}", flush=True)
    subprocess.run([sys.executable, str(Path(__file__).with_name(name))], check=True)
