"""The delivery engine against hostile receivers and a second dispatcher, from outside,
through the real binary: a trickling body is cut at the deadline, a closed port fails at
once, hanging endpoints of one tenant never delay another tenant, and a second `serve` on
the same data directory is refused while the first lives (and allowed after kill -9)."""
import socket
import subprocess
import sys
import threading
import time

from harness import Receiver, Switchboard, free_port

TIMEOUT_SECONDS = 3


class HostileServer:
    """A raw TCP server: `trickle` sends a 200 head and then one body byte per second;
    `hang` accepts and never answers. Bounded: it stops after `lifetime` seconds."""

    def __init__(self, mode, lifetime=60):
        self.mode, self.lifetime = mode, lifetime
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(256)
        self.port = self.sock.getsockname()[1]
        self.connections = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        deadline = time.time() + self.lifetime
        self.sock.settimeout(0.5)
        while time.time() < deadline:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.connections.append(conn)
            if self.mode == "trickle":
                threading.Thread(target=self.trickle, args=(conn, deadline), daemon=True).start()

    def trickle(self, conn, deadline):
        try:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n")
            while time.time() < deadline:
                conn.sendall(b"x")
                time.sleep(1)
        except OSError:
            pass

    def url(self, path="/hook"):
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self):
        self.sock.close()
        for conn in self.connections:
            try:
                conn.close()
            except OSError:
                pass


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def attempts_of(switchboard, event_id, count, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        event = switchboard.request("GET", f"/v1/events/{event_id}")
        attempts = [a for d in event.get("deliveries", []) for a in d.get("attempts", [])]
        if len(attempts) >= count:
            return attempts
        time.sleep(0.1)
    raise AssertionError(f"expected {count} attempt(s) of {event_id} within {timeout}s, got {event}")


def check_deadline_and_refusal(switchboard):
    trickle = HostileServer("trickle")
    try:
        switchboard.request("POST", "/v1/endpoints", {"name": "trickle", "url": trickle.url(), "event_types": ["trickle.*"]}, expect=201)
        switchboard.request("POST", "/v1/endpoints",
                            {"name": "closed", "url": f"http://127.0.0.1:{closed_port()}/hook", "event_types": ["closed.*"]}, expect=201)
        slow = switchboard.request("POST", "/v1/events", {"event_type": "trickle.body", "payload": {}}, expect=202)
        refused = switchboard.request("POST", "/v1/events", {"event_type": "closed.port", "payload": {}}, expect=202)

        attempt = attempts_of(switchboard, refused["id"], 1)[0]
        assert attempt["error"] == "connection_refused", attempt
        assert attempt["duration_ms"] < 1000, f"a closed port took {attempt['duration_ms']} ms"

        attempt = attempts_of(switchboard, slow["id"], 1, timeout=TIMEOUT_SECONDS + 15)[0]
        assert attempt["error"] == "timeout", attempt
        assert attempt["duration_ms"] < (TIMEOUT_SECONDS + 1.5) * 1000, f"the deadline did not hold: {attempt['duration_ms']} ms"
        assert attempt.get("response_body", "").startswith("x"), f"what arrived before the deadline is kept: {attempt}"
        print(f"hostile: trickling body cut at {attempt['duration_ms']} ms (deadline {TIMEOUT_SECONDS} s), closed port refused at once")
    finally:
        trickle.close()


def check_isolation(switchboard, hanging_endpoints=32):
    hang = HostileServer("hang")
    healthy = Receiver()
    try:
        other_key = switchboard.run_cli("keys", "create", "--name", "tenant-b", "--tenant", "tenant-b", "--quiet").strip()
        for index in range(hanging_endpoints):
            switchboard.request("POST", "/v1/endpoints", {"name": f"hang-{index}", "url": hang.url(f"/h{index}"), "event_types": ["slow.*"]},
                                expect=201)
        for _ in range(hanging_endpoints * 2):
            switchboard.request("POST", "/v1/events", {"event_type": "slow.tick", "payload": {}}, expect=202)
        time.sleep(1)
        headers = {"authorization": f"Bearer {other_key}"}
        switchboard.request("POST", "/v1/endpoints", {"name": "healthy", "url": healthy.url("/ok")}, headers=headers, auth=False, expect=201)
        latencies = []
        for index in range(20):
            started = time.time()
            switchboard.request("POST", "/v1/events", {"event_type": "fast.tick", "payload": {"n": index}}, headers=headers, auth=False,
                                expect=202)
            healthy.wait(index + 1, timeout=10)
            latencies.append(time.time() - started)
        worst = max(latencies)
        assert worst < 1.0, f"tenant B waited {worst:.2f} s behind {hanging_endpoints} hanging endpoints of tenant A"
        print(f"isolation: {hanging_endpoints} hanging endpoints of one tenant; the other's 20 deliveries arrived in at most {worst * 1000:.0f} ms")
    finally:
        hang.close()
        healthy.close()


def check_second_dispatcher(binary, first):
    second = subprocess.run([binary, "serve", "--port", str(free_port()), "--data-dir", first.data_dir],
                            capture_output=True, text=True, timeout=30)
    assert second.returncode != 0, "a second serve on the same data directory started"
    message = second.stderr + second.stdout
    assert f"pid {first.process.pid}" in message, f"the refusal does not name the holder: {message!r}"
    first.kill()
    again = Switchboard(binary, data_dir=first.data_dir).start()
    again.stop()
    print("lock: a second serve is refused naming the holder's pid; after kill -9 a new one starts")


def main(binary):
    switchboard = Switchboard(binary, env={"SWITCHBOARD_DELIVERY_REQUEST_TIMEOUT_SECONDS": str(TIMEOUT_SECONDS)}).start()
    try:
        check_deadline_and_refusal(switchboard)
        check_isolation(switchboard)
        check_second_dispatcher(binary, switchboard)
    finally:
        switchboard.cleanup()


if __name__ == "__main__":
    main(sys.argv[1])
