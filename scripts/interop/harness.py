"""Shared pieces of the interop checks: a real `switchboard serve` on loopback and a
recording webhook receiver, both bounded in time."""
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Receiver:
    """Records every POST (and, in `arrivals`, when each webhook-id came); answers 200."""

    def __init__(self):
        self.requests = []
        self.arrivals = []
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                with outer.lock:
                    outer.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                    outer.arrivals.append((time.time(), self.headers.get("webhook-id")))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def wait(self, count, path=None, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                matching = [r for r in self.requests if path is None or r[0] == path]
            if len(matching) >= count:
                return matching
            time.sleep(0.05)
        raise AssertionError(f"expected {count} deliveries on {path or 'any path'} within {timeout}s, got {len(matching)}")

    def close(self):
        self.server.shutdown()


class Switchboard:
    """A `switchboard serve` process with its own data directory."""

    def __init__(self, binary, data_dir=None, env=None):
        self.prepare(binary, env, data_dir)
        self.key = self.run_cli("keys", "create", "--name", "interop", "--scopes", "admin", "--quiet").strip()

    def prepare(self, binary, env=None, data_dir=None):
        """Everything but the key: for checks that must start a node before anything touches its store."""
        self.binary = binary
        self.owns_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="switchboard-interop-")
        self.port = free_port()
        self.env = dict(os.environ, **(env or {}))
        self.process = None
        self.key = None

    def run_cli(self, *args):
        return subprocess.run([self.binary, *args, "--data-dir", self.data_dir], check=True,
                              capture_output=True, text=True, timeout=60, env=self.env).stdout

    def start(self):
        self.log = open(os.path.join(self.data_dir, "serve.log"), "ab")
        self.process = subprocess.Popen([self.binary, "serve", "--dev", "--port", str(self.port), "--data-dir", self.data_dir],
                                        stdout=self.log, stderr=self.log, env=self.env)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                self.request("GET", "/healthz", auth=False)
                return self
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        raise AssertionError("switchboard serve did not become healthy within 30 s")

    def request(self, method, path, body=None, headers=None, auth=True, expect=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method)
        req.add_header("content-type", "application/json")
        if auth:
            req.add_header("authorization", f"Bearer {self.key}")
        for name, value in (headers or {}).items():
            req.add_header(name, value)
        try:
            with urllib.request.urlopen(req, timeout=10) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
        if expect is not None and status != expect:
            raise AssertionError(f"{method} {path}: expected {expect}, got {status}: {payload[:300]!r}")
        return json.loads(payload) if payload and payload[:1] in b"{[" else payload

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise AssertionError("switchboard serve did not exit within 30 s of SIGTERM")
        return self.process.returncode if self.process else None

    def cleanup(self):
        self.stop()
        if self.owns_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)


def post_raw(url, data, headers=None, timeout=10):
    """POSTs `data` byte for byte (signatures cover the exact bytes) to a full URL; returns
    (status, headers, body parsed as JSON when it is JSON, else the bytes)."""
    req = urllib.request.Request(url, data=data, method="POST")
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            status, answer_headers, payload = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, answer_headers, payload = error.code, error.headers, error.read()
    parsed = json.loads(payload) if payload and payload[:1] in b"{[" else payload
    return status, {k.lower(): v for k, v in answer_headers.items()}, parsed
