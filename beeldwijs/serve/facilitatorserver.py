"""The facilitator Voilà server: Voilà plus ``/healthz`` and, when configured, school logins.

``beeldwijs start`` and ``beeldwijs serve facilitator`` run ``python -m
beeldwijs.serve.facilitatorserver <facilitator> --Voila.…`` instead of ``python -m voila``; every
``--Voila.…`` option and ``voila.json`` setting applies unchanged (traitlets configures a
subclass through its parents' sections).

With the ``oidc_issuer`` setting given (beeldwijs.serve.oidc), three more things hold, and the tests prove
each against a real OpenID Connect provider:

- every page, kernel and websocket needs a mentor's login; the login pages live under the
  server's prefix (``/mentor/login``), as do the password login's (Voilà mounts an identity
  provider's pages at ``/login`` whatever its ``base_url``, which broke them behind a prefix);
- a page's kernel learns its mentor from two request headers that this server sets after
  dropping whatever the browser sent under those names (:class:`MentorPageHandler`); Voilà hands
  them to the kernel as ``HTTP_X_BEELDWIJS_MENTOR`` and ``HTTP_X_BEELDWIJS_ROLE``
  (beeldwijs.facilitator.access reads them);
- a kernel belongs to the mentor whose page started it: its websocket, its REST endpoint and
  Voilà's shutdown endpoint answer 403 to anybody else (:class:`KernelOwnerAuthorizer`), so a
  forged widget message can only reach one's own kernel.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.authorizer import Authorizer
from jupyter_server.auth.identity import User
from jupyter_server.utils import url_path_join
from tornado import web
from voila.app import Voila
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler

from beeldwijs.serve.healthz import HealthzMixin
from beeldwijs.serve.oidc import MENTOR_HEADER, ROLE_HEADER, OIDCIdentityProvider, OIDCSettings

__all__ = ["FacilitatorVoila", "KernelOwnerAuthorizer", "kernel_owner", "main"]


def kernel_owner(kernel_manager: Any, kernel_id: str) -> str | None:
    """The mentor whose page started ``kernel_id`` (from the environment it was started with).

    jupyter_client keeps a kernel's start arguments, environment included, in ``_launch_args``.
    """
    try:
        kernel = kernel_manager.get_kernel(kernel_id)
    except KeyError:
        return None
    env = (getattr(kernel, "_launch_args", None) or {}).get("env") or {}
    return env.get(_env_name(MENTOR_HEADER))


def _env_name(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")


class KernelOwnerAuthorizer(Authorizer):
    """Allows a request on a kernel only to the mentor whose page started that kernel."""

    def is_authorized(self, handler: Any, user: User, action: str, resource: str) -> bool:
        if user is None:
            return False
        kernel_id = getattr(handler, "kernel_id", None) or handler.path_kwargs.get("kernel_id")
        if resource != "kernels" or not kernel_id:
            return True
        return kernel_owner(handler.kernel_manager, kernel_id) == user.username


class MentorPageHandler(TornadoVoilaHandler):
    """Voilà's page handler; the kernel it starts learns the logged-in mentor (module doc), and
    the page gets the ``_xsrf`` cookie that Voilà's "tab closed" call sends back. Without it that
    call failed with 403 ("'_xsrf' argument missing", voila#1458) and a closed or reloaded
    dashboard's kernel ran on until the idle culler stopped it (30 minutes)."""

    async def prepare(self) -> None:
        await super().prepare()
        self.xsrf_token  # noqa: B018 - reading it sets the cookie (tornado)
        for header in (MENTOR_HEADER, ROLE_HEADER):
            self.request.headers.pop(header, None)  # never the browser's word
        user = self.current_user
        if user is not None:
            self.request.headers[MENTOR_HEADER] = user.username
            self.request.headers[ROLE_HEADER] = getattr(user, "role", "mentor")


class OwnedShutdownHandler(VoilaShutdownKernelHandler):
    """Voilà's "tab closed" endpoint, for the kernel's own mentor only."""

    async def post(self, kernel_id: str) -> None:  # type: ignore[override]
        if kernel_owner(self.kernel_manager, kernel_id) != getattr(
            self.current_user, "username", 0
        ):
            raise web.HTTPError(403)
        await super().post(kernel_id)


class FacilitatorVoila(HealthzMixin, Voila):
    """Voilà for the mentor's side (module docstring)."""

    def initialize(self, argv: Any = None) -> None:
        super().initialize(argv)
        self.oidc = OIDCSettings.configured() is not None
        if self.oidc:
            self.identity_provider_class = OIDCIdentityProvider
            self.authorizer_class = KernelOwnerAuthorizer

    def init_settings(self) -> dict[str, Any]:
        if self.oidc:
            headers = list(self.voila_configuration.http_header_envs)
            self.voila_configuration.http_header_envs = [
                *headers, *(h for h in (MENTOR_HEADER, ROLE_HEADER) if h not in headers)
            ]  # fmt: skip
        settings: dict[str, Any] = super().init_settings()
        configured = OIDCSettings.configured() if self.oidc else None
        if configured is not None:  # the _xsrf cookie (MentorPageHandler) as the login's
            settings["xsrf_cookie_kwargs"] = {
                "path": self.base_url,
                "secure": configured.public_url.startswith("https://"),
                "samesite": "Lax",
            }
        return settings

    def init_handlers(self) -> list[Any]:
        handlers: list[Any] = super().init_handlers()
        login_pages = self.identity_provider.get_handlers()
        result = []
        for spec in handlers:
            pattern, handler = spec[0], spec[1]
            if spec in login_pages and not pattern.startswith(self.server_url.rstrip("/") + "/"):
                spec = (url_path_join(self.server_url, pattern), *spec[1:])
            elif self.oidc and handler is VoilaShutdownKernelHandler:
                spec = (pattern, OwnedShutdownHandler, *spec[2:])
            elif handler is TornadoVoilaHandler:
                spec = (pattern, MentorPageHandler, *spec[2:])
            result.append(spec)
        return result


def main() -> None:
    FacilitatorVoila.launch_instance()


if __name__ == "__main__":
    main()
