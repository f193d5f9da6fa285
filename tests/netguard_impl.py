"""The network guard: any attempt to reach an internet address raises NetworkBlocked.

Local IPC (AF_UNIX sockets, socketpair) stays allowed: Qt and multiprocessing use them.
DNS lookups are blocked too, since a lookup is already traffic.
"""

from __future__ import annotations

import socket

_INET = (socket.AF_INET, socket.AF_INET6)


class NetworkBlocked(RuntimeError):
    pass


_installed = False
_original: dict[str, object] = {}


def _refuse(*args: object, **kwargs: object) -> None:
    raise NetworkBlocked(f"network access attempted in a test: {args!r}")


def install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    orig_connect = socket.socket.connect
    orig_connect_ex = socket.socket.connect_ex
    orig_sendto = socket.socket.sendto
    _original.update(
        connect=orig_connect,
        connect_ex=orig_connect_ex,
        sendto=orig_sendto,
        getaddrinfo=socket.getaddrinfo,
        gethostbyname=socket.gethostbyname,
        create_connection=socket.create_connection,
    )

    def guarded_connect(self: socket.socket, address: object) -> None:
        if self.family in _INET:
            _refuse(address)
        return orig_connect(self, address)  # type: ignore[arg-type]

    def guarded_connect_ex(self: socket.socket, address: object) -> int:
        if self.family in _INET:
            _refuse(address)
        return orig_connect_ex(self, address)  # type: ignore[arg-type]

    def guarded_sendto(self: socket.socket, *args: object) -> int:
        if self.family in _INET:
            _refuse(args[-1])
        return orig_sendto(self, *args)  # type: ignore[arg-type,call-overload]

    socket.socket.connect = guarded_connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = guarded_connect_ex  # type: ignore[method-assign,assignment]
    socket.socket.sendto = guarded_sendto  # type: ignore[method-assign,assignment]
    socket.getaddrinfo = _refuse  # type: ignore[assignment]
    socket.gethostbyname = _refuse  # type: ignore[assignment]
    socket.create_connection = _refuse  # type: ignore[assignment]
