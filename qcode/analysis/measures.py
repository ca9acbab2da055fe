"""Conversation measures ("Omvang gesprek" and more) per document and per case.

Pure pandas on the frames of docs/architecture.md; no storage. Rules, chosen so out-of-order
lines and chats past midnight can never give negative figures:

- duration = latest time − earliest time of the document (all roles), not last − first
  printed; times are absolute (the reader resolves midnight roll-over);
- words come from the frame's ``words`` column (``qcode.transcripts.words.count_words``);
- dominance (share of words) is counted between counsellor and client only; platform
  messages are nobody's words. NaN when neither said a word;
- speaker switches and response times follow :mod:`qcode.analysis.response_times`;
- silences use the Stiltes rule of :mod:`qcode.coding.autocode.silences` (the same count
  ``qcode autocode`` codes); ``long_gaps`` counts raw pauses over the threshold, without the
  typing allowance. Both are NA for e-mail.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

import pandas as pd

from qcode.analysis.response_times import gaps_minutes, response_times
from qcode.coding.autocode.settings import DEFAULT_TYPING_CHARS_PER_MINUTE
from qcode.coding.autocode.silences import find_silences, gaps_in_time_order
from qcode.transcripts.model import Role, Utterance

__all__ = ["case_measures", "document_measures", "gaps_minutes", "response_times"]

ROLES = ("counsellor", "client", "system")
CHAT = "chat"
EMAIL = "email"


def _utterance_values(rows: pd.DataFrame) -> list[Utterance]:
    """Rows of one document as domain utterances, so the Stiltes rule is applied verbatim."""
    ordered = rows.sort_values("index", kind="stable")
    return [
        Utterance(
            index=int(record["index"]),
            role=Role(str(record["role"])),
            speaker=str(record.get("speaker", "")),
            time=None if pd.isna(record["time"]) else pd.Timestamp(record["time"]).to_pydatetime(),
            text=str(record["text"]),
            start=int(record.get("start", 0)),
            end=int(record.get("end", 0)),
            out_of_order=bool(record.get("out_of_order", False)),
        )
        for record in ordered.to_dict("records")
    ]


def _silence_counts(
    rows: pd.DataFrame, silence_minutes: float, typing_chars_per_minute: float
) -> tuple[int, int]:
    utterances = [u for u in _utterance_values(rows) if u.role is not Role.SYSTEM]
    silences = find_silences(utterances, silence_minutes, typing_chars_per_minute)
    gaps = gaps_in_time_order([u.time for u in utterances])
    long_gaps = sum(1 for gap in gaps if gap is not None and gap > silence_minutes)
    return len(silences), long_gaps


def _mean_median(values: Iterable[float]) -> tuple[float, float]:
    series = pd.Series(list(values), dtype="float64").dropna()
    if series.empty:
        return float("nan"), float("nan")
    return float(series.mean()), float(series.median())


def _share(part: float, whole: float) -> float:
    return part / whole if whole > 0 else float("nan")


def _document_row(
    document: Mapping[Hashable, object],
    rows: pd.DataFrame,
    responses: pd.DataFrame,
    silence_minutes: float,
    typing_chars_per_minute: float,
) -> dict[str, object]:
    channel = str(document["channel"])
    times = pd.to_datetime(rows["time"]).dropna()
    first: object = pd.NaT
    last: object = pd.NaT
    duration = float("nan")
    if not times.empty:
        first, last = times.min(), times.max()
        duration = (times.max() - times.min()).total_seconds() / 60.0
    roles = rows["role"].astype(str)
    utterances = {role: int((roles == role).sum()) for role in ROLES}
    words = {role: int(rows.loc[roles == role, "words"].sum()) for role in ROLES}
    spoken = words["counsellor"] + words["client"]
    answers = _between(responses, "client", "counsellor")
    replies = _between(responses, "counsellor", "client")
    mean_minutes, median_minutes = _mean_median(answers["gap_minutes"])
    mean_days, median_days = _mean_median(answers["gap_days"])
    silences: object = pd.NA
    long_gaps: object = pd.NA
    if channel == CHAT:
        silences, long_gaps = _silence_counts(rows, silence_minutes, typing_chars_per_minute)
    return {
        "document": document["document"],
        "case": document["case"],
        "channel": channel,
        "first_time": first,
        "last_time": last,
        "duration_minutes": duration,
        "utterances": len(rows),
        **{f"utterances_{role}": utterances[role] for role in ROLES},
        **{f"words_{role}": words[role] for role in ROLES},
        "share_words_counsellor": _share(words["counsellor"], spoken),
        "share_words_client": _share(words["client"], spoken),
        "speaker_switches": len(responses),
        "mean_counsellor_response_minutes": mean_minutes,
        "median_counsellor_response_minutes": median_minutes,
        "mean_counsellor_response_days": mean_days,
        "median_counsellor_response_days": median_days,
        "mean_client_response_minutes": _mean_median(replies["gap_minutes"])[0],
        "mean_client_response_days": _mean_median(replies["gap_days"])[0],
        "silences": silences,
        "long_gaps": long_gaps,
    }


def _between(responses: pd.DataFrame, from_role: str, to_role: str) -> pd.DataFrame:
    return responses[(responses["from_role"] == from_role) & (responses["to_role"] == to_role)]


def document_measures(
    utterances: pd.DataFrame,
    documents: pd.DataFrame,
    silence_minutes: float = 3.0,
    typing_chars_per_minute: float = DEFAULT_TYPING_CHARS_PER_MINUTE,
) -> pd.DataFrame:
    """One row per document of ``documents`` (also those without utterances).

    Columns: document, case, channel, first_time, last_time, duration_minutes, utterances,
    utterances_<role> and words_<role> for counsellor, client, system, share_words_counsellor,
    share_words_client, speaker_switches, mean/median_counsellor_response_minutes and
    _days (both computed for every channel from the same timestamps: read minutes for chat,
    days for e-mail), mean_client_response_minutes/_days, silences, long_gaps.
    """
    responses = response_times(utterances)
    rows_by_document = {key: rows for key, rows in utterances.groupby("document", sort=False)}
    responses_by_document = {key: rows for key, rows in responses.groupby("document", sort=False)}
    empty_rows = utterances.iloc[0:0]
    empty_responses = responses.iloc[0:0]
    records = [
        _document_row(
            document,
            rows_by_document.get(document["document"], empty_rows),
            responses_by_document.get(document["document"], empty_responses),
            silence_minutes,
            typing_chars_per_minute,
        )
        for document in documents.to_dict("records")
    ]
    frame = pd.DataFrame.from_records(records, columns=DOCUMENT_COLUMNS)
    return frame.astype({"silences": "Int64", "long_gaps": "Int64"})


DOCUMENT_COLUMNS = [
    "document",
    "case",
    "channel",
    "first_time",
    "last_time",
    "duration_minutes",
    "utterances",
    *(f"utterances_{role}" for role in ROLES),
    *(f"words_{role}" for role in ROLES),
    "share_words_counsellor",
    "share_words_client",
    "speaker_switches",
    "mean_counsellor_response_minutes",
    "median_counsellor_response_minutes",
    "mean_counsellor_response_days",
    "median_counsellor_response_days",
    "mean_client_response_minutes",
    "mean_client_response_days",
    "silences",
    "long_gaps",
]


def case_measures(
    utterances: pd.DataFrame,
    documents: pd.DataFrame,
    silence_minutes: float = 3.0,
    typing_chars_per_minute: float = DEFAULT_TYPING_CHARS_PER_MINUTE,
) -> pd.DataFrame:
    """One row per case: how much contact, how much each side wrote, how fast replies came.

    Columns: case, n_documents, n_chats, n_emails, email_messages (counsellor and client
    e-mails), words_<role>, share_words_counsellor, share_words_client, chat_minutes_total,
    chat_minutes_mean, mean_counsellor_response_days_email (over every client → counsellor
    turn of the case's e-mails, as "Omvang gesprek" asks), mean_counsellor_response_minutes_chat,
    mean_counsellor_response_days (all channels together, for combined cases), silences.
    """
    per_document = document_measures(
        utterances, documents, silence_minutes, typing_chars_per_minute
    )
    answers = _between(response_times(utterances), "client", "counsellor")
    records: list[dict[str, object]] = []
    for case, docs in per_document.groupby("case", sort=True):
        chats = docs[docs["channel"] == CHAT]
        emails = docs[docs["channel"] == EMAIL]
        words = {role: int(docs[f"words_{role}"].sum()) for role in ROLES}
        spoken = words["counsellor"] + words["client"]
        case_answers = answers[answers["case"] == case]
        records.append(
            {
                "case": case,
                "n_documents": len(docs),
                "n_chats": len(chats),
                "n_emails": len(emails),
                "email_messages": int(
                    emails["utterances_counsellor"].sum() + emails["utterances_client"].sum()
                ),
                **{f"words_{role}": words[role] for role in ROLES},
                "share_words_counsellor": _share(words["counsellor"], spoken),
                "share_words_client": _share(words["client"], spoken),
                "chat_minutes_total": float(chats["duration_minutes"].sum()),
                "chat_minutes_mean": _mean_median(chats["duration_minutes"])[0],
                "mean_counsellor_response_days_email": _mean_median(
                    case_answers.loc[case_answers["channel"].astype(str) == EMAIL, "gap_days"]
                )[0],
                "mean_counsellor_response_minutes_chat": _mean_median(
                    case_answers.loc[case_answers["channel"].astype(str) == CHAT, "gap_minutes"]
                )[0],
                "mean_counsellor_response_days": _mean_median(case_answers["gap_days"])[0],
                "silences": int(chats["silences"].sum()),
            }
        )
    return pd.DataFrame.from_records(records, columns=CASE_COLUMNS)


CASE_COLUMNS = [
    "case",
    "n_documents",
    "n_chats",
    "n_emails",
    "email_messages",
    *(f"words_{role}" for role in ROLES),
    "share_words_counsellor",
    "share_words_client",
    "chat_minutes_total",
    "chat_minutes_mean",
    "mean_counsellor_response_days_email",
    "mean_counsellor_response_minutes_chat",
    "mean_counsellor_response_days",
    "silences",
]
