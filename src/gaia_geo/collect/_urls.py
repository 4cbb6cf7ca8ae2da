"""URL canonicalisation and the checks every URL passes before it is fetched."""

from __future__ import annotations

import asyncio
import ipaddress
import posixpath
import socket
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

from ..errors import DownloadError

#: Query parameters that only track the visitor; dropped so one page has one URL.
TRACKING_PARAMS = frozenset(
    {"utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "fbclid", "gclid"}
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonicalize_url(url: str, base: str | None = None) -> str:
    """Return the canonical form of ``url`` (resolved against ``base``).

    Lower-case scheme and host, default port dropped, fragment dropped, dot segments resolved,
    percent-encoding normalised, tracking parameters dropped and the query sorted; an empty
    path becomes ``/``.

    Args:
        url: an absolute URL, or a relative one when ``base`` is given.
        base: the page the URL was found on.

    Returns:
        The canonical URL.

    Raises:
        ValueError: if the URL is not http(s) or has no host.

    Example:
        >>> canonicalize_url("HTTP://Example.COM:80/a/./b/../c?utm_source=x&b=2&a=1#top")
        'http://example.com/a/c?a=1&b=2'
    """
    if base is not None:
        url = urljoin(base, url.strip())
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise ValueError(f"not an http(s) URL: {url!r}")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise ValueError(f"URL has no host: {url!r}")
    try:
        port = parts.port
    except ValueError as err:
        raise ValueError(f"URL has a bad port: {url!r}") from err
    host = host.encode("idna").decode("ascii") if not host.isascii() else host.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = parts.path or "/"
    trailing = path.endswith("/")
    path = posixpath.normpath(path)
    if path == ".":
        path = "/"
    if trailing and not path.endswith("/"):
        path += "/"
    if path.startswith("//"):
        path = "/" + path.lstrip("/")
    path = quote(unquote(path), safe="/:@!$&'()*+,;=-._~")
    query_pairs = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS
    ]
    query = urlencode(sorted(query_pairs), doseq=True)
    return urlunsplit((scheme, netloc, path, query, ""))


def host_key(url: str) -> str:
    """The politeness key of a URL: ``scheme://host[:port]`` (robots.txt and limits are per key)."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def host_allowed(url: str, allowed_domains: frozenset[str]) -> bool:
    """Whether the URL's host is an allowed domain or a subdomain of one.

    Entries may carry a port (``"127.0.0.1:8000"``), which then must match too.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    netloc = parts.netloc.lower()
    for domain in allowed_domains:
        if ":" in domain and not domain.startswith("["):
            if netloc == domain:
                return True
        elif host == domain or host.endswith("." + domain):
            return True
    return False


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return ip.is_global and not ip.is_multicast


async def resolves_to_private(url: str) -> str | None:
    """Return the first private/loopback/link-local address the URL's host resolves to, or None.

    IP literals are checked directly; names are resolved with the system resolver.
    """
    host = urlsplit(url).hostname or ""
    try:
        return None if _is_public(host) else host
    except ValueError:
        pass  # a name, not an IP literal
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        return None  # the fetch itself will fail with a clear DNS error
    for info in infos:
        address = str(info[4][0])
        if not _is_public(address):
            return address
    return None


class TargetGuard:
    """Refuses URLs a fetch must not reach: other schemes, other domains, private addresses.

    Args:
        allowed_domains: hosts that may be fetched (None: any).
        allow_private: allow private, loopback and link-local addresses.
    """

    def __init__(self, allowed_domains: frozenset[str] | None, allow_private: bool) -> None:
        self.allowed_domains, self.allow_private = allowed_domains, allow_private
        self._private: dict[str, str | None] = {}  # host -> its non-public address, if any

    async def check(self, url: str) -> None:
        """Raise DownloadError (``unsupported-scheme``, ``off-allowlist``, ``private-address``)."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            raise DownloadError(
                url,
                f"unsupported URL scheme: {parts.scheme or 'none'!r} (http or https only)",
                code="unsupported-scheme",
            )
        if self.allowed_domains is not None and not host_allowed(url, self.allowed_domains):
            raise DownloadError(url, "host is not in the allowed domains", code="off-allowlist")
        if self.allow_private:
            return
        host = parts.hostname or ""
        if host not in self._private:
            self._private[host] = await resolves_to_private(url)
        address = self._private[host]
        if address is not None:
            raise DownloadError(
                url,
                f"private address: {host} resolves to non-public address {address}; pass "
                "allow_private=True (--allow-private) to fetch from it",
                code="private-address",
            )
