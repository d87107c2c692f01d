"""ontology/, data/ and queries/ ship inside the wheel and are found without the checkout."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_carries_resources_and_finds_them(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path), str(ROOT)], check=True)
    (wheel,) = tmp_path.glob("regionkg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("kg/_resources/ontology/regionkg.ttl", "kg/_resources/ontology/shapes.ttl",
                     "kg/_resources/data/strategies.ttl", "kg/_resources/data/regions.ttl",
                     "kg/_resources/data/gazetteer/divisions-updates.csv"):
        assert required in names
    # install it apart from the checkout and read a resource through importlib.resources
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True)
    code = ("import kg.resources as r; d = r.resource_dir('ontology'); "
            "print(d); print(r.read_text('data', 'strategies.ttl')[:1])")
    script = f"import sys; sys.path.insert(0, {str(target)!r}); {code}"
    out = subprocess.run([sys.executable, "-I", "-c", script],
                         check=True, capture_output=True, text=True, cwd=tmp_path).stdout
    assert str(target) in out.splitlines()[0]
