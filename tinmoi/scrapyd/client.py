"""A small typed client over Scrapyd's JSON API (``daemonstatus``, ``addversion``,
``listversions``, ``schedule``, ``listjobs``, ``cancel``), with timeouts.

A node is named by its URL; credentials go in it (``http://user:secret@10.0.0.5:6800``)
and are sent as HTTP basic authentication, never shown in messages.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit, urlunsplit
from urllib.request import Request, urlopen

from crawler.errors import TinmoiError
from tinmoi.scrapyd import PROJECT

#: Seconds a node has to answer one API call (an upload gets more).
TIMEOUT = 10.0
UPLOAD_TIMEOUT = 120.0


class NodeError(TinmoiError):
    """A node could not be reached, refused a call or answered an error."""


@dataclass
class Jobs:
    """A node's tinmoi jobs by state: job id → its listing entry."""

    pending: dict[str, dict[str, Any]] = field(default_factory=dict)
    running: dict[str, dict[str, Any]] = field(default_factory=dict)
    finished: dict[str, dict[str, Any]] = field(default_factory=dict)

    def state(self, job: str) -> str | None:
        """``pending``, ``running``, ``finished``, or None when the node does not know it."""
        for name in ("pending", "running", "finished"):
            if job in getattr(self, name):
                return name
        return None


class Node:
    """One Scrapyd daemon."""

    def __init__(self, url: str, timeout: float = TIMEOUT) -> None:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise NodeError(f"{url!r} is not a Scrapyd URL like http://10.0.0.5:6800")
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        self.base = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
        self.name = self.base
        self.timeout = timeout
        self._auth: str | None = None
        if parts.username is not None:
            import base64

            pair = f"{parts.username}:{parts.password or ''}".encode()
            self._auth = "Basic " + base64.b64encode(pair).decode("ascii")

    def __repr__(self) -> str:
        return f"Node({self.name!r})"

    def _call(
        self,
        endpoint: str,
        query: dict[str, str] | None = None,
        form: list[tuple[str, str]] | None = None,
        body: tuple[bytes, str] | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        url = f"{self.base}/{endpoint}"
        if query:
            url += "?" + urlencode(query)
        data, headers = None, {}
        if form is not None:
            data = urlencode(form).encode("ascii")
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data, headers["Content-Type"] = body
        if self._auth:
            headers["Authorization"] = self._auth
        request = Request(url, data=data, headers=headers, method="POST" if data else "GET")
        try:
            with urlopen(request, timeout=timeout or self.timeout) as response:
                answer = json.loads(response.read().decode("utf-8"))
        except HTTPError as exc:
            why = "wrong username or password" if exc.code == 401 else f"HTTP {exc.code}"
            raise NodeError(f"{self.name}: {endpoint}: {why}") from None
        except (URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise NodeError(f"{self.name}: {endpoint}: {reason}") from None
        if answer.get("status") != "ok":
            raise NodeError(f"{self.name}: {endpoint}: {answer.get('message', answer)}")
        return dict(answer)

    def status(self) -> dict[str, Any]:
        """``daemonstatus.json``: the node's pending, running and finished job counts."""
        return self._call("daemonstatus.json")

    def versions(self, project: str = PROJECT) -> list[str]:
        """The versions of ``project`` deployed on the node, oldest first (none: [])."""
        return list(self._call("listversions.json", {"project": project})["versions"])

    def add_version(self, version: str, egg: bytes, project: str = PROJECT) -> int:
        """Upload an egg as ``version``; return how many spiders the node found in it."""
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in (("project", project), ("version", version)):
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="egg"; '
            f'filename="{project}.egg"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + egg
            + b"\r\n"
        )
        data = b"".join(parts) + f"--{boundary}--\r\n".encode()
        answer = self._call(
            "addversion.json",
            body=(data, f"multipart/form-data; boundary={boundary}"),
            timeout=UPLOAD_TIMEOUT,
        )
        return int(answer.get("spiders", 0))

    def delete_version(self, version: str, project: str = PROJECT) -> None:
        """Remove one deployed version."""
        self._call("delversion.json", form=[("project", project), ("version", version)])

    def schedule(
        self,
        spider: str,
        job: str,
        version: str,
        args: dict[str, str],
        settings: dict[str, str] | None = None,
        project: str = PROJECT,
    ) -> str:
        """Queue a job (``schedule.json``) under id ``job``, pinned to ``version``. Spider
        arguments and settings show in the node's web UI: never put a secret in them."""
        form = [("project", project), ("spider", spider), ("jobid", job), ("_version", version)]
        form += [(name, value) for name, value in args.items()]
        form += [("setting", f"{name}={value}") for name, value in (settings or {}).items()]
        return str(self._call("schedule.json", form=form)["jobid"])

    def jobs(self, project: str = PROJECT) -> Jobs:
        """``listjobs.json``: the project's jobs by state."""
        try:
            answer = self._call("listjobs.json", {"project": project})
        except NodeError as exc:
            if f"project '{project}' not found" in str(exc):
                return Jobs()
            raise
        return Jobs(
            pending={job["id"]: job for job in answer["pending"]},
            running={job["id"]: job for job in answer["running"]},
            finished={job["id"]: job for job in answer["finished"]},
        )

    def cancel(self, job: str, signal: str = "INT", project: str = PROJECT) -> str | None:
        """Cancel a job: drop it if pending, send ``signal`` if running (``INT``: a clean
        stop; ``KILL``: at once). Its state before, or None when the node did not know it."""
        form = [("project", project), ("job", job), ("signal", signal)]
        prev = self._call("cancel.json", form=form).get("prevstate")
        return str(prev) if prev else None
