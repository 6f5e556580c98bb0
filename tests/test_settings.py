"""DOSSIER_* settings: defaults, overrides, and errors that name the setting."""

from __future__ import annotations

from pathlib import Path

import pytest
from pelican.plugins.dossier.settings import DEFAULTS, SettingsError, read_settings
from support import ROOT, pelican_cli


def test_defaults_are_valid(tmp_path: Path) -> None:
    settings = read_settings({}, base=tmp_path)
    assert settings.start_url == "https://www.cerema.fr/fr/node/4279"
    assert "www.cerema.fr" in settings.allowed_hosts
    assert settings.cache_path == tmp_path / ".cache" / "dossier"
    assert settings.timeout == (5.0, 20.0)
    assert settings.max_bytes == 5 * 1024 * 1024
    assert settings.host_concurrency == 4


def test_overrides_win_and_paths_resolve_against_the_project(tmp_path: Path) -> None:
    settings = read_settings(
        {
            "DOSSIER_ALLOWED_HOSTS": ["127.0.0.1"],
            "DOSSIER_CACHE_PATH": "/var/tmp/c",
            "DOSSIER_TIMEOUT": 3,
            "DOSSIER_OFFLINE": True,
        },
        base=tmp_path,
    )
    assert settings.allowed_hosts == ("127.0.0.1",)
    assert settings.cache_path == Path("/var/tmp/c")
    assert settings.timeout == (3.0, 3.0)
    assert settings.offline is True


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DOSSIER_START_URL", "ftp://x/y", "DOSSIER_START_URL must be an absolute http(s) URL"),
        ("DOSSIER_START_URL", "/fr/node/1", "DOSSIER_START_URL must be an absolute http(s) URL"),
        ("DOSSIER_ALLOWED_HOSTS", "cerema.fr", "DOSSIER_ALLOWED_HOSTS must be a list of strings"),
        ("DOSSIER_ALLOWED_HOSTS", ["a", ""], "DOSSIER_ALLOWED_HOSTS must hold only non-empty"),
        ("DOSSIER_OFFLINE", "yes", "DOSSIER_OFFLINE must be True or False"),
        ("DOSSIER_TIMEOUT", "x", "DOSSIER_TIMEOUT must be a number or a (connect, read) pair"),
        ("DOSSIER_TIMEOUT", (1, 0), "DOSSIER_TIMEOUT must be a number >= 0.001"),
        ("DOSSIER_MAX_BYTES", 0, "DOSSIER_MAX_BYTES must be an integer >= 1"),
        ("DOSSIER_HOST_CONCURRENCY", 2.5, "DOSSIER_HOST_CONCURRENCY must be an integer"),
        ("DOSSIER_LISTING_LINK_TEXT", "(", "DOSSIER_LISTING_LINK_TEXT is not a valid regular"),
        ("DOSSIER_FEED_CONTENT", "all", "DOSSIER_FEED_CONTENT must be one of full, summary"),
        ("DOSSIER_RETRIES", True, "DOSSIER_RETRIES must be an integer"),
        ("DOSSIER_NEW_DAYS", -1, "DOSSIER_NEW_DAYS must be an integer >= 0"),
        ("DOSSIER_NEW_DAYS", "30", "DOSSIER_NEW_DAYS must be an integer >= 0"),
        ("DOSSIER_KEEP_REMOVED", "no", "DOSSIER_KEEP_REMOVED must be True or False"),
        ("DOSSIER_FEEDS", "http://x/f.xml", "DOSSIER_FEEDS must be a list of strings"),
        ("DOSSIER_FEEDS", ["file:///etc/passwd"], "DOSSIER_FEEDS must be an absolute http(s)"),
    ],
)
def test_bad_values_name_the_setting(name: str, value: object, message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        read_settings({name: value})
    assert str(caught.value).startswith(message)


def test_unknown_dossier_setting_is_refused() -> None:
    with pytest.raises(SettingsError, match="unknown setting DOSSIER_TIMOUT"):
        read_settings({"DOSSIER_TIMOUT": 3})


def test_every_default_is_accepted_by_its_own_validator(tmp_path: Path) -> None:
    assert read_settings(dict(DEFAULTS), base=tmp_path) == read_settings({}, base=tmp_path)


def test_pelican_stops_with_a_message_naming_the_setting(tmp_path: Path) -> None:
    run = pelican_cli(tmp_path / "out", "-e", 'DOSSIER_MAX_BYTES="big"')
    assert run.returncode != 0
    assert "DOSSIER_MAX_BYTES must be an integer" in run.stdout + run.stderr
    assert not (tmp_path / "out" / "index.html").exists()


NUMBER_SETTINGS = [
    "DOSSIER_TIMEOUT",
    "DOSSIER_RESPONSE_DEADLINE",
    "DOSSIER_MAX_BYTES",
    "DOSSIER_MAX_REDIRECTS",
    "DOSSIER_RETRIES",
    "DOSSIER_BACKOFF",
    "DOSSIER_RETRY_AFTER_CAP",
    "DOSSIER_HOST_CONCURRENCY",
    "DOSSIER_HOST_DELAY",
    "DOSSIER_WAIT_BUDGET",
    "DOSSIER_MAX_PAGES",
    "DOSSIER_MAX_ARTICLES",
    "DOSSIER_WORKERS",
]
NOT_NUMBERS = {
    "nan": float("nan"),
    "inf": float("inf"),
    "-inf": float("-inf"),
    "1e308": 1e308,
    "-1": -1,
    "10**400": 10**400,
}


@pytest.mark.parametrize("value", NOT_NUMBERS.values(), ids=list(NOT_NUMBERS))
@pytest.mark.parametrize("name", NUMBER_SETTINGS)
def test_numbers_must_be_finite_and_in_range(name: str, value: object) -> None:
    with pytest.raises(SettingsError) as caught:
        read_settings({name: value})
    message = str(caught.value)
    assert message.startswith(f"{name} must be ")
    assert "<=" in message  # the message gives the range, maximum included


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 1e308])
def test_timeout_pairs_are_checked_element_by_element(value: float) -> None:
    with pytest.raises(SettingsError, match=r"^DOSSIER_TIMEOUT must be a number >= 0.001"):
        read_settings({"DOSSIER_TIMEOUT": (5, value)})


def test_nan_retry_after_cap_is_refused_not_compared() -> None:
    """NaN compares false with everything: as a cap it let a 999,999 s Retry-After through."""
    with pytest.raises(SettingsError, match=r"^DOSSIER_RETRY_AFTER_CAP must be a number"):
        read_settings({"DOSSIER_RETRY_AFTER_CAP": float("nan")})


def test_empty_allowed_hosts_is_refused() -> None:
    with pytest.raises(SettingsError, match=r"^DOSSIER_ALLOWED_HOSTS is empty"):
        read_settings({"DOSSIER_ALLOWED_HOSTS": []})


@pytest.mark.parametrize("path", ["/dev/null", __file__])
def test_cache_path_must_be_a_folder(path: str) -> None:
    with pytest.raises(SettingsError) as caught:
        read_settings({"DOSSIER_CACHE_PATH": path})
    assert str(caught.value) == (
        f"DOSSIER_CACHE_PATH must be a folder, but {path} exists and is not one"
    )


def test_new_limits_have_sensible_defaults(tmp_path: Path) -> None:
    settings = read_settings({}, base=tmp_path)
    assert settings.response_deadline == 60.0
    assert settings.wait_budget == 120.0
    # A deadline or a budget may be small (tests use a few seconds), never zero.
    assert read_settings({"DOSSIER_RESPONSE_DEADLINE": 0.5}).response_deadline == 0.5
    with pytest.raises(SettingsError, match=r"^DOSSIER_RESPONSE_DEADLINE must be a number >= 0.1"):
        read_settings({"DOSSIER_RESPONSE_DEADLINE": 0})


def _start(tmp_path: Path, **override: object) -> None:
    """Start Pelican as `pelican` does: the plugin reads its settings at `initialized`."""
    from pelican import Pelican
    from pelican.settings import read_settings as pelican_settings

    override = {"OUTPUT_PATH": str(tmp_path / "out"), "DOSSIER_OFFLINE": True, **override}
    override.setdefault("DOSSIER_CACHE_PATH", str(tmp_path / "cache"))
    Pelican(pelican_settings(str(ROOT / "pelicanconf.py"), override=override))


@pytest.mark.parametrize(
    ("setting", "name", "text", "expected"),
    [
        (
            "DOSSIER_DATA",
            "dossier.toml",
            '[[correction]]\nurl = "https://example.test/never-fetched"\nadd = ["nope"]\n',
            r"DOSSIER_DATA: .*dossier\.toml: correction #1: add: unknown theme 'nope'",
        ),
        (
            "DOSSIER_TAXONOMY",
            "themes.toml",
            '[[theme]]\nslug = "donnees"\nlabel = "Données"\n',
            r"DOSSIER_TAXONOMY: .*themes\.toml: theme 'donnees': (description|terms)",
        ),
    ],
)
def test_a_bad_data_file_stops_pelican_at_start_up_naming_setting_file_and_entry(
    tmp_path: Path, setting: str, name: str, text: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=expected):
        _start(tmp_path, **{setting: str(path)})
    assert not (tmp_path / "out").exists()


def test_a_bad_rule_file_stops_pelican_at_start_up(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "mirror.toml").write_text('hosts = ["127.0.0.1"]\nstrip = ["p[["]\n', "utf-8")
    with pytest.raises(SettingsError, match=r"DOSSIER_RULES_PATH: .*mirror\.toml: strip"):
        _start(tmp_path, DOSSIER_RULES_PATH=str(rules))


def test_earlier_names_of_the_link_text_settings_still_work() -> None:
    """DOSSIER_DOSSIER_MARKER and DOSSIER_LISTING_PATTERN were renamed; they still apply."""
    settings = read_settings(
        {"DOSSIER_DOSSIER_MARKER": "Fait partie de", "DOSSIER_LISTING_PATTERN": r"Les (\d+)"}
    )
    assert (settings.dossier_link_text, settings.listing_link_text) == (
        "Fait partie de",
        r"Les (\d+)",
    )
    both = read_settings({"DOSSIER_DOSSIER_MARKER": "old", "DOSSIER_DOSSIER_LINK_TEXT": "new"})
    assert both.dossier_link_text == "new"
