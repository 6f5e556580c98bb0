"""The session-wide guard refuses any address but loopback."""

import socket

import pytest
from netguard import NetworkAccessError


def test_connection_to_public_address_is_refused() -> None:
    with socket.socket() as sock, pytest.raises(NetworkAccessError, match="only loopback"):
        sock.connect(("93.184.215.14", 80))


def test_loopback_is_allowed() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.socket() as client:
            client.connect(server.getsockname())
            assert client.getpeername() == server.getsockname()
