"""Pelican settings for publishing (`make publish`): the public address.

Feeds, the OPML and dossier.json link with SITEURL, the address the site will be served
from (README: « Putting the site online »). Links between pages stay relative, as in a
local build: they work under any address, and the hub's weight does not grow with the
length of SITEURL (its ~150 links would cost 5 kB more with a 50-character address).
"""

from __future__ import annotations

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

SITEURL = "https://dossier-hub.github.io/villes-intelligentes"
RELATIVE_URLS = True  # pages; feeds use SITEURL (publish/feeds.py: feed_base)
DELETE_OUTPUT_DIRECTORY = True
DOSSIER_STRICT = False
