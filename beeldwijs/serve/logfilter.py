"""The logging filter that keeps client IP addresses out of Voilà's log.

Voilà imports :class:`ClientAddressFilter` by name (``etc/jupyter/voila.json``), so this module
stays light: it imports nothing of Beeldwijs.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import re

_ADDRESS_CANDIDATE = re.compile(r"[0-9A-Fa-f]*[:.][0-9A-Fa-f:.]*(?:%\w+)?")
_REMOTE_IP = re.compile(r"remote_ip='[^']*'")


def hide_addresses(text: str) -> str:
    """Replace every IPv4/IPv6 address in `text` with '-'."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        for candidate in (token, token.rstrip(":.")):
            with contextlib.suppress(ValueError):
                ipaddress.ip_address(candidate)
                return "-" + token[len(candidate) :]
        return token

    return _ADDRESS_CANDIDATE.sub(replace, _REMOTE_IP.sub("remote_ip='-'", text))


class ClientAddressFilter(logging.Filter):
    """Keeps client IP addresses out of Voilà's log (docs/architecture.md, product rule 1).

    Tornado writes the client address into its access log, its HTTP error warnings and its
    uncaught-exception reports. Voilà's config (templates/config/voila.json) attaches this filter
    to the handler that prints the ``tornado`` loggers.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = hide_addresses(message)
        if hidden != message:
            record.msg, record.args = hidden, None
        return True
