"""The bundled scenarios, the claims register, the JSON Schema and the cases, found through the
package.

A wheel carries the repository's top-level ``scenarios/``, ``seeds/``, ``schema/`` and ``cases/``
as package data under ``sim/_bundled/`` (mapped in pyproject.toml), so ``straitsim list``,
``straitsim run blockade`` and ``straitsim casebook`` work from an installed wheel in any folder.
An editable install (``pip install -e .``, what ``make`` does) cannot map data folders into a
package (pypa/setuptools#4248), so there the folders are read where they are, in the checkout
that holds the ``sim`` package. Both layouts put the folders side by side under one root, so the
scenarios' relative ``extends``, their ``$schema`` comment and a case's ``scenario:`` path
resolve the same way in both.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

FOLDERS = ("scenarios", "seeds", "schema", "cases")


@lru_cache(maxsize=1)
def data_root() -> Path:
    """The folder holding ``scenarios/``, ``seeds/``, ``schema/`` and ``cases/``.

    An installed wheel's ``sim/_bundled``, else the checkout around an editable ``sim``. If
    neither holds the data (a broken install), the wheel's location, so a later "not found"
    names the place the files should be."""
    installed = files("sim._bundled")  # a Path unless imported from a zip, which we do not do
    if isinstance(installed, Path) and (installed / "scenarios").is_dir():
        return installed
    checkout = Path(__file__).resolve().parent.parent
    if all((checkout / f).is_dir() for f in FOLDERS):
        return checkout
    return installed if isinstance(installed, Path) else checkout


def scenarios_dir() -> Path:
    """The bundled scenarios: ``<name>.yaml`` at the top, ``common/`` and ``variants/`` below."""
    return data_root() / "scenarios"


def bundled_scenarios() -> list[Path]:
    """The bundled scenario files that ``straitsim list`` shows, sorted by name."""
    return sorted(scenarios_dir().glob("*.yaml"))


def claims_file() -> Path:
    """The claims register, ``seeds/claims.yaml``."""
    return data_root() / "seeds" / "claims.yaml"


def schema_file() -> Path:
    """The committed JSON Schema of the scenario format, ``schema/scenario.schema.json``."""
    return data_root() / "schema" / "scenario.schema.json"


def cases_dir() -> Path:
    """The published results the model is held against, ``cases/*.yaml`` (``straitsim
    casebook``)."""
    return data_root() / "cases"
