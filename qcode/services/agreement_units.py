"""The units behind one agreement figure, agreed and disagreed (the agreement screen's enter).

A supervisor checking a κ or α needs every unit the figure was computed from, not only the
open disagreements. The units come from :func:`qcode.services.consensus.units` (agreement's
own units and matching, :func:`qcode.analysis.disagreements.review_units`), laid out by
:func:`qcode.analysis.disagreements.units_behind`; the figure's unit count comes from the
figure itself (:func:`qcode.services.analysis.project_agreement` or ``agreement_breakdown``),
so the units where no coder applied a code (agreement on absence, counted but not listed) are
exactly the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from qcode.analysis.disagreements import units_behind as lay_out
from qcode.errors import QcodeError
from qcode.services import analysis, consensus
from qcode.services.frames import codes_frame
from qcode.services.project import Project

VIEWS = ("code", "pair", "document", "case", "channel")


@dataclass(frozen=True)
class UnitsBehind:
    """The units of one figure and how they add up to its unit count."""

    label: str
    """The figure, as people read it (a code's name, ``anna × bob``, a document)."""
    coders: tuple[str, ...]
    units: pd.DataFrame
    """:data:`~qcode.analysis.disagreements.UNITS_BEHIND_COLUMNS`, in document order."""
    figure_units: int
    """The figure's own unit count (``n_units``)."""
    absent: int
    """Counted units no coder applied the code to: agreed on absence, not listed."""
    agreed: int
    disagreed: int
    settled: int
    uncounted: int = 0
    """Listed units the figure leaves out (a set's turns only one coder gave a code of it)."""


def _figure(frame: pd.DataFrame, mask: pd.Series, what: str) -> pd.Series:
    rows = frame[mask]
    if rows.empty:
        raise QcodeError(f"No agreement figure for {what}.")
    return rows.iloc[0]


def units_behind(
    project: Project, coders: Sequence[str], view: str, key: str | tuple[str, str], viewer: str | None = None
) -> UnitsBehind:
    """Every unit behind one row or cell of the agreement screen.

    Args:
        coders: the coders the screen compares.
        view: ``code`` (``key``: a code id, ``set:NAME`` or a pooled row's label), ``pair``
            (``key``: the two coders of a matrix cell) or ``document`` / ``case`` / ``channel``
            (``key``: the part).
        viewer: blind mode applies to the viewer, as on the screen.
    """
    coders = list(coders)
    with project.session() as session:
        book = codes_frame(session)
    names: dict[str, str] = {str(c): str(n) for c, n in zip(book["code"], book["name"], strict=True)}
    codes: list[str] | None = None
    exclusive = ""
    among = coders
    scope: tuple[str, str] | None = None
    if view == "code":
        report = analysis.project_agreement(project, coders, bootstrap=0, viewer=viewer)
        row = _figure(report, report["code"].astype(str) == str(key), f"'{key}'")
        if row["kind"] == "code":
            codes, label = [str(key)], names.get(str(key), str(key))
        elif row["kind"] == "set":
            exclusive = str(key).removeprefix("set:")
            codes = [c for c, s in zip(book["code"], book["exclusive"].fillna(""), strict=True) if s == exclusive]
            label = f"the set {exclusive}"
        else:
            label = str(key)
    elif view == "pair":
        a, b = key if isinstance(key, tuple) else (key, "")
        if a not in coders or b not in coders or a == b:
            raise QcodeError("A cell of the pair matrix stands for two different coders.")
        pairs = analysis.agreement_breakdown(project, coders, "pair", viewer=viewer)
        mask = ((pairs["coder_a"] == a) & (pairs["coder_b"] == b)) | ((pairs["coder_a"] == b) & (pairs["coder_b"] == a))
        row = _figure(pairs, mask, f"{a} × {b}")
        among, label = [c for c in coders if c in (a, b)], f"{a} × {b}"
    elif view in ("document", "case", "channel"):
        parts = analysis.agreement_breakdown(project, coders, view, viewer=viewer)
        row = _figure(parts, parts["group"].astype(str) == str(key), f"{view} '{key}'")
        scope, label = (view, str(key)), f"{view} {key}"
    else:
        raise QcodeError(f"Unknown agreement view '{view}' ({', '.join(VIEWS)}).")
    found = consensus.units(project, among, codes, viewer)
    if scope is not None:
        found = found[found[scope[0]].astype(str) == scope[1]]
    listed = lay_out(found, names, exclusive)
    counted = listed[listed["counted"]]
    figure_units = int(row["n_units"])
    return UnitsBehind(
        label=label, coders=tuple(among), units=listed, figure_units=figure_units,
        absent=0 if exclusive else figure_units - len(counted),
        agreed=int((listed["status"] == "agreed").sum()), disagreed=int((listed["status"] == "disagreed").sum()),
        settled=int(listed["settled"].sum()), uncounted=len(listed) - len(counted),
    )
