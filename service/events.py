"""In-process broadcaster of live events (phát sự kiện trực tiếp) for the SSE stream.

Writers run in worker threads; listeners are async generators on the event loop. Each listener
owns a bounded queue: when it is full the oldest event is dropped (and counted), so a slow
browser never holds up a write or grows memory.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Listener:
    queue: asyncio.Queue[dict[str, Any]]
    loop: asyncio.AbstractEventLoop
    dropped: int = 0
    agency: str | None = None


@dataclass
class Broadcaster:
    queue_size: int = 100
    _listeners: dict[int, Listener] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def subscribe(self) -> tuple[int, Listener]:
        listener = Listener(asyncio.Queue(self.queue_size), asyncio.get_running_loop())
        with self._lock:
            key = next(self._ids)
            self._listeners[key] = listener
        return key, listener

    def unsubscribe(self, key: int) -> None:
        with self._lock:
            self._listeners.pop(key, None)

    @property
    def listeners(self) -> int:
        return len(self._listeners)

    def publish(self, event: str, data: dict[str, Any]) -> int:
        """Send one event to every listener (thread-safe); returns how many got it."""
        message = {"event": event, "data": data}
        with self._lock:
            targets = list(self._listeners.values())
        for listener in targets:
            try:
                listener.loop.call_soon_threadsafe(_offer, listener, message)
            except RuntimeError:  # the listener's loop is closed
                continue
        return len(targets)


def _offer(listener: Listener, message: dict[str, Any]) -> None:
    if listener.queue.full():
        listener.queue.get_nowait()
        listener.dropped += 1
    listener.queue.put_nowait(message)


def sse_frame(event: str, data: dict[str, Any], event_id: str | None = None) -> str:
    """One Server-Sent Events frame."""
    lines = [f"event: {event}"]
    if event_id:
        lines.append(f"id: {event_id}")
    text = json.dumps(data, ensure_ascii=False, default=str)
    lines += [f"data: {line}" for line in text.splitlines() or [""]]
    return "\n".join(lines) + "\n\n"
