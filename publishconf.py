"""Pelican settings for publishing (`make publish`): absolute URLs on the public host.

Every page, feed and the OPML then link with SITEURL; set it to the address the site
will be served from (README: « Putting the site online »).
"""

from __future__ import annotations

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

SITEURL = "https://dossier-hub.github.io/villes-intelligentes"
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
DOSSIER_STRICT = False
