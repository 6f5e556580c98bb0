"""dossier: a Pelican plugin that republishes a thematic dossier of web articles.

``register()`` only connects the module-level handlers of ``glue``.
"""

from .glue import register

__all__ = ["register"]
