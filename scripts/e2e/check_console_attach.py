"""End-to-end: a console attached to a running server, in a real terminal (tmux).

A `switchboard serve` runs on its own; `switchboard console --url … --key …` attaches to it,
shows the server's events live, replays one through the server's API, and `q` leaves the
server running. A console with a read-scope key is read-only: it hides the actions, refuses
them when tried, and nothing is replayed. `switchboard` started on the data directory that the
server holds attaches to that server (key from <data-dir>/admin.key) instead of starting a
second dispatcher. `switchboard --readonly` on the stopped server's directory, with retries due
every second, sends nothing; the server started again sends them at once."""
import http.server
import os
import threading
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "interop"))
from harness import Receiver, Switchboard  # noqa: E402
from tmux import TmuxSession  # noqa: E402

ENV = {"TERM": "xterm-256color", "LANG": "C.UTF-8"}


def replays(server):
    return [e for e in server.request("GET", "/v1/events?limit=100", expect=200)["events"] if e.get("replay_of")]


def check_attached_replay_and_quit(binary, server, url):
    session = TmuxSession("sbe2eattach", f"{binary} console --url {url} --key {server.key}", env=ENV)
    try:
        session.wait_for(lambda s: f"attached {url}" in s, "the header naming the attached server")
        session.wait_for(lambda s: "order.seen" in s, "the server's events in the attached console")
        # A change made on the server reaches the attached console through /v1/stream.
        server.request("POST", "/v1/events", {"event_type": "order.live", "payload": {"n": 1}}, expect=202)
        session.wait_for(lambda s: "order.live" in s, "an event published after attaching")
        before = len(replays(server))
        session.keys("2")
        session.keys("g")
        session.keys("r")
        session.wait_for(lambda s: "to confirm" in s, "the replay dialog")
        time.sleep(0.5)
        session.keys("y")
        session.keys("Enter")
        session.wait_for(lambda s: "Replayed" in s, "the flash confirming the replay")
        deadline = time.time() + 10
        while len(replays(server)) == before and time.time() < deadline:
            time.sleep(0.2)
        assert len(replays(server)) == before + 1, "the replay made through the attached console did not reach the server"
        session.keys("q")
        screen = session.wait_for(lambda s: "EXITED=" in s, "the attached console to exit after q", timeout=20)
        assert "EXITED=0" in screen, f"the attached console did not exit cleanly:\n{screen}"
        assert "Quit and stop" not in screen, "quitting an attached console must not offer to stop the server"
        assert server.process.poll() is None, "quitting the attached console stopped the server"
        server.request("GET", "/healthz", auth=False, expect=200)
        print("console: attached to a running serve, showed its live events, replayed through its API; q left it running")
    finally:
        session.close()


def check_read_only_key(binary, server, url):
    reader = server.run_cli("keys", "create", "--name", "watcher", "--scopes", "read", "--quiet").strip()
    session = TmuxSession("sbe2eattachro", f"{binary} console --url {url} --key {reader}", env=ENV)
    try:
        session.wait_for(lambda s: "READ-ONLY" in s and f"attached {url}" in s, "a read-only header for a read-scope key")
        session.wait_for(lambda s: "order.seen" in s, "the server's events")
        before = len(replays(server))
        session.keys("2")
        session.keys("r")
        session.wait_for(lambda s: "Read-only console" in s, "the refusal of r in a read-only console")
        session.keys("1")
        session.keys("p")
        time.sleep(1)
        screen = session.screen()
        assert "to confirm" not in screen, f"a read-only console opened an action dialog:\n{screen}"
        assert len(replays(server)) == before, "a read-only console replayed an event"
        session.keys("q")
        session.wait_for(lambda s: "EXITED=0" in s, "the read-only console to exit", timeout=20)
        print("console: a read-scope key gives a read-only console that refuses actions")
    finally:
        session.close()


def check_data_dir_held_attaches(binary, server, url):
    session = TmuxSession("sbe2eattachdir", f"{binary} --data-dir {server.data_dir} --port {server.port}", env=ENV)
    try:
        screen = session.wait_for(lambda s: "attached http://" in s or "EXITED=" in s, "the console on a held data directory")
        assert "attached http://" in screen, f"a console on a served data directory must attach, not fail:\n{screen}"
        session.keys("q")
        session.wait_for(lambda s: "EXITED=0" in s, "the console to exit", timeout=20)
        assert server.process.poll() is None, "the second console stopped the server"
        print("console: started on a data directory that serve holds, it attached to that server instead of dispatching")
    finally:
        session.close()


class FailingReceiver:
    """Answers 503 while `failing`, else 200; counts every POST."""

    def __init__(self):
        self.count, self.failing = 0, True
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("content-length", "0")))
                outer.count += 1
                self.send_response(503 if outer.failing else 200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/flaky"


def check_read_only_never_dispatches(binary, server):
    flaky = FailingReceiver()
    try:
        server.request("POST", "/v1/endpoints", {"name": "flaky", "url": flaky.url, "event_types": ["flaky.*"]}, expect=201)
        for n in range(3):
            server.request("POST", "/v1/events", {"event_type": "flaky.tick", "payload": {"n": n}}, expect=202)
        deadline = time.time() + 20
        while flaky.count < 3 and time.time() < deadline:
            time.sleep(0.1)
        assert flaky.count >= 3, f"the failing receiver got {flaky.count} first attempts, not 3"
        assert server.stop() == 0, "serve did not stop cleanly"
        sent = flaky.count
        session = TmuxSession("sbe2eattachreadonly", f"{binary} --readonly --dev --data-dir {server.data_dir}", env=ENV)
        try:
            session.wait_for(lambda s: "READ-ONLY" in s and "flaky.tick" in s, "a read-only console on the stopped server's data")
            time.sleep(4)  # the retries are due every second: a dispatcher would have sent them
            assert flaky.count == sent, f"the read-only console sent {flaky.count - sent} deliveries"
            session.keys("q")
            session.wait_for(lambda s: "EXITED=0" in s, "the read-only console to exit", timeout=20)
        finally:
            session.close()
        flaky.failing = False
        server.start()
        deadline = time.time() + 20
        while flaky.count == sent and time.time() < deadline:
            time.sleep(0.1)
        assert flaky.count > sent, "the retries were not due: the read-only check proved nothing"
        print(f"console: --readonly on a stopped server's directory sent none of the 3 due retries in 4 s; "
              f"serve started again sent them")
    finally:
        flaky.server.shutdown()


def main(binary):
    receiver = Receiver()
    # Retries due every second, for the read-only check.
    server = Switchboard(binary, env={"SWITCHBOARD_DELIVERY_RETRY_SCHEDULE_SECONDS": "0,1,1,1,1,1,1,1"})
    server.key_file = os.path.join(server.data_dir, "admin.key")
    with open(server.key_file, "w") as handle:
        handle.write(server.key + "\n")
    os.chmod(server.key_file, 0o600)
    server.start()
    try:
        url = f"http://127.0.0.1:{server.port}"
        server.request("POST", "/v1/endpoints", {"name": "laptop", "url": receiver.url("/hooks")}, expect=201)
        for n in range(3):
            server.request("POST", "/v1/events", {"event_type": "order.seen", "payload": {"n": n}}, expect=202)
        receiver.wait(3)
        check_attached_replay_and_quit(binary, server, url)
        check_read_only_key(binary, server, url)
        check_data_dir_held_attaches(binary, server, url)
        check_read_only_never_dispatches(binary, server)
    finally:
        server.cleanup()
        receiver.close()


if __name__ == "__main__":
    main(sys.argv[1])
