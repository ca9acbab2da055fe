"""qcode.export: tables (CSV/XLSX) and REFI-QDA exchange files (.qdpx, .qdc).

``tables``/``quotations`` build DataFrames, ``writers`` writes them; ``refi_write`` and
``refi_read`` exchange projects with ATLAS.ti, MAXQDA, NVivo and QualCoder. See
``docs/exports.md``. Nothing is imported here, so ``import qcode.export`` stays cheap.
"""
