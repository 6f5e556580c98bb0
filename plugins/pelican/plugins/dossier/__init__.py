"""dossier: a Pelican plugin that republishes a thematic dossier of web articles."""


def register() -> None:
    """Connect the dossier's signal handlers (imported late so stages load on their own)."""
    from .glue import register as connect

    connect()
