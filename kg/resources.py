"""The one place that opens ontology/, data/ and queries/.

In a wheel these folders are mapped into the package as ``kg/_resources/``; in a
source checkout (editable install, tests) they sit at the repository root. Both
are reached through ``importlib.resources`` so callers never build paths.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

_PACKAGED = files("kg") / "_resources"
_CHECKOUT = Path(__file__).resolve().parent.parent


def resource_dir(name: str) -> Traversable:
    """Return the folder ``name`` (ontology, data or queries), packaged or checked out."""
    packaged = _PACKAGED / name
    if packaged.is_dir():
        return packaged
    return _CHECKOUT / name


def resource(name: str, *parts: str) -> Traversable:
    """Return a file inside one of the resource folders."""
    node = resource_dir(name)
    for part in parts:
        node = node / part
    return node


def read_text(name: str, *parts: str) -> str:
    return resource(name, *parts).read_text(encoding="utf-8")
