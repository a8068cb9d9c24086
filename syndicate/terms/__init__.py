"""The glossary: official titles, ranks, names, places and organizations,
enforced in every translation (see glossary/README.md for the file format)."""
from .glossary import Glossary, Reloader, load  # noqa: F401
from .model import Entry, GlossaryError  # noqa: F401

# The name syndicate.runtime calls.
load_glossary = load
