"""Run every benchmark in bench/ and print its figures (``make bench``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHES = ["store_throughput.py"]

for name in BENCHES:
    print(f"== {name}", flush=True)
    subprocess.run([sys.executable, str(Path(__file__).with_name(name))], check=True)
