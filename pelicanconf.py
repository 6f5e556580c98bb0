"""Pelican settings for local builds: relative URLs, so that output/ works anywhere.

The site opens from disk (output/index.html) and from `make serve`. publishconf.py, used
by `make publish`, adds the public address.
"""

from __future__ import annotations

AUTHOR = "dossier-hub"
SITENAME = "Villes et territoires intelligents"
SITESUBTITLE = "Le dossier du Cerema, republié et classé par thème"
SITEURL = ""  # publishconf.py sets the public address
RELATIVE_URLS = True
PATH = "content"
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"
LOCALE = ("C.UTF-8", "C")  # dates are formatted with Babel, never with the OS locale
DEFAULT_CATEGORY = "dossier"
DEFAULT_DATE = None

THEME = "theme"
PLUGINS = ["dossier"]  # pelican.plugins.dossier, installed by `pip install -e .`

# Our content is the fetched dossier; content/ holds data files, not articles.
ARTICLE_PATHS: list[str] = []
PAGE_PATHS: list[str] = []
STATIC_PATHS: list[str] = []
IGNORE_FILES = ["*.toml", ".*"]
READERS = {"html": None}

ARTICLE_URL = "articles/{slug}/"
ARTICLE_SAVE_AS = "articles/{slug}/index.html"
TAG_URL = "themes/{slug}/"
TAG_SAVE_AS = "themes/{slug}/index.html"
DIRECT_TEMPLATES = ["index"]
TAGS_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
DEFAULT_PAGINATION = False
SLUGIFY_SOURCE = "basename"

# Feeds: the plugin writes them (publish/feeds.py; ids from the source's canonical URL,
# enclosures, theme labels, byte-identical rebuilds), so Pelican's own are all off.
# Feed files need absolute links: they start with FEED_DOMAIN, left unset here so that
# Pelican copies SITEURL into it (also a SITEURL given with `pelican -e`). A local build
# has no address of its own: its feeds and OPML point to where `make serve` (and
# `pelican --listen`) serve it, http://BIND:PORT/, so a feed reader on this machine can
# subscribe to the preview; pages link to the feeds with relative URLs.
BIND = "127.0.0.1"
PORT = 8000
# Where they go: HUB_FEED_ATOM, HUB_FEED_RSS, THEME_FEED_ATOM, THEME_FEED_RSS and
# HUB_FEED_OPML, defaults (feeds/…) in the plugin's publish/feeds.py; set one here to move it.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
FEED_ATOM = None
FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
# Each feed carries the newest entries only, as Pelican's own feeds do: enough for any
# reader to catch up, and a 5,000-article dossier does not make 40 MB feeds.
FEED_MAX_ITEMS = 100

CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

# The dossier plugin: every DOSSIER_* setting and its default is in
# plugins/pelican/plugins/dossier/settings.py; override any of them here or with `pelican -e`.
DOSSIER_START_URL = "https://www.cerema.fr/fr/node/4279"
DOSSIER_CACHE_PATH = ".cache/dossier"
