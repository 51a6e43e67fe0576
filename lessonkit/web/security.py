"""Who may talk to the app, and from where: a one-time token, a CSRF check, known hosts.

The app runs on the teacher's own machine, but any web page the teacher opens can send requests to
127.0.0.1. Three rules keep such a page out:

- **The token.** ``lessonkit serve`` prints an address carrying a random token, as Jupyter does. The
  first visit trades it for a cookie (HttpOnly, SameSite=Strict); every later request must carry that
  cookie. Without it the answer is 401 and a page saying which address to open.
- **Known hosts.** The ``Host`` header must name the address the app listens on (``127.0.0.1``,
  ``localhost`` or the ``--host`` given), which defeats DNS rebinding.
- **Changes are POSTs from the app's own pages.** A POST must carry an ``Origin`` (or, failing that, a
  ``Referer``) whose host is the request's own ``Host``: a form on another site is refused with 403.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

COOKIE = "lessonkit_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def new_token() -> str:
    return secrets.token_urlsafe(32)


LOOPBACK = ("127.0.0.1", "localhost", "::1")
EVERY_ADDRESS = ("0.0.0.0", "::")


def allowed_hosts(host: str, port: int) -> frozenset[str] | None:
    """The ``Host`` headers a browser sends for this server, or None (any) when it listens on every address.

    On every address the machine's names and addresses are not known in advance; the token still keeps
    other sites out, since their pages never hold its cookie.
    """
    if host in EVERY_ADDRESS:
        return None
    names = {"127.0.0.1", "localhost", "[::1]"} if host in LOOPBACK else {f"[{host}]" if ":" in host else host}
    with_port = {f"{name}:{port}" for name in names}
    return frozenset(with_port | names if port == 80 else with_port)


class Guard:
    """ASGI middleware applying the three rules above to every HTTP request."""

    def __init__(self, app: ASGIApp, token: str, hosts: frozenset[str] | None):
        self.app, self.token, self.hosts = app, token, hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self.refusal(request)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        given = request.query_params.get("token")
        if given is not None:  # the printed address: trade the token for a cookie, then drop it from the URL
            await self.welcome(request, given)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def refusal(self, request: Request) -> Response | None:
        if self.hosts is not None and request.headers.get("host", "") not in self.hosts:
            return PlainTextResponse("Unknown host: open the address lessonkit serve printed.", 400)
        if request.query_params.get("token") is None and not self._has_cookie(request):
            return _not_signed_in()
        if request.method not in SAFE_METHODS and not _same_origin(request):
            return PlainTextResponse("Refused: this change did not come from lessonkit's own page.", 403)
        return None

    def welcome(self, request: Request, given: str) -> Response:
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            return _not_signed_in()
        rest = request.url.remove_query_params("token").query
        response = RedirectResponse(request.url.path + (f"?{rest}" if rest else ""), status_code=303)
        response.set_cookie(COOKIE, self.token, httponly=True, samesite="strict", path="/")
        return response

    def _has_cookie(self, request: Request) -> bool:
        cookie = request.cookies.get(COOKIE, "")
        return hmac.compare_digest(cookie.encode(), self.token.encode())


def _same_origin(request: Request) -> bool:
    """True when the request's Origin (or Referer) names the server the browser sent it to."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source or source == "null":
        return False
    parts = urlsplit(source)
    return parts.scheme in ("http", "https") and parts.netloc == request.headers.get("host")


def _not_signed_in() -> Response:
    return PlainTextResponse(
        "This lessonkit page needs its key. Open the address that `lessonkit serve` printed in the terminal "
        "(it ends with ?token=…), or start it again.",
        401,
    )
