"""Agreement between coders per code, and adjudication of their disagreements.

The coefficients come from :func:`qcode.services.analysis.project_agreement` (bootstrap 200
here, for speed; the CLI's ``qcode agreement`` uses 1000), the disagreements from
:func:`qcode.services.analysis.disagreements`, and each decision is stored by
:func:`qcode.services.analysis.adjudicate`. Both reads run in thread workers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from qcode.errors import QcodeError
from qcode.services import analysis, workbench
from qcode.services import coding as coding_service
from qcode.tui.bindings import AGREEMENT_BINDINGS, DISAGREEMENT_BINDINGS
from qcode.tui.widgets.frame_table import MISSING, fill_table, format_cell

if TYPE_CHECKING:
    from qcode.tui.app import QcodeApp

NAME_WIDTH = 24
"""Cells wider than this are cut, so the coefficients fit beside the code at 80 columns."""

BOOTSTRAP = 200
"""Bootstrap resamples for alpha's confidence interval in the UI (a second, not ten)."""

COLUMNS = {
    "name": "Code",
    "percent_agreement": "% agree",
    "cohen_kappa": "Cohen κ",
    "alpha": "α",
    "alpha_ci": "α 95% CI",
    "ac1": "AC1",
    "fleiss_kappa": "Fleiss κ",
    "n_units": "Units",
    "n_units_coded": "Coded",
    "kind": "Kind",
    "warning": "Warning",
}
"""Report columns shown, in this order (coefficients first: at 80 columns they stay visible)."""


def agreement_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The report with alpha's interval as one text column (layout only, no arithmetic)."""
    ci = [
        MISSING if MISSING in (lo, hi) else f"{lo}–{hi}"
        for lo, hi in zip(map(format_cell, frame["alpha_low"]), map(format_cell, frame["alpha_high"]), strict=True)
    ]
    return frame.assign(alpha_ci=ci)


class AgreementScreen(Screen[None]):
    """Per-code coefficients; enter on a code steps through its disagreements."""

    BINDINGS = AGREEMENT_BINDINGS

    def __init__(self, coders: list[str] | None = None) -> None:
        super().__init__()
        self.coders = coders or []
        self.kinds: dict[str, str] = {}

    @property
    def qapp(self) -> QcodeApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="agreement-status")
        yield DataTable(id="agreement", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Agreement"
        if not self.coders:
            self.coders = workbench.agreement_coders(self.qapp.project, self.qapp.coder)
        self.query_one(DataTable).focus()
        self.refresh_report()

    def refresh_report(self) -> None:
        self._status(f"Coders: {', '.join(self.coders) or 'none'} — computing agreement…")
        self.compute()

    def _status(self, text: str) -> None:
        self.query_one("#agreement-status", Static).update(Content(text))

    @work(thread=True, exclusive=True, group="agreement")
    def compute(self) -> None:
        """The agreement report, off the UI thread (the bootstrap takes a moment)."""
        try:
            frame = analysis.project_agreement(
                self.qapp.project, self.coders, bootstrap=BOOTSTRAP, viewer=self.qapp.coder
            )
        except QcodeError as error:
            self.app.call_from_thread(self._status, error.message)
            return
        self.app.call_from_thread(self._show, frame)

    def _show(self, frame: pd.DataFrame) -> None:
        self.kinds = {str(c): str(k) for c, k in zip(frame["code"], frame["kind"], strict=True)}
        fill_table(
            self.query_one(DataTable), agreement_rows(frame), list(COLUMNS), COLUMNS, key="code",
            widths={"name": NAME_WIDTH},
        )
        self._status(
            f"Coders: {', '.join(self.coders)} · α CI from {BOOTSTRAP} bootstrap samples · enter: disagreements"
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.open_code(event.row_key.value)

    def action_disagreements(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if key is not None:
                self.open_code(key)

    def open_code(self, code: str) -> None:
        """Step through the disagreements on ``code`` (a single code, not a set or pool)."""
        if self.kinds.get(code) != "code":
            self.notify("Choose a single code: sets and pooled rows have no disagreements of their own.")
            return
        self.app.push_screen(DisagreementScreen(code, self.coders))

    def action_seed_consensus(self) -> None:
        """Copy every coding all coders agree on into the consensus (supervisors)."""
        try:
            n = analysis.seed_consensus(self.qapp.project, self.coders, self.qapp.coder)
        except QcodeError as error:
            self.notify(error.message, title=error.title or "qcode", severity="error")
            return
        self.notify(f"{n} agreed codings copied into the consensus.")

    def action_release_blind(self) -> None:
        try:
            coding_service.release_blind(self.qapp.project, self.qapp.coder)
        except QcodeError as error:
            self.notify(error.message, title=error.title or "qcode", severity="error")
            return
        self.notify("Blind coding released: every coder now sees every coding.")


class DisagreementScreen(Screen[None]):
    """One disagreement at a time: text, who applied the code, who did not, the rule behind it."""

    BINDINGS = DISAGREEMENT_BINDINGS

    def __init__(self, code: str, coders: list[str]) -> None:
        super().__init__()
        self.code = code
        self.coders = coders
        self.items: list[dict[str, Any]] = []
        self.position = 0
        self.loaded = False
        """True once the service answered (with disagreements, none, or an error)."""

    @property
    def qapp(self) -> QcodeApp:
        return self.app  # type: ignore[return-value]

    def code_name(self) -> str:
        found = [c.name for c in self.qapp.codebook.codes if c.id == self.code]
        return found[0] if found else self.code

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading disagreements…", id="where")
        with VerticalScroll(id="unit-box"):
            yield Static("", id="unit-text")
        with Horizontal(id="sides"):
            yield Static("", id="with", classes="side")
            yield Static("", id="without", classes="side")
        yield Static("", id="rule")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Disagreements: {self.code_name()}"
        self.load()

    @work(thread=True, exclusive=True, group="disagreements")
    def load(self) -> None:
        try:
            frame = analysis.disagreements(self.qapp.project, self.coders, [self.code], viewer=self.qapp.coder)
        except QcodeError as error:
            self.app.call_from_thread(self._failed, error.message)
            return
        self.app.call_from_thread(self._loaded, frame.to_dict("records"))

    def _failed(self, message: str) -> None:
        self.query_one("#where", Static).update(Content(message))
        self.loaded = True

    def _loaded(self, items: list[dict[str, Any]]) -> None:
        self.items = items
        self.position = 0
        self._show()
        self.loaded = True

    def current(self) -> dict[str, Any] | None:
        """The disagreement on screen, or None when every one is settled."""
        return self.items[self.position] if self.items else None

    def _show(self) -> None:
        item = self.current()
        if item is None:
            self.query_one("#where", Static).update(Content(f"No disagreements left on {self.code_name()}."))
            for widget in ("#unit-text", "#with", "#without", "#rule"):
                self.query_one(widget, Static).update("")
            return
        utterance = "" if pd.isna(item["utterance"]) else f"  utterance {int(item['utterance']) + 1}"
        self.query_one("#where", Static).update(
            Content(f"{self.position + 1}/{len(self.items)}  {item['document']}{utterance}  ·  y: apply  n: reject")
        )
        self.query_one("#unit-text", Static).update(Content(str(item["text"])))
        self.query_one("#with", Static).update(
            Content.assemble(("Applied by\n", "bold"), str(item["coders_with"]) or MISSING)
        )
        self.query_one("#without", Static).update(
            Content.assemble(("Not applied by\n", "bold"), str(item["coders_without"]) or MISSING)
        )
        rule = str(item.get("rules") or "")
        self.query_one("#rule", Static).update(Content(f"Suggestion rule: {rule}" if rule else "No suggestion behind it."))

    def action_step(self, step: int) -> None:
        if self.items:
            self.position = (self.position + step) % len(self.items)
            self._show()

    def action_settle(self, apply: bool) -> None:
        """Store the supervisor's decision in the consensus, then show the next disagreement."""
        item = self.current()
        if item is None:
            return
        try:
            analysis.adjudicate(
                self.qapp.project, str(item["document"]), int(item["start"]), int(item["end"]),
                self.code, apply, self.qapp.coder,
            )
        except QcodeError as error:
            self.notify(error.message, title=error.title or "qcode", severity="error")
            return
        self.notify(f"Consensus: {self.code_name()} {'applied' if apply else 'rejected'}.", timeout=2)
        del self.items[self.position]
        self.position = min(self.position, max(len(self.items) - 1, 0))
        self._show()
