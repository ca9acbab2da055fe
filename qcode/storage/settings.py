"""Project-wide settings shared through the database (blind coding and its release)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qcode.storage.schema import Setting


def get_setting(session: Session, key: str, default: str = "") -> str:
    value = session.scalar(select(Setting.value).where(Setting.key == key))
    return default if value is None else value


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    session.flush()
