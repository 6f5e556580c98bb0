"""The scripted server of the fetch tests (tests/scripted.py) does what it is told."""

from __future__ import annotations

import pytest
import requests
from scripted import Reply, serve

# The server itself: a scripted fault must really happen on the wire.


def test_server_truncates_when_announcing_more() -> None:
    with serve() as script:
        url = script.route("/t", Reply(body=b"abc", length=10))
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            requests.get(url, timeout=2).content  # noqa: B018


def test_server_answers_304_and_counts_body_bytes() -> None:
    with serve() as script:
        url = script.route("/e", Reply(body=b"hello", etag='"v1"'))
        first = requests.get(url, timeout=2)
        second = requests.get(url, headers={"If-None-Match": '"v1"'}, timeout=2)
    assert (first.status_code, first.content) == (200, b"hello")
    assert (second.status_code, second.content) == (304, b"")
    assert script.body_bytes == 5
    assert script.paths() == ["/e", "/e"]
