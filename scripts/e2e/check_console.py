"""End-to-end: the real `switchboard demo` in a real terminal (tmux). Waits for live traffic
on screen, replays an event with `r`, disables an endpoint with `d`, and checks through the
HTTP API that both happened; then resizes to 80x24 and below the minimum, and quits with q."""
import json
import os
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "interop"))
from harness import free_port  # noqa: E402
from tmux import TmuxSession  # noqa: E402


def api(port, key, path):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def wait(condition, what, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"{what} did not happen within {timeout}s")


def main(binary):
    import subprocess
    data = tempfile.mkdtemp(prefix="switchboard-e2e-")
    port = free_port()
    key = subprocess.run([binary, "keys", "create", "--name", "e2e", "--scopes", "read", "--quiet", "--data-dir", data],
                         check=True, capture_output=True, text=True).stdout.strip()
    session = TmuxSession("sbe2e", f"{binary} demo --port {port} --data-dir {data} --rate 5",
                          env={"TERM": "xterm-256color", "LANG": "C.UTF-8"})
    try:
        session.wait_for(lambda s: "order." in s or "invoice." in s or "customer." in s, "demo traffic", timeout=60)
        print("console: live demo traffic on screen")

        # Replay the selected event in the events pane.
        before = api(port, key, "/v1/events?limit=100")["events"]
        session.keys("2")
        session.keys("f")
        session.keys("r")
        session.wait_for(lambda s: "y/N" in s or "[y/N]" in s, "the replay confirmation")
        session.keys("y")
        wait(lambda: any(e.get("replay_of") for e in api(port, key, "/v1/events?limit=100")["events"]), "a replay through the API")
        print("console: r replayed an event (visible through the API)")

        # Disable the selected endpoint in the endpoints pane.
        session.keys("1")
        session.keys("g")
        session.keys("d")
        session.wait_for(lambda s: "y/N" in s or "[y/N]" in s, "the disable confirmation")
        session.keys("y")
        wait(lambda: any(not e["enabled"] and e.get("disabled_reason") == "manual" for e in api(port, key, "/v1/endpoints")["endpoints"]),
             "a manually disabled endpoint through the API")
        print("console: d disabled an endpoint (visible through the API)")

        session.resize(80, 24)
        session.wait_for(lambda s: len(s.splitlines()) <= 24 and s.strip() != "", "a redraw at 80x24")
        session.resize(40, 10)
        session.wait_for(lambda s: "too small" in s.lower(), "the terminal-too-small screen")
        session.resize(120, 40)
        session.keys("q")
        session.wait_for(lambda s: "EXITED=0" in s, "a clean exit after q", timeout=30)
        print("console: q quit cleanly and restored the terminal")
        assert before is not None
    finally:
        session.close()


if __name__ == "__main__":
    main(sys.argv[1])
