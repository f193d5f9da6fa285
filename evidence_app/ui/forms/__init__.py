"""Detail forms: one per kind of record, built on :mod:`.form_base`."""
