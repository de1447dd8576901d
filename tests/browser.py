"""Headless chromium driven over the DevTools protocol on a pipe
(``--remote-debugging-pipe``: JSON messages ended by NUL on file descriptors
3 and 4), with nothing but the standard library. Pages are filled in and
submitted as a user does, by focusing a field, inserting text and clicking
the button (native input events, so a page needs no script of its own)."""

from __future__ import annotations

import fcntl
import json
import os
import select
import subprocess
import time
from pathlib import Path
from typing import Any

from conftest import CHROMIUM_FLAGS, chromium_binary


def _above_four(fd: int) -> int:
    """``fd`` moved to a descriptor number above 4."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 5)
    os.close(fd)
    return moved


class Browser:
    """One headless chromium; use as a context manager."""

    def __init__(self, profile: Path, timeout: float = 120) -> None:
        self.timeout = timeout
        self.log = profile.with_name(profile.name + "-chromium.log")
        commands_read, self._commands = os.pipe()
        self._replies, replies_write = os.pipe()
        # Not 3 or 4, so that putting one there cannot overwrite the other.
        commands_read, replies_write = (_above_four(fd) for fd in (commands_read, replies_write))
        # bash puts the two pipe ends on 3 and 4, where chromium expects them.
        self.process = subprocess.Popen(
            ["bash", "-c", f'exec "$0" "$@" 3<&{commands_read} 4>&{replies_write}',
             chromium_binary(), *CHROMIUM_FLAGS, "--remote-debugging-pipe",
             f"--user-data-dir={profile}", "--window-size=1280,2000", "about:blank"],
            pass_fds=(commands_read, replies_write), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=open(self.log, "wb"))
        os.close(commands_read)
        os.close(replies_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def __enter__(self) -> "Browser":
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.send("Browser.close")
        except (AssertionError, OSError):
            pass
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands)
        os.close(self._replies)

    def _message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._replies], [], [], max(left, 0))
            if not ready:
                raise AssertionError("chromium did not answer in time")
            chunk = os.read(self._replies, 1 << 20)
            if not chunk:
                raise AssertionError("chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Run one DevTools command; its result (events met are kept)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._message(deadline)
            if reply.get("id") == self._next_id:
                assert "error" not in reply, (method, reply["error"])
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, session: str) -> dict[str, Any]:
        """The next event ``method`` of ``session`` (one already met counts)."""
        deadline = time.monotonic() + self.timeout
        while True:
            for number, event in enumerate(self.events):
                if event.get("method") == method and event.get("sessionId") == session:
                    del self.events[: number + 1]
                    return event
            self.events.append(self._message(deadline))

    def open(self, url: str, scripts: bool = True) -> str:
        """A new tab showing ``url`` (with page scripts off unless
        ``scripts``), loaded; its session id."""
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Page.enable", session)
        self.send("Emulation.setScriptExecutionDisabled", session, value=not scripts)
        self.send("Page.navigate", session, url=url)
        self.wait_for("Page.loadEventFired", session)
        return session

    def _node(self, session: str, selector: str) -> int:
        root = self.send("DOM.getDocument", session)["root"]["nodeId"]
        node = self.send("DOM.querySelector", session, nodeId=root, selector=selector)["nodeId"]
        assert node, f"no {selector} on the page"
        return node

    def type_into(self, session: str, selector: str, text: str) -> None:
        """Focus the field ``selector`` and insert ``text``, as typing does."""
        self.send("DOM.focus", session, nodeId=self._node(session, selector))
        self.send("Input.insertText", session, text=text)

    def click(self, session: str, selector: str) -> None:
        """Click the middle of ``selector`` with the mouse, then wait for the
        page it leads to to load."""
        node = self._node(session, selector)
        self.send("DOM.scrollIntoViewIfNeeded", session, nodeId=node)
        quad = self.send("DOM.getBoxModel", session, nodeId=node)["model"]["content"]
        x, y = sum(quad[0::2]) / 4, sum(quad[1::2]) / 4
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", session, type=kind, x=x, y=y, button="left",
                      clickCount=1)
        self.wait_for("Page.loadEventFired", session)

    def count(self, session: str, selector: str) -> int:
        """How many elements of the page match ``selector``."""
        root = self.send("DOM.getDocument", session)["root"]["nodeId"]
        return len(self.send("DOM.querySelectorAll", session, nodeId=root,
                             selector=selector)["nodeIds"])

    def html(self, session: str) -> str:
        """The page's DOM, serialised."""
        root = self.send("DOM.getDocument", session)["root"]["nodeId"]
        return self.send("DOM.getOuterHTML", session, nodeId=root)["outerHTML"]
