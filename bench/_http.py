"""A member's keep-alive HTTP connection for the benchmarks that post like a phone."""

from __future__ import annotations

import http.client
import re
import urllib.parse

TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Member:
    """One logged-in member over one keep-alive connection, cookies kept by hand."""

    def __init__(self, host: str, port: int, email: str, password: str = "terrain-demo") -> None:
        self.host, self.port = host, port
        self.email, self.password = email, password
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
            headers["Origin"] = f"http://{self.host}:{self.port}"
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        # A phone follows the redirect to the field page, which shows the "saved" message
        # and clears it; this client does not, so it drops the message itself (kept, the
        # messages would pile up in the cookie until Django trims it on every post).
        self.cookies.pop("messages", None)
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        return response.status, content.decode("utf-8", "replace")

    def token(self, path: str) -> str:
        _, html = self.request("GET", path)
        return TOKEN_RE.search(html).group(1)

    def login(self) -> None:
        status, _ = self.request(
            "POST",
            "/login/",
            {
                "csrfmiddlewaretoken": self.token("/login/"),
                "username": self.email,
                "password": self.password,
            },
        )
        assert status == 302, f"login failed: {status}"
