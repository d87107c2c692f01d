"""Shared fixtures: a private Virtuoso and the built seed graph (remote-store tests)."""

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # helpers.py, seed.py, virtuoso.py …


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A private Virtuoso on 127.0.0.1 for the whole session (see tests/virtuoso.py).

    Fails under CI=true when it cannot start; skips elsewhere, naming scripts/system-deps.sh.
    """
    import virtuoso as vt

    try:
        server = vt.start(tmp_path_factory.mktemp("virtuoso"))
    except (vt.VirtuosoUnavailable, OSError, subprocess.SubprocessError) as exc:
        vt.unavailable(str(exc))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def built_seed_ttl(tmp_path_factory) -> Path:
    """out/regionkg.ttl of the seed page, built with `kg build` into a temp folder."""
    out = tmp_path_factory.mktemp("seed-build")
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(root / "data/articles"),
                           "-o", str(out)], capture_output=True, text=True, timeout=300,
                          cwd=root, check=False)
    assert proc.returncode == 0, proc.stderr
    return out / "regionkg.ttl"
