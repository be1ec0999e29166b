"""The bundled demo corpus: short reports the project wrote itself, with gold labels.

`articles.jsonl` is in the evaluation format of the spec, so it loads with
`tracker demo` (or `tracker ingest`) and scores with `shared/tools/score.py`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def demo_path() -> Path:
    """Path of the demo articles file."""
    return Path(str(resources.files("tracker.demo") / "articles.jsonl"))
