"""Two sessions registering the same new coder at once both get the one coder row.

On PostgreSQL the second insert waits for the first transaction and then fails on the unique
name; without a savepoint that error would abort the second coder's whole transaction (and
with it the coding they were saving).
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from qcode.services.project import Project, now
from qcode.storage import codings
from qcode.storage.schema import CoderRow


def test_a_coder_registered_meanwhile_is_found_not_duplicated(project: Project) -> None:
    results: dict[str, object] = {}

    def second() -> None:
        try:
            with project.session() as session:
                results["id"] = codings.ensure_coder(session, "Sanne", now(), supervisor=True)
                # The transaction is still usable after the clash.
                results["count"] = session.scalar(select(func.count()).select_from(CoderRow))
        except Exception as error:  # reported below, with the thread's own error
            results["error"] = error

    with project.session() as first:
        first_id = codings.ensure_coder(first, "Sanne", now())
        other = threading.Thread(target=second)
        other.start()
        time.sleep(0.5)  # the second session now waits on the first (row lock or write lock)
    other.join(timeout=30)
    assert not other.is_alive()
    assert "error" not in results, results.get("error")
    assert results["id"] == first_id
    with project.session() as session:
        rows = session.execute(select(CoderRow.name, CoderRow.supervisor)).all()
    assert [tuple(r) for r in rows if r[0] == "Sanne"] == [("Sanne", True)]
