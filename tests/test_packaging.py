"""A wheel carries the bundled scenarios, the claims register and the schema (issue 9, item 15).

The slow test builds the wheel from a copy of the sources, installs it into a fresh venv that
cannot see this checkout, and runs ``straitsim`` from a folder outside the repository.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

from _support import BUNDLED, ROOT
import sim
from sim import resources

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]


def test_every_package_and_data_folder_is_in_pyproject():
    """setuptools is given an explicit package list (its finder cannot add the mapped data
    packages), so a new package under sim/ or a new folder of scenarios must be added there."""
    listed = set(SETUPTOOLS["packages"])
    code = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "sim").rglob("__init__.py")}
    assert code <= listed, f"add {sorted(code - listed)} to [tool.setuptools] packages"
    for folder in resources.FOLDERS:
        assert SETUPTOOLS["package-dir"][f"sim._bundled.{folder}"] == folder
        for sub in [ROOT / folder, *(d for d in (ROOT / folder).rglob("*") if d.is_dir())]:
            if any(f.is_file() for f in sub.iterdir()):
                name = ".".join(("sim", "_bundled", *sub.relative_to(ROOT).parts))
                assert name in listed, f"add {name} to [tool.setuptools] packages"


def test_a_checkout_reads_the_top_level_folders():
    assert resources.data_root() == ROOT
    assert resources.scenarios_dir() == ROOT / "scenarios"
    assert resources.claims_file() == ROOT / "seeds" / "claims.yaml"
    assert resources.schema_file() == ROOT / "schema" / "scenario.schema.json"
    assert sorted(p.stem for p in resources.bundled_scenarios()) == sorted(BUNDLED)


def test_no_module_finds_bundled_files_by_repository_path():
    """Only sim/resources.py knows where the bundled data is."""
    looks_up = re.compile(r"__file__.*\b(scenarios|seeds|schema|claims)\b")
    for path in (ROOT / "sim").rglob("*.py"):
        if path.name != "resources.py":
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                assert not looks_up.search(line), f"{path.relative_to(ROOT)}:{n}: {line.strip()}"


def _build_wheel(tmp_path: Path) -> Path:
    """``pip wheel`` on a clean copy of the sources (a build in the checkout would reuse and
    leave behind its build/ folder, where a deleted module can linger)."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for folder in ("sim", *resources.FOLDERS):
        shutil.copytree(ROOT / folder, src / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist),
                    str(src)], check=True, capture_output=True, text=True)
    (wheel,) = dist.glob("straitsim-*.whl")
    return wheel


def _venv_with_wheel(tmp_path: Path, wheel: Path) -> Path:
    """A fresh venv holding the wheel. Its runtime dependencies are this interpreter's (a .pth
    file lists our site-packages, so nothing is downloaded); the editable install of this
    checkout stays invisible, since .pth files in a directory a .pth file adds are not run."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages",
                    str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                                         "['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(site, "_test_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", str(wheel)], check=True, capture_output=True, text=True)
    return venv


@pytest.mark.slow
def test_the_wheel_runs_the_bundled_scenarios_outside_the_repository(tmp_path):
    wheel = _build_wheel(tmp_path)
    shipped = set(zipfile.ZipFile(wheel).namelist())
    for f in ("scenarios/blockade.yaml", "scenarios/common/alliance.yaml",
              "scenarios/variants/blockade_direct_channel.yaml", "seeds/claims.yaml",
              "seeds/sources.yaml", "schema/scenario.schema.json", "cases/blockade_total.yaml"):
        assert f"sim/_bundled/{f}" in shipped, f
    venv = _venv_with_wheel(tmp_path, wheel)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}

    def run(*args: str) -> str:
        done = subprocess.run([str(a) for a in args], cwd=elsewhere, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{args}: {done.stderr}"
        return done.stdout

    where = run(venv / "bin" / "python", "-c",
                "import sim, sim.resources as r; print(sim.__file__); print(r.data_root()); "
                "print(r.schema_file().is_file(), r.claims_file().is_file())").splitlines()
    assert Path(where[0]).is_relative_to(venv), where  # the wheel, not this checkout
    assert Path(where[1]).is_relative_to(venv) and where[2] == "True True", where

    straitsim = venv / "bin" / "straitsim"
    assert run(straitsim, "--version") == f"straitsim {sim.__version__}\n"
    assert run(straitsim).startswith("Usage: straitsim")  # alone: the help, exit code 0
    listed = run(straitsim, "list").splitlines()
    assert sorted(line.split()[0] for line in listed) == sorted(BUNDLED)
    assert "invalid" not in "".join(listed)
    assert run(straitsim, "validate", "blockade").startswith("ok: blockade (blockade)")
    explained = run(straitsim, "explain", "blockade", "--only", "actors.us.resolve")
    assert "scenarios/common/alliance.yaml:" in explained  # extends resolved inside the wheel
    assert "source us-strategic-ambiguity: U.S. presidents" in explained  # the claim's text

    assert run(straitsim, "run", "blockade", "-n", "50", "--out", "out", "-q") == ""
    out = elsewhere / "out"
    assert {"outcomes.parquet", "manifest.json", "outcome_shares.png"} <= {
        p.name for p in out.iterdir()}
    # the casebook finds its cases, and each case its scenario variant, inside the wheel
    run(straitsim, "casebook", "blockade_total", "-n", "5", "-w", "1", "--out", "cases")
    assert (elsewhere / "cases" / "casebook.json").is_file()


def test_readme_says_what_make_test_installs_and_how_to_run_the_browser_test():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "-e '.[test]'" in (ROOT / "Makefile").read_text(encoding="utf-8")
    said = readme.split("`make test` adds the `test` extras", 1)[1].split("\n\n", 1)[0].lower()
    for requirement in PYPROJECT["project"]["optional-dependencies"]["test"]:
        name = re.match(r"[\w.-]+", requirement)[0]
        assert name.lower() in said, f"README does not say that make test installs {name}"
    # The browser test: skipped without Chromium, a failure with STRAITSIM_REQUIRE_BROWSER=1,
    # which .ci/run sets after installing Chromium.
    assert "STRAITSIM_REQUIRE_BROWSER" in (ROOT / "tests" / "test_report.py").read_text()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "export STRAITSIM_REQUIRE_BROWSER=1" in ci and "chromium" in ci
    assert "STRAITSIM_REQUIRE_BROWSER=1 make test" in readme and "`.ci/run`" in readme
    assert "skipped" in readme.split("STRAITSIM_REQUIRE_BROWSER=1 make test")[0][-600:]
