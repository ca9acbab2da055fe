"""Packaged data: the Klikvoorhulp codebook for installs without the source checkout."""
