"""The application layer: the operations both faces (``cli`` and ``ui``) call.

Below it: exporters, packet, intake, crypto, store, rules, model. Above it: only the faces.
"""
