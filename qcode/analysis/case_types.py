"""Case types as the Klik voor hulp study groups its cases (docs/report.md, "Corpus").

The study sorted its 50 cases into five kinds of contact. qcode derives the kind from what
was imported, never from a hand-typed attribute, with these rules (a *message* is one e-mail:
a counsellor's or client's utterance in an e-mail document; platform messages do not count):

- ``single e-mail contact``: only e-mail, and at most one message from each side (one
  question and at most one answer);
- ``multi-message e-mail contact``: only e-mail, and more messages than that;
- ``single chat``: exactly one chat and no e-mail;
- ``repeated chats``: two or more chats and no e-mail;
- ``chat + e-mail``: at least one chat and at least one e-mail document;
- ``no contact``: a case without documents (a manifest row whose files were not imported).

Pure pandas on the frames of docs/architecture.md.
"""

from __future__ import annotations

import pandas as pd

SINGLE_EMAIL = "single e-mail contact"
MULTI_EMAIL = "multi-message e-mail contact"
SINGLE_CHAT = "single chat"
REPEATED_CHATS = "repeated chats"
CHAT_AND_EMAIL = "chat + e-mail"
NO_CONTACT = "no contact"
CASE_TYPES = (SINGLE_EMAIL, MULTI_EMAIL, SINGLE_CHAT, REPEATED_CHATS, CHAT_AND_EMAIL, NO_CONTACT)
"""In the study's order; ``no contact`` last (it should not occur)."""

SPOKEN = ("counsellor", "client")


def _case_type(chats: int, email_documents: int, client_mails: int, counsellor_mails: int) -> str:
    if chats and email_documents:
        return CHAT_AND_EMAIL
    if chats:
        return SINGLE_CHAT if chats == 1 else REPEATED_CHATS
    if email_documents:
        return SINGLE_EMAIL if client_mails <= 1 and counsellor_mails <= 1 else MULTI_EMAIL
    return NO_CONTACT


def case_types(
    cases: pd.DataFrame, documents: pd.DataFrame, utterances: pd.DataFrame
) -> pd.DataFrame:
    """One row per case of ``cases``: its type and how many chats and e-mails it holds.

    Returns:
        Columns ``case``, ``case_type``, ``chats`` (chat documents), ``email_documents``,
        ``emails`` (e-mail messages), ``client_emails``, ``counsellor_emails``.
    """
    keys = [str(c) for c in cases["case"].tolist()]
    docs = documents[documents["case"].astype(str).isin(keys)]
    chats = docs[docs["channel"].astype(str) == "chat"].groupby(docs["case"].astype(str)).size()
    mail_docs = docs[docs["channel"].astype(str) == "email"]
    mail_counts = mail_docs.groupby(mail_docs["case"].astype(str)).size()
    mails = utterances[
        (utterances["channel"].astype(str) == "email") & utterances["role"].astype(str).isin(SPOKEN)
    ]
    by_role = mails.groupby([mails["case"].astype(str), mails["role"].astype(str)]).size()
    rows: list[dict[str, object]] = []
    for case in keys:
        n_chats = int(chats.get(case, 0))
        n_mail_docs = int(mail_counts.get(case, 0))
        client = int(by_role.get((case, "client"), 0))
        counsellor = int(by_role.get((case, "counsellor"), 0))
        rows.append(
            {
                "case": case,
                "case_type": _case_type(n_chats, n_mail_docs, client, counsellor),
                "chats": n_chats,
                "email_documents": n_mail_docs,
                "emails": client + counsellor,
                "client_emails": client,
                "counsellor_emails": counsellor,
            }
        )
    columns = ["case", "case_type", "chats", "email_documents", "emails", "client_emails", "counsellor_emails"]
    return pd.DataFrame(rows, columns=columns)


def case_type_summary(per_case: pd.DataFrame) -> pd.DataFrame:
    """Cases, chats and e-mails per case type, in the study's order, with a total row.

    Types no case has are listed with zeros (the study's table has all five rows);
    ``no contact`` only when it occurs.
    """
    rows: list[dict[str, object]] = []
    for kind in CASE_TYPES:
        mine = per_case[per_case["case_type"] == kind]
        if kind == NO_CONTACT and mine.empty:
            continue
        rows.append(
            {
                "case_type": kind,
                "cases": len(mine),
                "chats": int(mine["chats"].sum()),
                "emails": int(mine["emails"].sum()),
            }
        )
    rows.append(
        {
            "case_type": "total",
            "cases": len(per_case),
            "chats": int(per_case["chats"].sum()),
            "emails": int(per_case["emails"].sum()),
        }
    )
    return pd.DataFrame(rows, columns=["case_type", "cases", "chats", "emails"])


def attribute_counts(cases: pd.DataFrame) -> pd.DataFrame:
    """Cases per value of every case attribute: attribute, value, cases, share (of all cases).

    A missing value is listed as ``(none)``; values are sorted within an attribute.
    """
    rows: list[dict[str, object]] = []
    total = len(cases)
    for attribute in [c for c in cases.columns if c != "case"]:
        values = cases[attribute].astype(object).where(cases[attribute].notna(), "(none)").astype(str)
        for value, count in sorted(values.value_counts().items()):
            rows.append(
                {
                    "attribute": str(attribute),
                    "value": str(value),
                    "cases": int(count),
                    "share": int(count) / total if total else float("nan"),
                }
            )
    return pd.DataFrame(rows, columns=["attribute", "value", "cases", "share"])
