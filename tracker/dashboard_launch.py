"""Start the Streamlit dashboard in `dashboard/` on a database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DASHBOARD_APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"


def dashboard_command(port: int, host: str) -> list[str]:
    """The command line that serves the dashboard."""
    return [
        sys.executable, "-m", "streamlit", "run", str(DASHBOARD_APP),
        "--server.port", str(port), "--server.address", host, "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--client.toolbarMode", "viewer",
    ]


def run_dashboard(database_url: str, port: int = 8501, host: str = "localhost") -> int:
    """Serve the dashboard until interrupted; returns Streamlit's exit status."""
    if not DASHBOARD_APP.exists():
        print(f"error: dashboard not found at {DASHBOARD_APP}", file=sys.stderr)
        return 1
    env = {**os.environ, "DATABASE_URL": database_url}
    print(f"dashboard on http://{host}:{port} (database {database_url}); Ctrl+C stops it",
          file=sys.stderr)
    try:
        return subprocess.call(dashboard_command(port, host), env=env)
    except KeyboardInterrupt:
        return 0
