"""Only pilotage.web imports Django: the library can be used in a notebook without it."""

from pathlib import Path

from tools.check_imports import library_modules, runtime_violations, static_violations


def test_it_finds_no_django_import_in_the_library():
    assert len(library_modules()) > 10
    assert static_violations() == []


def test_it_imports_the_whole_library_without_loading_django():
    assert runtime_violations() == []


def test_it_catches_a_library_module_that_imports_django(tmp_path: Path):
    package = tmp_path / "pilotage"
    (package / "metrics").mkdir(parents=True)
    (package / "web").mkdir()
    (package / "metrics" / "bad.py").write_text("import numpy\nfrom django.db import models\n")
    (package / "metrics" / "sneaky.py").write_text("def f():\n    import pilotage.web.urls\n")
    (package / "cli.py").write_text("def serve():\n    import django\n")
    (package / "web" / "views.py").write_text("import django\n")
    assert static_violations(package) == [
        "pilotage/metrics/bad.py:2: imports django.db outside pilotage.web",
        "pilotage/metrics/sneaky.py:2: imports pilotage.web.urls outside pilotage.web",
    ]
