"""The sync-correctness study: the shipped backends and the discussion's naive designs, compared.

``python -m study`` (or ``nox -s study``) runs every strategy over the named-scenario catalogue and
random schedules in the ``jujusim`` simulator, and writes ``reports/study.json``, from which
``python -m reporting`` renders ``reports/study.md``.
"""
