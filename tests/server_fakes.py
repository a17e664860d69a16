"""Stand-ins for a PostgreSQL server that misbehaves: one that asks for a password and refuses
every one, and a relay to the real test server whose cable can be cut or that can stop answering.

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


class CuttableProxy:
    """A TCP relay to the test server that the test can cut (every connection dropped, the port
    closed) and restore on the same port: the network cable between office and server."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self.silent = False  # connections are taken and never answered: a server that hangs
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self.restore()

    def restore(self) -> None:
        self.silent = False
        if self._listener is not None:  # silent, still listening: it relays again
            return
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        self._drop(closing=True)

    def hang(self) -> None:
        """Every connection dropped; new ones are taken but never answered, as by a server that
        stopped answering or a network that swallows what is sent: a client waits for its timeout."""
        self.silent = True
        self._drop(closing=False)

    def _drop(self, *, closing: bool) -> None:
        with self._lock:
            sockets, self._open = self._open, []
            listener, self._listener = (self._listener, None) if closing else (None, self._listener)
        for sock in [*sockets, *([listener] if listener else [])]:
            with contextlib.suppress(OSError):  # shutdown also wakes the thread blocked in accept()
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _addr = listener.accept()
            except OSError:
                return
            if self.silent:
                with self._lock:
                    self._open.append(client)
                continue
            server = socket.create_connection(self.target, timeout=10)
            server.settimeout(None)
            with self._lock:
                self._open += [client, server]
            for src, dst in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(src, dst), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
