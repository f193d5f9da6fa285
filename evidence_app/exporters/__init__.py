"""Exports of a case: the PDF complaint bundle (``exporters.pdf``) and, later, the packet."""
