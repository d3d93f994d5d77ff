"""Nothing in the test suite may reach beyond this machine: sockets to non-loopback addresses fail.

Loaded by conftest for the test process, and through `sitecustomize` (tests/guard/) for every
subprocess the tests start, so a worker or simulator started by a test is guarded too.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


class NetworkBlocked(OSError):
    pass


def _loopback(address: Any) -> bool:
    if isinstance(address, str | bytes):  # AF_UNIX path
        return True
    host = address[0]
    if host in {"localhost", ""}:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name that is not localhost would need DNS: refuse


def _check(sock: socket.socket, address: Any) -> None:
    if sock.family in {socket.AF_INET, socket.AF_INET6} and not _loopback(address):
        raise NetworkBlocked(f"test guard: connection to {address!r} refused (loopback only)")


def _connect(self: socket.socket, address: Any) -> None:
    _check(self, address)
    _real_connect(self, address)


def _connect_ex(self: socket.socket, address: Any) -> int:
    _check(self, address)
    return _real_connect_ex(self, address)


def _getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    # A name lookup would ask the resolver on the network: only loopback names are answered.
    name = host.decode() if isinstance(host, bytes) else host
    if name is not None and not _loopback((name, 0)):
        raise NetworkBlocked(f"test guard: name lookup of {name!r} refused (loopback only)")
    return _real_getaddrinfo(host, *args, **kwargs)


def install() -> None:
    socket.socket.connect = _connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _getaddrinfo
