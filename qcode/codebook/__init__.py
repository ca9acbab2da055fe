"""Codebooks: codes, their groups, and the YAML files they live in."""

from qcode.codebook.model import Code, Codebook, Unit

__all__ = ["Code", "Codebook", "Unit"]
