"""Tables for ATLAS.ti-like analysis (CSV, XLSX): which codings go out, whose, and where.

The tables are built in ``qcode.export.tables`` from frames; this module gathers the frames
from the store (respecting blind mode), chooses whose codings a table holds, and writes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from qcode.coding.model import CONSENSUS_CODER
from qcode.config import make_private_dir
from qcode.errors import CoderChoiceError
from qcode.export import tables as table_builders
from qcode.export.display import AS_NAMES, Display
from qcode.export.summary import ExportSummary
from qcode.export.writers import write_tables
from qcode.services import memos as memo_service
from qcode.services.frames import (
    cases_frame,
    codes_frame,
    codings_frame,
    documents_frame,
    utterances_frame,
)
from qcode.services.project import Project
from qcode.services.team import visible_coders
from qcode.storage.codings import CodingFilter

TABLES = ("quotations", "quotations_long", "code_document", "code_case", "cooccurrence", "codebook", "presence")


@dataclass(frozen=True)
class ExportFilter:
    """Which codings go out; None means all. ``coders`` may name ``consensus``."""

    codes: Sequence[str] | None = None
    groups: Sequence[str] | None = None
    coders: Sequence[str] | None = None
    cases: Sequence[str] | None = None
    channels: Sequence[str] | None = None


def default_target(project: Project, fmt: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = project.folder / "exports"
    make_private_dir(folder)
    return folder / (f"qcode-{stamp}" if fmt == "csv" else f"qcode-{stamp}.{fmt}")


def build_tables(project: Project, flt: ExportFilter, viewer: str | None = None) -> dict[str, pd.DataFrame]:
    """All export tables, filtered as asked (blind mode applies to the viewer)."""
    with project.session() as session:
        codings = codings_frame(session, CodingFilter(), visible_coders(session, viewer))
        utterances = utterances_frame(session)
        documents = documents_frame(session)
        cases = cases_frame(session)
        codes = codes_frame(session)
    codings = table_builders.filter_codings(
        codings, codes=flt.codes, groups=flt.groups, coders=flt.coders, cases=flt.cases, channels=flt.channels
    )
    if flt.codes is not None or flt.groups is not None:
        keep = set(codings["code"])
        codes = codes[codes["code"].isin(keep)] if not codings.empty else codes.iloc[0:0]
    tables = {
        "quotations": table_builders.with_case_attributes(
            table_builders.quotations(codings, utterances, documents, codes), cases),
        "quotations_long": table_builders.with_case_attributes(
            table_builders.quotations_long(codings, utterances, documents, codes), cases),
        "code_document": table_builders.code_document_table(codings, codes, by="document"),
        "code_case": table_builders.code_document_table(codings, codes, by="case"),
        "cooccurrence": table_builders.cooccurrence_table(codings, codes),
        "codebook": table_builders.codebook_table(codings, codes),
        "presence": table_builders.presence_matrix(codings, cases, codes),
    }
    trail = consensus_trail(project, flt, viewer)
    if not trail.empty:
        tables["consensus_decisions"] = sheet_turns(trail)
    tables["Memos"] = memo_service.export_frame(
        project, viewer, {int(i) for i in codings["id"]}, flt.coders, flt.cases,
        set(codes["code"]) if flt.codes is not None or flt.groups is not None else None,
        set(documents.loc[documents["channel"].isin(flt.channels), "document"]) if flt.channels is not None else None,
    )
    return tables


def sheet_turns(frame: pd.DataFrame) -> pd.DataFrame:
    """A table's 0-based ``utterance`` as people count it: ``turn`` from 1 (as ``qcode show``
    and the workbench), with the stored ``index`` beside it, as the CLI's JSON gives them."""
    if "utterance" not in frame.columns:
        return frame
    index = frame["utterance"].astype("Int64")
    at = list(frame.columns).index("utterance")
    out = frame.drop(columns=["utterance"])
    out.insert(at, "index", index)
    out.insert(at, "turn", index + 1)
    return out


def consensus_trail(project: Project, flt: ExportFilter, viewer: str | None = None) -> pd.DataFrame:
    """The consensus decisions (who settled what, when, from which codings, why) when the
    export includes the consensus codings, filtered like the codings."""
    from qcode.services.consensus import decisions

    if flt.coders is not None and CONSENSUS_CODER not in flt.coders:
        return pd.DataFrame()
    trail = decisions(project, viewer)
    if flt.codes is not None:
        wanted = {c.casefold() for c in flt.codes}
        trail = trail[trail["code"].str.casefold().isin(wanted) | trail["code_id"].str.casefold().isin(wanted)]
    for column, values in (("group", flt.groups), ("case", flt.cases), ("channel", flt.channels)):
        if values is not None:
            trail = trail[trail[column].astype(str).isin([str(v) for v in values])]
    return trail.reset_index(drop=True)


def export_tables(
    project: Project,
    fmt: str,
    out: Path | None = None,
    sep: str = ",",
    force: bool = False,
    flt: ExportFilter | None = None,
    viewer: str | None = None,
    display: Display = AS_NAMES,
) -> ExportSummary:
    """Write the tables; ``display`` (readable headers, role labels) is applied as they are written."""
    tables = build_tables(project, flt or ExportFilter(), viewer)
    return write_tables(tables, out or default_target(project, fmt), fmt=fmt, sep=sep, force=force, display=display)  # type: ignore[arg-type]


def coders_with_codings(project: Project, viewer: str | None = None) -> list[str]:
    """The coders (``consensus`` and ``auto`` included) with at least one coding the viewer sees."""
    with project.session() as session:
        frame = codings_frame(session, CodingFilter(), visible_coders(session, viewer))
    return sorted({str(c) for c in frame["coder"].unique()})


def table_coders(project: Project, chosen: Sequence[str] | None, all_coders: bool = False, viewer: str | None = None) -> list[str] | None:
    """Whose codings the tables hold: the chosen coders; else the consensus if there is one.

    Tables that mix coders, the consensus and ``auto`` count one fragment several times, so
    without a choice the consensus is taken when it exists, one coder's codings when only one
    coder has any, and otherwise the export is refused with the names to choose from.
    None means every coder (``all_coders``).

    Raises:
        CoderChoiceError: Several coders have codings, none is chosen and there is no consensus.
    """
    if chosen:
        return list(chosen)
    if all_coders:
        return None
    coders = coders_with_codings(project, viewer)
    if CONSENSUS_CODER in coders:
        return [CONSENSUS_CODER]
    if len(coders) <= 1:
        return None
    raise CoderChoiceError(
        f"The tables would mix the codings of {', '.join(coders)} and there is no consensus yet. "
        "Choose whose codings to export: --coder NAME (repeat it for several), or --all-coders."
    )

