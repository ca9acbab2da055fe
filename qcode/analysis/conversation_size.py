"""Size and time of the conversations, summarised from the per-document measures.

Input is the frame of :func:`qcode.analysis.measures.document_measures` (what
``qcode metrics`` prints), so every figure here can be recomputed from
``qcode metrics --format json``. Rules:

- duration: chats only (an e-mail thread's duration is its days of waiting, not talk);
  "long" chats last 20 minutes or more, the study's selection mark;
- utterances and words per role: totals and the mean per conversation, per channel and for
  all; ``share_of_words`` is the role's part of counsellor + client words (as dominance);
- counsellor response time: each conversation's mean counsellor response (client turn →
  counsellor's next turn), then the mean and median over conversations, so a long chat does
  not outweigh short ones; minutes for chat, days for e-mail;
- silences: the Stiltes count per chat (the rule ``qcode autocode`` codes).

Histograms use numpy's ``auto`` bin edges (at most :data:`MAX_BINS` bins); counts per chat
(silences) use whole-number bins.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MAX_BINS = 30
LONG_CHAT_MINUTES = 20.0
ROLES = ("counsellor", "client", "system")
CHANNELS = ("chat", "email", "all")


def _scope(measures: pd.DataFrame, channel: str) -> pd.DataFrame:
    return measures if channel == "all" else measures[measures["channel"].astype(str) == channel]


def duration_summary(measures: pd.DataFrame) -> dict[str, float | int]:
    """Chats, mean and median duration in minutes, share lasting 20 minutes or more."""
    minutes = _scope(measures, "chat")["duration_minutes"].astype("float64").dropna()
    if minutes.empty:
        return {"chats": 0, "mean_minutes": np.nan, "median_minutes": np.nan, "share_20_minutes_or_more": np.nan}
    return {
        "chats": len(minutes),
        "mean_minutes": float(minutes.mean()),
        "median_minutes": float(minutes.median()),
        "share_20_minutes_or_more": float((minutes >= LONG_CHAT_MINUTES).mean()),
    }


def role_summary(measures: pd.DataFrame) -> pd.DataFrame:
    """Per channel (and ``all``) × role: utterances and words, totals and per conversation."""
    rows: list[dict[str, object]] = []
    for channel in CHANNELS:
        mine = _scope(measures, channel)
        spoken = float(mine["words_counsellor"].sum() + mine["words_client"].sum())
        for role in ROLES:
            words = int(mine[f"words_{role}"].sum())
            utterances = int(mine[f"utterances_{role}"].sum())
            rows.append(
                {
                    "channel": channel,
                    "role": role,
                    "conversations": len(mine),
                    "utterances": utterances,
                    "utterances_per_conversation": utterances / len(mine) if len(mine) else np.nan,
                    "words": words,
                    "words_per_conversation": words / len(mine) if len(mine) else np.nan,
                    "share_of_words": words / spoken if role != "system" and spoken else np.nan,
                }
            )
    columns = ["channel", "role", "conversations", "utterances", "utterances_per_conversation", "words", "words_per_conversation", "share_of_words"]
    return pd.DataFrame(rows, columns=columns)


def response_summary(measures: pd.DataFrame) -> pd.DataFrame:
    """Counsellor response time: chat in minutes, e-mail in days, over conversations."""
    rows: list[dict[str, object]] = []
    for channel, unit, column in (
        ("chat", "minutes", "mean_counsellor_response_minutes"),
        ("email", "days", "mean_counsellor_response_days"),
    ):
        values = _scope(measures, channel)[column].astype("float64").dropna()
        rows.append(
            {
                "channel": channel,
                "unit": unit,
                "conversations": len(values),
                "mean": float(values.mean()) if len(values) else np.nan,
                "median": float(values.median()) if len(values) else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=["channel", "unit", "conversations", "mean", "median"])


def silence_summary(measures: pd.DataFrame) -> dict[str, float | int]:
    """Silences (Stiltes) in chats: total, per chat, share of chats with at least one."""
    counts = _scope(measures, "chat")["silences"].astype("float64").dropna()
    if counts.empty:
        return {"chats": 0, "silences": 0, "mean_per_chat": np.nan, "share_of_chats_with_silence": np.nan}
    return {
        "chats": len(counts),
        "silences": int(counts.sum()),
        "mean_per_chat": float(counts.mean()),
        "share_of_chats_with_silence": float((counts > 0).mean()),
    }


def histogram(values: pd.Series, integer: bool = False) -> pd.DataFrame:
    """Bins of ``values`` (NaN left out): ``bin_start``, ``bin_end`` (exclusive but the last), ``count``."""
    data = values.astype("float64").dropna().to_numpy()
    if data.size == 0:
        return pd.DataFrame(columns=["bin_start", "bin_end", "count"])
    if integer:
        low, high = int(np.floor(data.min())), int(np.ceil(data.max()))
        step = max(1, int(np.ceil((high - low + 1) / MAX_BINS)))
        edges = np.arange(low, high + step + 1, step, dtype="float64")
    else:
        edges = np.histogram_bin_edges(data, bins="auto")
        if len(edges) - 1 > MAX_BINS:
            edges = np.histogram_bin_edges(data, bins=MAX_BINS)
    counts, edges = np.histogram(data, bins=edges)
    return pd.DataFrame({"bin_start": edges[:-1], "bin_end": edges[1:], "count": counts.astype("int64")})


def size_histograms(measures: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The histograms the report shows, keyed by what they count."""
    chats = _scope(measures, "chat")
    emails = _scope(measures, "email")
    return {
        "chat_duration_minutes": histogram(chats["duration_minutes"]),
        "words_counsellor": histogram(measures["words_counsellor"]),
        "words_client": histogram(measures["words_client"]),
        "chat_response_minutes": histogram(chats["mean_counsellor_response_minutes"]),
        "email_response_days": histogram(emails["mean_counsellor_response_days"]),
        "silences_per_chat": histogram(chats["silences"], integer=True),
    }
