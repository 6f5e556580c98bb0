"""Pelican settings for publishing: absolute URLs on the public host."""

from __future__ import annotations

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

SITEURL = "https://dossier-hub.github.io/villes-intelligentes"
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
DOSSIER_STRICT = False
