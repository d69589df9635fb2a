"""tests/accuracy: the helpers live in benchmarks/ (accuracy_web, accuracy_notes, accuracy_run)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "benchmarks") not in sys.path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
