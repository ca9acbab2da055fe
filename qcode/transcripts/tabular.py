"""Read one-row-per-message exports of other chat services (CSV and JSON Lines).

Columns: ``case_id, document_id, channel, speaker, timestamp, text`` (ISO 8601 timestamps).
``speaker``, ``timestamp`` and ``text`` are required; a missing ``case_id`` falls back on the
manifest or case folder and then the file stem, a missing ``document_id`` on the file stem, a
missing ``channel`` on the manifest and then chat. Every further column is an attribute: of the
case when it is constant over the case's rows, else of the document when constant over the
document's rows; a column that varies within a document is reported and not stored.

Each row is rendered ``{speaker} ({HH:MM}): {text}`` on its own line(s); rows keep file order
and a row earlier than the one before is flagged ``out_of_order``, as in chat files.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from qcode.errors import TranscriptParseError
from qcode.transcripts.delimited import Row, delimited_rows
from qcode.transcripts.headers import parse_channel
from qcode.transcripts.model import Case, Channel, Document, Role, Utterance
from qcode.transcripts.result import ReadResult
from qcode.transcripts.roles import RoleMap, unmapped_label_hint
from qcode.transcripts.sources import SourceFile
from qcode.transcripts.timestamps import parse_datetime

_KNOWN = ("case_id", "document_id", "channel", "speaker", "timestamp", "text")
_REQUIRED = ("speaker", "timestamp", "text")


def _csv_rows(text: str, path: str) -> Iterator[Row]:
    _header, rows = delimited_rows(text, path)
    return rows


def _jsonl_rows(text: str, path: str) -> Iterator[Row]:
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise TranscriptParseError(path, number, "each line must be a JSON object")
            values = {str(k).casefold(): "" if v is None else str(v) for k, v in item.items()}
        except TranscriptParseError:
            raise
        except ValueError as exc:
            raise TranscriptParseError(path, number, f"invalid JSON: {exc}") from None
        except RecursionError:  # json's decoder (and str of its value) recurse per nesting
            raise TranscriptParseError(
                path, number, "JSON nested too deeply; a row is one flat object"
            ) from None
        yield Row(number, values)


def _constant(rows: list[Row], column: str) -> str | None:
    values = {r.values.get(column, "") for r in rows}
    return values.pop() if len(values) == 1 else None


def _render(rows: list[Row], roles: RoleMap, path: str, warnings: list[str]) -> tuple[
    str, tuple[Utterance, ...]
]:
    parts: list[str] = []
    utterances: list[Utterance] = []
    offset = 0
    previous = None
    cache: dict[str, Role | None] = {}
    for index, row in enumerate(rows):
        for column in _REQUIRED:
            if column not in row.values:
                raise TranscriptParseError(path, row.line, f"no '{column}' column")
        speaker = " ".join(row.values["speaker"].split())
        if speaker not in cache:
            cache[speaker] = roles.role_of(speaker)
        role = cache[speaker]
        if role is None:
            raise TranscriptParseError(
                path, row.line, f"unknown speaker '{speaker}'; " + unmapped_label_hint(speaker)
            )
        moment = parse_datetime(row.values["timestamp"])
        if moment is None:
            raise TranscriptParseError(
                path, row.line, f"invalid timestamp '{row.values['timestamp']}'; use ISO 8601, years 1 to 9999"
            )
        out_of_order = previous is not None and moment < previous
        if out_of_order:
            warnings.append(
                f"{path}:{row.line}: timestamp is earlier than the row before; "
                "kept in file order and flagged out of order"
            )
        previous = moment
        body = row.values["text"].strip()
        prefix = f"{speaker} ({moment:%H:%M}): "
        start = offset + len(prefix)
        utterances.append(
            Utterance(
                index=index, role=role, speaker=speaker, time=moment, text=body, start=start,
                end=start + len(body), line=row.line, out_of_order=out_of_order,
            )
        )
        line = prefix + body + "\n"
        parts.append(line)
        offset += len(line)
    return "".join(parts), tuple(utterances)


def read_table(source: SourceFile, text: str, roles: RoleMap, fmt: str) -> ReadResult:
    """Read a CSV (``fmt="csv"``) or JSON Lines (``fmt="jsonl"``) message table.

    Raises:
        TranscriptParseError: Naming file and row line: a missing column, an unknown speaker,
            an unreadable timestamp, malformed CSV/JSON, or a document with two channels.
    """
    path = str(source.path)
    rows = list(_jsonl_rows(text, path) if fmt == "jsonl" else _csv_rows(text, path))
    if not rows:
        raise TranscriptParseError(path, None, "the table has no rows")
    default_case = source.case_key or source.path.stem
    by_case: dict[str, dict[str, list[Row]]] = {}
    for row in rows:
        case = row.values.get("case_id", "").strip() or default_case
        document = row.values.get("document_id", "").strip() or source.path.stem
        by_case.setdefault(case, {}).setdefault(document, []).append(row)
    extra = sorted({c for r in rows for c in r.values} - set(_KNOWN))
    cases: list[Case] = []
    documents: list[Document] = []
    warnings: list[str] = []
    for case_key, case_documents in by_case.items():
        case_rows = [r for group in case_documents.values() for r in group]
        case_attributes = dict(source.attributes)
        for column in extra:
            value = _constant(case_rows, column)
            if value is not None:
                case_attributes[column] = value
        cases.append(Case(case_key, case_attributes))
        for document_id, document_rows in case_documents.items():
            channel = source.channel or Channel.CHAT
            if "channel" in document_rows[0].values:
                values = _constant(document_rows, "channel")
                if values is None:
                    raise TranscriptParseError(
                        path, document_rows[0].line,
                        f"document '{document_id}' has rows with different channels",
                    )
                if values.strip():
                    channel = parse_channel(values, path, document_rows[0].line)
            attributes: dict[str, str] = {}
            for column in extra:
                if column in case_attributes:
                    continue
                value = _constant(document_rows, column)
                if value is None:
                    warnings.append(
                        f"{path}:{document_rows[0].line}: column '{column}' varies within "
                        f"document '{document_id}'; not stored"
                    )
                else:
                    attributes[column] = value
            doc_text, utterances = _render(document_rows, roles, path, warnings)
            times = [u.time for u in utterances if u.time is not None]
            documents.append(
                Document(
                    key=f"{case_key}/{document_id}", case_key=case_key, channel=channel,
                    text=doc_text, utterances=utterances, start=min(times) if times else None,
                    source=path, attributes=attributes,
                )
            )
    return ReadResult(tuple(cases), tuple(documents), tuple(warnings))
