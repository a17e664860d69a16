"""A stand-in PostgreSQL server that asks for a password and refuses every one.

The test server of `.ci/run` trusts every local connection (it never asks for a password), so a
wrong password in the connection URL cannot be tried against it. This one speaks just enough of
PostgreSQL's wire protocol for libpq: it declines SSL/GSS encryption, asks for a password, records
it, then answers as a server does with SQLSTATE 28P01 "password authentication failed"."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading

ENCRYPTION_REQUESTS = (80877103, 80877104)  # SSLRequest, GSSENCRequest
CLEARTEXT_PASSWORD = 3


class PasswordRefusingServer:
    """Listens on 127.0.0.1:`port` until `close()`; `passwords` holds what clients sent."""

    def __init__(self) -> None:
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen()
        self.port: int = self._listener.getsockname()[1]
        self.passwords: list[str] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        with contextlib.suppress(OSError):  # shutdown wakes the thread blocked in accept()
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _addr = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._refuse, args=(client,), daemon=True).start()

    def _refuse(self, sock: socket.socket) -> None:
        sock.settimeout(10)
        with sock, contextlib.suppress(OSError, ConnectionError):
            while True:  # the startup packet, after any request for an encrypted connection
                body = _message(sock)
                if struct.unpack("!i", body[:4])[0] not in ENCRYPTION_REQUESTS:
                    break
                sock.sendall(b"N")
            sock.sendall(b"R" + struct.pack("!ii", 8, CLEARTEXT_PASSWORD))
            _exactly(sock, 1)  # "p": the password message
            self.passwords.append(_message(sock).rstrip(b"\0").decode())
            fields = (
                ("S", "FATAL"),
                ("V", "FATAL"),
                ("C", "28P01"),
                ("M", 'password authentication failed for user "ksm"'),
            )
            error = b"".join(k.encode() + v.encode() + b"\0" for k, v in fields) + b"\0"
            sock.sendall(b"E" + struct.pack("!i", len(error) + 4) + error)


def _exactly(sock: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("client left")
        data += chunk
    return data


def _message(sock: socket.socket) -> bytes:
    """One length-prefixed message body."""
    (length,) = struct.unpack("!i", _exactly(sock, 4))
    return _exactly(sock, length - 4)
