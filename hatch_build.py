"""Hatchling build hook: the wheel carries the files qcode ships (see ``qcode/bundled.py``).

The mapping (repository path -> path in the wheel) is the ``bundle`` table under
``[tool.hatch.build.targets.wheel.hooks.custom]`` in ``pyproject.toml``. It is applied to
regular wheels only: hatchling's plain ``force-include`` table would also copy the files into
site-packages on ``pip install -e .``, where they would sit unused and go stale.
"""

from __future__ import annotations

from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "standard":
            build_data["force_include"].update(self.config["bundle"])
