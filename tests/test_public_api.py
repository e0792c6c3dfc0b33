"""The public API is what `dachu` exports: pinned here so a change to it is a decision, not an accident."""

from __future__ import annotations

import subprocess
import sys

import dachu
from dachu import errors


def test_exported_names() -> None:
    assert sorted(dachu.__all__) == [
        "CampaignFileError", "DachuError", "IngestError", "InputError", "PlanError", "Problem", "Workspace",
        "__version__",
    ]
    for name in dachu.__all__:
        assert getattr(dachu, name) is not None


def test_workspace_is_the_facade() -> None:
    from dachu.app import Workspace

    assert dachu.Workspace is Workspace


def test_every_user_facing_error_is_in_the_tree() -> None:
    tree = {cls.__name__ for cls in errors.DachuError.__subclasses__()}
    assert tree == {"CampaignFileError", "PlanError", "InputError", "IngestError"}
    for name in tree:
        assert name in (errors.__doc__ or "")


def test_importing_the_package_does_not_load_the_facade() -> None:
    code = "import sys, dachu; print('dachu.app' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
