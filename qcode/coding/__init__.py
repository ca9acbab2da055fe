"""Codings: a code applied by a coder to a span of a document."""

from qcode.coding.model import Coding, Origin

__all__ = ["Coding", "Origin"]
