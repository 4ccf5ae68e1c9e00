"""Connections the preview server has accepted but that have not spoken yet.

Why not a thread per connection from the start (``ThreadingHTTPServer``):
a browser's speculative connections, or a flood of them, each held a thread
blocked on its first line; when 3 000 such connections closed at once, 3 000
threads woke for the interpreter lock, and the next real request waited
~5 s behind them. Here one thread watches the silent connections with a
selector: one that sends its first bytes gets a thread, one that closes is
closed without one, one silent for ``idle`` seconds is closed.
"""

from __future__ import annotations

import queue
import selectors
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

IDLE = 30.0  # seconds a connection may stay silent (a browser's preconnection is used within a few)
SWEEP = 1.0  # seconds between looks for connections silent too long


class Lobby:
    """A thread that hands each accepted connection to ``start`` once it speaks, or to ``close``."""

    def __init__(self, start: Callable[[socket.socket, Any], None], close: Callable[[socket.socket], None],
                 idle: float = IDLE) -> None:
        self.start, self.close, self.idle = start, close, idle
        self.selector = selectors.DefaultSelector()
        self.arrivals: queue.SimpleQueue[tuple[socket.socket, Any]] = queue.SimpleQueue()
        self.bell, self.ring = socket.socketpair()  # rung by ``admit``: wakes the selector for an arrival
        self.bell.setblocking(False)
        self.ring.setblocking(False)
        self.selector.register(self.bell, selectors.EVENT_READ)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="pacsite-lobby", daemon=True)
        self.thread.start()

    def admit(self, connection: socket.socket, address: Any) -> None:
        """Take a connection just accepted (called from the server's accepting thread)."""
        self.arrivals.put((connection, address))
        self._wake()

    def stop(self) -> None:
        """Close every connection still waiting, and end the thread."""
        self.stopped.set()
        self._wake()
        self.thread.join(5)
        for key in list(self.selector.get_map().values()):
            if key.fileobj is not self.bell:
                self.close(key.fileobj)  # type: ignore[arg-type]
        self.selector.close()
        self.bell.close()
        self.ring.close()

    def _wake(self) -> None:
        try:
            self.ring.send(b"\0")
        except OSError:
            pass  # its buffer is full: the thread is awake already

    def _run(self) -> None:
        swept = time.monotonic()
        while not self.stopped.is_set():
            for key, _ in self.selector.select(timeout=SWEEP):
                if key.fileobj is self.bell:
                    self._seat_arrivals()
                else:
                    self._spoke(key.fileobj, key.data[0])  # type: ignore[arg-type]
            now = time.monotonic()
            if now - swept >= SWEEP:
                swept = now
                self._sweep(now)

    def _seat_arrivals(self) -> None:
        try:
            while self.bell.recv(4096):
                pass
        except (BlockingIOError, OSError):
            pass
        now = time.monotonic()
        while True:
            try:
                connection, address = self.arrivals.get_nowait()
            except queue.Empty:
                return
            self.selector.register(connection, selectors.EVENT_READ, (address, now))

    def _spoke(self, connection: socket.socket, address: Any) -> None:
        """A waiting connection is readable: its request begins, or it was closed."""
        self.selector.unregister(connection)
        try:
            first = connection.recv(1, socket.MSG_PEEK)
        except OSError:
            first = b""
        if first:
            self.start(connection, address)
        else:
            self.close(connection)

    def _sweep(self, now: float) -> None:
        for key in list(self.selector.get_map().values()):
            if key.fileobj is not self.bell and now - key.data[1] > self.idle:
                self.selector.unregister(key.fileobj)
                self.close(key.fileobj)  # type: ignore[arg-type]
