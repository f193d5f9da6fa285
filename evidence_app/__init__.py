"""Evidence App (证据包): core package. Nothing here imports Qt."""

__version__ = "0.1.0"
