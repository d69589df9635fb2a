"""Where ../shared is: beside the checkout, or beside a worktree's parent; CITECHECK_SHARED wins."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
def _find_shared() -> Path:
    """../shared beside the checkout (or beside a worktree's parent); CITECHECK_SHARED overrides."""
    if os.environ.get("CITECHECK_SHARED"):
        return Path(os.environ["CITECHECK_SHARED"])
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared").is_dir():
            return base / "shared"
    return ROOT.parent / "shared"


SHARED = _find_shared()
SEED = SHARED / "seeds" / "000_bc4570a8dd256e68.txt"
