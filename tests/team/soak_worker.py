"""One simulated coder for the concurrency soak (run as ``python -m tests.team.soak_worker``).

The worker applies, removes and undoes codings at random on a few shared documents
until told to stop, and writes one JSON line per *acknowledged* operation (the service call
returned, so the change is committed) to its log. Conflicts (the coding was removed by someone
else first) are logged too, as not applied. The test replays the logs to compute what the store
must contain.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from pathlib import Path

from qcode.errors import ConflictError
from qcode.services import codings as coding_service
from qcode.services.project import open_project
from qcode.storage import codings as coding_store
from qcode.storage.codings import CodingFilter

CODES = ["open_vraag", "verificatie_interpretatie", "intake"]
RESULT = re.compile(r"^(undid|redid) (add|remove) of coding (\d+)")


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--coder", required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--log", type=Path, required=True)
    parser.add_argument("--go", type=Path, required=True, help="File holding the stop time (epoch).")
    parser.add_argument("--documents", nargs="+", required=True)
    parser.add_argument("--utterances", type=int, default=4)
    return parser.parse_args()


def main() -> None:
    args = _parse_args()
    rng = random.Random(args.seed)
    project = open_project(args.project, migrate=False)
    ready = args.log.with_suffix(".ready")
    ready.write_text("ready")
    while not args.go.exists():
        time.sleep(0.02)
    until = float(args.go.read_text())
    started = time.time()
    with args.log.open("w", encoding="utf-8") as log:

        def write(entry: dict[str, object]) -> None:
            log.write(json.dumps(entry) + "\n")
            log.flush()

        while time.time() < until:
            document = rng.choice(args.documents)
            roll = rng.random()
            try:
                if roll < 0.40:
                    cid = coding_service.add_coding(
                        project, document, rng.choice(CODES), args.coder,
                        utterance=rng.randrange(args.utterances),
                    )
                    write({"op": "add", "id": cid})
                elif roll < 0.70:
                    with project.session() as session:
                        live = coding_store.coding_rows(session, CodingFilter(documents=[document]))
                    if not live:
                        continue
                    target = int(rng.choice(live)["id"])
                    coding_service.remove_coding(project, target, args.coder)
                    write({"op": "remove", "id": target})
                else:
                    redo = rng.random() < 0.3
                    result = (coding_service.redo if redo else coding_service.undo)(project, args.coder)
                    if result is None:
                        write({"op": "redo" if redo else "undo", "action": None, "id": None})
                        continue
                    match = RESULT.match(result)
                    if match is None:
                        raise AssertionError(f"unexpected undo result: {result}")
                    write({
                        "op": {"undid": "undo", "redid": "redo"}[match.group(1)],
                        "action": match.group(2),
                        "id": int(match.group(3)),
                    })
            except ConflictError as error:
                write({"op": "conflict", "message": str(error)})
            except Exception as error:  # logged for the test to fail on; keep soaking
                write({"op": "error", "message": f"{type(error).__name__}: {error}"})
        write({"op": "end", "seconds": time.time() - started})
    project.close()


if __name__ == "__main__":
    main()
