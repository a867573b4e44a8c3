"""What ``ecslab server`` prints on start: the exact line each learner types, with an address
another laptop can reach.

A server listening on ``0.0.0.0`` (every interface) cannot be reached *at* ``0.0.0.0``: the
banner names each non-loopback IPv4 address of the machine instead (read with psutil, which
asks the operating system on Linux, macOS and Windows alike), or the one ``--advertise`` gives
(a name, or the address of the room's network when the machine has several).
"""

from __future__ import annotations

import ipaddress

ANY_HOST = {"", "0.0.0.0", "::"}
PLACEHOLDER = "<your name>"


def interface_addresses() -> list[str]:
    """The machine's IPv4 addresses, loopback and link-local left out."""
    import socket

    import psutil

    found = []
    for entries in psutil.net_if_addrs().values():
        for entry in entries:
            if entry.family != socket.AF_INET:
                continue
            address = ipaddress.ip_address(entry.address)
            if not (address.is_loopback or address.is_link_local) and entry.address not in found:
                found.append(entry.address)
    return found


def advertised(host: str, advertise: str | None = None) -> list[str]:
    """The addresses learners should use for a server listening on ``host``."""
    if advertise:
        return [advertise]
    if host in ANY_HOST:
        return interface_addresses() or ["127.0.0.1"]
    return [host]


def connect_line(url: str) -> str:
    """The Python line a learner types in a notebook's first cell."""
    return (
        f'import ecslab; lab = ecslab.Lab(backend="server", endpoint_url="{url}", '
        f'learner="{PLACEHOLDER}")'
    )


def banner(host: str, port: int, advertise: str | None = None) -> str:
    """Every line the server prints on start."""
    addresses = advertised(host, advertise)
    urls = [f"http://{address}:{port}" for address in addresses]
    lines = [f"ecslab server: simulated AWS listening on {host}:{port} (Ctrl-C stops it)"]
    if all(_is_loopback(address) for address in addresses):
        lines.append("Only this machine can connect. For a room: ecslab server --host 0.0.0.0")
    elif len(urls) > 1:
        lines.append(
            "This machine has several addresses; learners use the one on the room's network "
            "(or restart with --advertise ADDRESS to print just that one)."
        )
    for url in urls:
        lines += [
            "",
            f"Learners connect to {url}. In a notebook's first cell, "
            f"with their own name in place of {PLACEHOLDER}:",
            f"    {connect_line(url)}",
            "or, before `make lab`, in a terminal:",
            f"    export ECSLAB_BACKEND=server ECSLAB_ENDPOINT_URL={url} "
            f'ECSLAB_LEARNER="{PLACEHOLDER}"',
            "    (PowerShell: "
            f'$env:ECSLAB_BACKEND="server"; $env:ECSLAB_ENDPOINT_URL="{url}"; '
            f'$env:ECSLAB_LEARNER="{PLACEHOLDER}")',
        ]
    return "\n".join(lines)


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return address == "localhost"  # another name: others may resolve it
