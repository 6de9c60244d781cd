"""The command line of a real instance, and the HTTP port it serves on."""

from pathlib import Path

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request


CLI = str(Path(sys.executable).parent / "xinfang-archive")


def clean_env(**extra):
    """The environment of a real instance: no admin password preset, and not
    the search index directory of the test layers."""
    drop = ("XINFANG_ADMIN_PASSWORD", "XINFANG_SEARCH_INDEX", "XINFANG_AUDIT_LOG")
    return {**{k: v for k, v in os.environ.items() if k not in drop}, **extra}


def run(*args, env=None):
    return subprocess.run(
        [CLI, *args],
        capture_output=True,
        text=True,
        env=env or clean_env(),
        timeout=600,
    )


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def get_json(url, user, password):
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    request.add_header("Authorization", "Basic " + token)
    with OPENER.open(request, timeout=10) as response:
        return json.loads(response.read().decode())


def status(url, user=None, password=None):
    """The HTTP status of ``url`` (redirects are not followed)."""
    request = urllib.request.Request(url)
    if user:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        request.add_header("Authorization", "Basic " + token)
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None  # not listening yet


def wait_until_serving(url, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if status(url) == 200:
            return True
        time.sleep(0.2)
    return False
