"""The address a request came from, for django-axes' lockout (AXES_CLIENT_IP_CALLABLE).

Behind the TLS proxy every request's REMOTE_ADDR is the proxy's own, so keying the lockout on it
lets one person lock a username out for everyone. With `TRUSTED_PROXY_COUNT` proxies in front,
each appends the address it received the request from to X-Forwarded-For; the client is the
entry that many places from the right. Entries further left were written by the client and are
not believed. With no trusted proxy (0, the default) REMOTE_ADDR is the client, and the header,
which anyone can send, is ignored.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if not forwarded:
        return remote
    # Fewer entries than proxies: the request skipped a proxy; the farthest entry is the best.
    candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
