"""Rule files: shipped ones are valid and tested on their sample; bad ones fail clearly."""

from __future__ import annotations

import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pelican.plugins.dossier.clean.cleaner import clean, load_rules
from pelican.plugins.dossier.clean.dom import parse
from pelican.plugins.dossier.clean.rules import SHIPPED, RuleError, read_rule

PAGES = Path(__file__).parent / "fixtures" / "pages"
HOST_RULES = sorted(p for p in SHIPPED.glob("*.toml") if p.stem != "default")


def test_cerema_rule_is_shipped_for_both_hosts() -> None:
    rules = load_rules()
    assert rules.by_host["cerema.fr"].name == "cerema.fr"
    assert rules.by_host["www.cerema.fr"].name == "cerema.fr"
    assert rules.for_url("https://www.cerema.fr/fr/x").name == "default+cerema.fr"
    assert rules.for_url("https://autre.example/x").name == "default"


@pytest.mark.parametrize("path", HOST_RULES, ids=[p.stem for p in HOST_RULES])
def test_host_rule_runs_on_its_sample(path: Path) -> None:
    rule = read_rule(path)
    assert rule.sample, f"{path.name} has no sample"
    sample = PAGES / rule.sample
    expected = tomllib.loads(sample.with_suffix(".expected.toml").read_text(encoding="utf-8"))
    assert urlsplit(expected["url"]).hostname in rule.hosts
    root = parse(sample.read_text(encoding="utf-8"))
    assert any(selector(root) for selector in rule.body), "the body selector must match its sample"
    cleaned = clean(sample.read_text(encoding="utf-8"), expected["url"])
    assert cleaned.title == expected["title"]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('hosts = ["a.test"]\nbodyy = ["p"]\n', "unknown key 'bodyy'"),
        ('hosts = ["a.test"]\nbody = "article"\n', "body: expected a list of strings"),
        ('hosts = ["a.test"]\nbody = ["article[["]\n', "body: invalid 'article[['"),
        ('hosts = ["a.test"]\nboilerplate = ["(unclosed"]\n', "boilerplate: invalid '(unclosed'"),
        ('hosts = ["a.test"]\n[markers]\nlisting = "Voir (\\\\d+)"\n', "markers.listing"),
        ('hosts = ["a.test"]\n[markers]\nautre = "x"\n', "markers.autre: unknown marker"),
        ('body = ["article"]\n', "hosts: a host rule needs at least one host"),
        ('hosts = ["a.test"\n', "cannot read rule file"),
    ],
)
def test_bad_rule_names_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    _write(tmp_path, "a.test.toml", text)
    with pytest.raises(RuleError) as info:
        load_rules(tmp_path)
    assert "a.test.toml" in str(info.value)
    assert message in str(info.value)


def test_two_files_claiming_one_host(tmp_path: Path) -> None:
    _write(tmp_path, "a.toml", 'hosts = ["x.test"]\n')
    _write(tmp_path, "b.toml", 'hosts = ["x.test"]\n')
    with pytest.raises(RuleError, match=r"'x\.test' is already claimed"):
        load_rules(tmp_path)


def test_extra_rule_drives_extraction(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "x.test.toml",
        'hosts = ["x.test"]\nbody = [".corps"]\nstrip = [".pub"]\n'
        'boilerplate = ["^Fin de l.article$"]\n',
    )
    page = (
        "<html><body><div class='corps'><p>Texte court mais voulu.</p><p class='pub'>Réclame</p>"
        "<p>Fin de l’article</p></div><div><p>"
        + "Un long paragraphe hors du corps, que le score générique aurait préféré. " * 5
        + "</p></div></body></html>"
    )
    rules = load_rules(tmp_path)
    assert clean(page, "https://x.test/a", rules).text == "Texte court mais voulu."
    assert "Texte court" not in clean(page, "https://y.test/a", rules).text
