"""Operators' settings that would open the probes, the metrics or the lockouts to strangers."""

from ipaddress import ip_address

from django.conf import settings
from django.core import checks

# What an example file or a hurried operator leaves in place of a secret.
PLACEHOLDERS = ("change", "secret", "token", "password", "example", "todo", "metrics")
MIN_TOKEN_LENGTH = 32


def weak_token(token: str) -> bool:
    lowered = token.lower()
    return len(token) < MIN_TOKEN_LENGTH or any(word in lowered for word in PLACEHOLDERS)


@checks.register(checks.Tags.security)
def metrics_token_strong(app_configs, **kwargs) -> list[checks.CheckMessage]:
    token = settings.METRICS_TOKEN
    if settings.DEBUG or not token or not weak_token(token):
        return []
    return [
        checks.Error(
            f"METRICS_TOKEN is a placeholder or shorter than {MIN_TOKEN_LENGTH} characters: "
            "anyone could read /metrics and /readyz's figures.",
            hint="Set it to `python -c 'import secrets; print(secrets.token_urlsafe(32))'`, "
            "or leave it empty (token access off).",
            id="connect.E025",
        )
    ]


@checks.register(checks.Tags.security)
def metrics_networks_exclude_the_proxy(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if not settings.BEHIND_TLS_PROXY:
        return []
    # The documented proxy runs on this host: it connects from loopback, for every visitor.
    proxy = (ip_address("127.0.0.1"), ip_address("::1"))
    proxied = [net for net in settings.METRICS_ALLOWED_NETWORKS if any(ip in net for ip in proxy)]
    if not proxied:
        return []
    return [
        checks.Warning(
            f"METRICS_ALLOWED_NETWORKS includes {', '.join(map(str, proxied))}, the address of "
            "the same-host proxy: every visitor the proxy forwards may read the metrics.",
            hint="Allow the scraper's own network, or use METRICS_TOKEN.",
            id="connect.W025",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def proxy_count_set(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if not settings.BEHIND_TLS_PROXY or settings.TRUSTED_PROXY_COUNT > 0:
        return []
    return [
        checks.Error(
            "BEHIND_TLS_PROXY=1 with TRUSTED_PROXY_COUNT=0: every visitor is the proxy's address,"
            " so a stranger's failed logins lock every user out.",
            hint="Set TRUSTED_PROXY_COUNT to the number of proxies in front of the portal (1).",
            id="connect.E026",
        )
    ]
