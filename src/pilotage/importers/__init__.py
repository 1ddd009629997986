"""Data in: read the exports of marketing tools into the canonical warehouse tables.

No Django here. ``prepare`` reads a file (any supported vendor export, or Pilotage's canonical
format) into canonical rows and reports every problem with file, line and column;
``import_files`` writes a set of files all or nothing, each as one idempotent batch.
"""

from pilotage.importers.base import Context, Converted, Importer, importers, register
from pilotage.importers.problems import Problem, Rejected
from pilotage.importers.run import (
    Committed,
    Prepared,
    commit,
    detect,
    import_files,
    prepare,
    prepare_all,
    undo,
)
from pilotage.importers.taxonomy import Rule, Taxonomy

__all__ = [
    "Committed",
    "Context",
    "Converted",
    "Importer",
    "Prepared",
    "Problem",
    "Rejected",
    "Rule",
    "Taxonomy",
    "commit",
    "detect",
    "import_files",
    "importers",
    "prepare",
    "prepare_all",
    "register",
    "undo",
]
