"""End-to-end: the console's views in a real terminal (tmux).

- An event ROWS_BACK (default 50,000) events back is found by pasting its whole id into the
  filter prompt: the detail view opens on it.
- The failures view (`F`) lists a delivery that is retrying inside a QUEUED event (the demo's
  misbehaving receiver makes some), checked against the HTTP API.
- At 80x24 the help overlay scrolls (`j`) to its last lines.
"""
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "interop"))
from harness import free_port  # noqa: E402
from tmux import TmuxSession  # noqa: E402

ROWS_BACK = int(os.environ.get("ROWS_BACK", "50000"))


def call(port, key, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                     headers={"authorization": f"Bearer {key}", "content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def check_failures_view(session, port, key):
    session.keys("F")
    session.wait_for(lambda s: "2 Failures" in s, "the failures view")
    screen = session.wait_for(lambda s: "↺ retrying" in s, "a retrying delivery in the failures view", timeout=90)
    session.keys("g")
    # Check through the API that a listed delivery is retrying inside a QUEUED event.
    for _ in range(20):
        session.keys("Enter")
        detail = session.wait_for(lambda s: "Delivery dlv_" in s, "the delivery detail")
        delivery_id = re.search(r"Delivery (dlv_[0-9A-Za-z]+)", detail).group(1)
        delivery = call(port, key, "GET", f"/v1/deliveries/{delivery_id}")
        event = call(port, key, "GET", f"/v1/events/{delivery['event_id']}")
        session.keys("Escape")
        if event["status"] == "QUEUED" and delivery["attempt_count"] > 0 and delivery["state"] in ("scheduled", "SCHEDULED"):
            print(f"console: the failures view lists {delivery_id}, retrying inside the QUEUED event {event['id']}")
            break
        session.keys("j")
    else:
        raise AssertionError(f"no listed failure was a retrying delivery of a QUEUED event:\n{screen}")
    session.keys("F")
    session.wait_for(lambda s: "2 Events" in s, "the events again")


def check_help_scrolls(session):
    session.resize(80, 24)
    session.keys("?")
    first = session.wait_for(lambda s: "Keys" in s and "j/k" in s, "the help overlay at 80x24")
    for _ in range(12):
        session.keys("PageDown")
    last = session.wait_for(lambda s: "Detail view" in s, "the end of the help after scrolling")
    assert first != last
    session.keys("x")
    session.resize(120, 40)
    print("console: at 80x24 the help overlay scrolls to its last keys")


def check_id_far_back(session, port, writer):
    target = call(port, writer, "POST", "/v1/events", {"event_type": "needle.found", "payload": {"n": 0}})["id"]
    started = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda n: call(port, writer, "POST", "/v1/events", {"event_type": "hay.bale", "payload": {"n": n}}), range(ROWS_BACK)))
    print(f"console: published {ROWS_BACK} events after the target in {time.time() - started:.0f}s")
    session.keys("2")
    session.keys("/")
    session.paste(target)
    screen = session.wait_for(lambda s: f"Event {target}" in s, f"the detail view of {target}", timeout=30)
    assert "needle.found" in screen, screen
    session.keys("Escape")
    print(f"console: pasting an id {ROWS_BACK} events back opened it")


def main(binary):
    data = tempfile.mkdtemp(prefix="switchboard-e2e-")
    port = free_port()
    writer = subprocess.run([binary, "keys", "create", "--name", "e2e", "--scopes", "read,write", "--quiet", "--data-dir", data],
                            check=True, capture_output=True, text=True).stdout.strip()
    session = TmuxSession("sbe2eviews", f"{binary} demo --port {port} --data-dir {data} --rate 8",
                          env={"TERM": "xterm-256color", "LANG": "C.UTF-8",
                               # Publishing the haystack fast: no write rate limit for this run.
                               "SWITCHBOARD_API_RATE_LIMIT_PER_SECOND": "0"})
    try:
        session.dismiss_admin_key()
        session.wait_for(lambda s: "order." in s or "invoice." in s or "customer." in s, "demo traffic", timeout=60)
        check_help_scrolls(session)
        check_failures_view(session, port, writer)
        check_id_far_back(session, port, writer)
        session.keys("C-c")
        session.wait_for(lambda s: "EXITED=" in s, "the console to exit", timeout=30)
    finally:
        session.close()


if __name__ == "__main__":
    main(sys.argv[1])
