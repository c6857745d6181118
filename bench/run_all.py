"""Run every benchmark in bench/ and print its figures (``make bench``).

Each runs with its defaults; run one directly for other sizes
(e.g. ``python bench/class_join.py --students 300 --arrival 300``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHES = ["store_throughput.py", "class_join.py", "aggregation.py"]

for name in BENCHES:
    print(f"== {name}", flush=True)
    subprocess.run([sys.executable, str(Path(__file__).with_name(name))], check=True)
