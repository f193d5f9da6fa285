"""The desktop app (PySide6). The only package that imports Qt.

Widgets call the core's public functions; long work goes through :mod:`.job_runner`;
every user-visible string comes from :func:`evidence_app.i18n.tr` (keys ``ui.*``).
"""
