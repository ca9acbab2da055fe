"""Transcripts: the domain model of cases, documents and utterances, and their readers.

Knows nothing of storage, UI or CLI.
"""

from qcode.transcripts.model import Case, Channel, Document, Role, Utterance

__all__ = ["Case", "Channel", "Document", "Role", "Utterance"]
