"""Plain text of what a Pilot-driven app shows (for asserting on rendered output)."""

from __future__ import annotations

from textual.app import App


def screen_text(app: App[object]) -> str:
    """The current screen as lines of text (styles dropped)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)
