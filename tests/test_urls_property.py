"""Property tests for the one URL parse (plugins/dossier/urls.py): whatever it accepts,
the libraries that make the connection read the same host and port from the string we
send, and the safety check's verdict holds for the host actually reached.

Addresses are built from pieces known to split parsers (backslashes, '@', '#', tabs,
odd ports, numeric and non-ASCII hosts) and from free text; no connection is made.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import pytest
import requests
import urllib3
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pelican.plugins.dossier.fetch.netsafety import UnsafeURL, check_url
from pelican.plugins.dossier.urls import BadURL, WebURL, parse_web_url, public_url

ALLOWED = ("127.0.0.1",)
SCHEMES = ["http", "https", "HTTP", "hTtPs", "ftp", "javascript", "", "http:"]
SEPARATORS = ["://", ":/", ":\\\\", ":///", "://\\", ":\\/", "//", ":"]
HOSTS = [
    "127.0.0.1",
    "127.0.0.2",
    "localhost",
    "Example.COM",
    "example.com.",
    "[::1]",
    "[::ffff:127.0.0.2]",
    "[fe80::1%25eth0]",
    "0x7f.1",
    "2130706433",
    "127.1",
    "0177.0.0.1",
    "xn--bcher-kva.de",
    "bücher.de",
    "a_b.example",
    "ex ample.com",
    "127.0.0.1%2e",
    "127。0。0。2",
    "",
]
JOINERS = ["@", "\\@", "\\\\@", "%40", "#@", "?@", "\t@", "/@", ";@", ":@", "%5C@", "\n@"]
PORTS = ["", ":", ":80", ":0", ":65536", ":8080", ":0080", ":99999", ": 1", ":1a", ":443"]
TAIL = st.text(alphabet="/\\?#@:%.;= \t\r\nabcAZ09é_-~'\"<>[]", max_size=20)

authority = st.builds(
    lambda first, joiner, second, port: f"{first}{port}{joiner}{second}",
    st.sampled_from(HOSTS),
    st.sampled_from(JOINERS),
    st.sampled_from(HOSTS),
    st.sampled_from(PORTS),
) | st.builds(lambda h, p: h + p, st.sampled_from(HOSTS), st.sampled_from(PORTS))
addresses = st.builds(
    lambda scheme, sep, auth, port, tail: f"{scheme}{sep}{auth}{port}{tail}",
    st.sampled_from(SCHEMES),
    st.sampled_from(SEPARATORS),
    authority,
    st.sampled_from(PORTS),
    TAIL,
) | st.text(max_size=40).map(lambda t: "http://" + t)

EXAMPLES = [
    "http://127.0.0.2:8080\\@127.0.0.1:8000/fr/a",
    "http://169.254.169.254\\@127.0.0.1/",
    "http://x; script-src 'unsafe-inline' ; img-src \"><img src=x>@127.0.0.1:8000/fr/a",
    "http://127.0.0.2#@127.0.0.1/",
    "http://127.0.0.2?@127.0.0.1/",
    "http://127.0.0.2:80\t@127.0.0.1/",
    "http://127.0.0.1:8000/fr/actualites/été ?q=a b#x",
]


def connected_host(url: str) -> tuple[str, int]:
    """Host and port requests would connect to for ``url`` (prepared, then urllib3)."""
    prepared = requests.PreparedRequest()
    prepared.prepare_url(url, None)
    assert prepared.url is not None
    parts = urllib3.util.parse_url(prepared.url)
    default = 443 if parts.scheme == "https" else 80
    return (parts.host or "").strip("[]").lower(), parts.port or default


def reads(parsed: WebURL) -> set[tuple[str, int]]:
    """(host, port) as urllib.parse, urllib3 and requests read the rebuilt string."""
    text = parsed.text
    split = urlsplit(text)
    ours = urllib3.util.parse_url(text)
    default = parsed.effective_port if parsed.port is None else -1
    return {
        ((split.hostname or ""), split.port or default),
        ((ours.host or "").strip("[]").lower(), ours.port or default),
        connected_host(text),
    }


@settings(max_examples=1500, deadline=None)
@given(addresses)
@example(EXAMPLES[0])
@example(EXAMPLES[1])
@example(EXAMPLES[2])
@example(EXAMPLES[3])
@example(EXAMPLES[4])
@example(EXAMPLES[5])
@example(EXAMPLES[6])
def test_what_the_parse_accepts_every_library_reads_alike(address: str) -> None:
    try:
        parsed = parse_web_url(address)
    except BadURL:
        return
    assert reads(parsed) == {(parsed.host, parsed.effective_port)}
    assert parse_web_url(parsed.text) == parsed  # the rebuilt string parses to itself
    assert parsed.text.isascii() and not any(c in parsed.text for c in ' \t\r\n\\"<>')
    if address.isascii():  # and the original named that host (a final dot is the same name)
        host, port = connected_host(address)
        assert (same_address(host.removesuffix(".")), port) == (
            same_address(parsed.host),
            parsed.effective_port,
        )


def same_address(host: str) -> str:
    """An IP literal in one spelling (« ::ffff:127.0.0.2 » is « ::ffff:7f00:2 »), names as-is."""
    try:
        return ipaddress.ip_address(host.strip("[]")).exploded
    except ValueError:
        return host


def loopback_only(host: str) -> list[str]:
    return ["127.0.0.1"] if host == "localhost" else ["203.0.113.9"]


@settings(max_examples=1500, deadline=None)
@given(addresses)
@example(EXAMPLES[0])
@example(EXAMPLES[1])
def test_an_accepted_address_connects_to_the_host_checked(address: str) -> None:
    try:
        checked = check_url(address, ALLOWED, loopback_only)
    except UnsafeURL:
        return
    assert checked.host in ALLOWED
    assert connected_host(checked.text)[0] in ALLOWED


@pytest.mark.parametrize(
    "address",
    [
        *EXAMPLES[:3],
        EXAMPLES[5],
        "http://user@127.0.0.1/",
        "http://127.0.0.1:/",
        "http://127.0.0.1:0/",
        "http://127.0.0.1:65536/",
        "http://2130706433/",
        "http://0x7f.0.0.1/",
        "http://127.1/",
        "http://[fe80::1%25eth0]/",
        "http://127.0.0.1%2e/",
        "http:/127.0.0.1/",
        "http:\\\\127.0.0.1/",
        "javascript://127.0.0.1/%0aalert(1)",
        "http://127.0.0.1/\x00",
        "http://127.0.0.1/a\u200bb",
    ],
)
def test_ambiguous_addresses_are_refused(address: str) -> None:
    with pytest.raises(BadURL):
        parse_web_url(address)


@pytest.mark.parametrize(
    ("address", "rebuilt"),
    [
        ("HTTP://Example.COM./a b?q=é#frag", "http://example.com/a%20b?q=%C3%A9"),
        ("https://bücher.de", "https://xn--bcher-kva.de/"),
        ("http://[::FFFF:127.0.0.1]:80/", "http://[::ffff:7f00:1]/"),
        ("https://www.cerema.fr:443/fr/x?page=1", "https://www.cerema.fr/fr/x?page=1"),
        ("http://127.0.0.1:8000/%zz", "http://127.0.0.1:8000/%25zz"),
    ],
)
def test_the_rebuilt_form(address: str, rebuilt: str) -> None:
    assert parse_web_url(address).text == rebuilt


@pytest.mark.parametrize(
    ("url", "mailto", "published"),
    [
        ("https://www.cerema.fr/fr/a", False, "https://www.cerema.fr/fr/a"),
        ("mailto:contact@cerema.fr", True, "mailto:contact@cerema.fr"),
        ("mailto:contact@cerema.fr", False, None),
        ("javascript:alert(1)", True, None),
        (" JaVaScRiPt:alert(1)", True, None),
        ("java\tscript:alert(1)", True, None),
        ("vbscript:msgbox(1)", True, None),
        ("data:text/html,<script>alert(1)</script>", True, None),
        ("/relative/path", True, None),
        ("//127.0.0.1/protocol-relative", True, None),
        ("ftp://127.0.0.1/file", True, None),
        ("mailto:a@b\nBcc:c@d", True, None),
    ],
)
def test_public_url_is_the_scheme_allowlist(url: str, mailto: bool, published: str | None) -> None:
    assert public_url(url, mailto=mailto) == published


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=30), st.sampled_from(["", " ", "\t", "\x00", "\u00a0"]))
def test_public_url_publishes_only_http_https_and_mailto(text: str, pad: str) -> None:
    for mailto in (False, True):
        published = public_url(pad + text, mailto=mailto)
        if published is not None:
            allowed = ("http://", "https://", "mailto:") if mailto else ("http://", "https://")
            assert published.lower().startswith(allowed)


@pytest.mark.parametrize("address", EXAMPLES[:2])
def test_the_trap_is_real_for_a_naive_check(address: str) -> None:
    """Why one parse matters: urllib.parse names the allowed host, requests connects to
    the other one (the check the code had before reads the first)."""
    assert urlsplit(address).hostname == "127.0.0.1"
    assert connected_host(address)[0] != "127.0.0.1"
