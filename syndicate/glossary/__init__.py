"""The glossary: official titles, ranks, names, places and organizations,
enforced in every translation (see glossary/README.md for the file format)."""
from .enforce import Glossary, load  # noqa: F401
from .fileformat import Entry, GlossaryError  # noqa: F401


def load_glossary(directory):
    """What a run uses (syndicate.runtime calls this): the glossary folder,
    validated in full (errors raise GlossaryError with file:line messages).
    A folder that does not exist is an empty glossary, with a warning, so a
    minimal setup still runs; `syndicate glossary check` reports it."""
    import logging
    from pathlib import Path

    if not Path(directory).is_dir():
        logging.getLogger(__name__).warning("glossary folder %s not found: translating without a glossary", directory)
        return Glossary([], Path(directory))
    return load(directory)
