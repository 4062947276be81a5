"""End-to-end: the real `switchboard demo` in a real terminal (tmux). Waits for live traffic
on screen, replays an event with `r` (option 2, then y and Enter), pauses an endpoint with `p`, and checks through the
HTTP API that both happened; creates a Stripe source through the API, sends it a request with
a bad signature and checks that the sources view (`s`) shows the refusal and its reason; then
resizes to 80x24 and below the minimum, and quits with q."""
import json
import os
import re
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "interop"))
from harness import free_port  # noqa: E402
from tmux import TmuxSession  # noqa: E402


def api(port, key, path):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def call(port, method, path, body=None, key=None, headers=None):
    """One HTTP request; returns (status, parsed JSON or raw bytes). HTTP errors are answers too."""
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method)
    request.add_header("content-type", "application/json")
    if key:
        request.add_header("authorization", f"Bearer {key}")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, payload = error.code, error.read()
    try:
        return status, json.loads(payload) if payload else None
    except ValueError:
        return status, payload


def check_sources_view(session, port, writer):
    """A Stripe source refuses a badly signed request; `s` shows it with a rejected count of 1
    and the reason, and Enter opens its detail with the ingest path."""
    status, source = call(port, "POST", "/v1/sources", key=writer,
                          body={"name": "stripe-prod", "provider": "stripe", "signing_secret": "whsec_test_secret_123"})
    assert status == 201, f"POST /v1/sources: expected 201, got {status}: {source!r}"
    assert source["id"].startswith("src_") and source["slug"] and source["url"].endswith("/in/" + source["slug"]), source
    body = json.dumps({"id": "evt_e2e_bad_signature", "type": "charge.succeeded", "data": {"object": {}}}).encode()
    bad = f"t={int(time.time())},v1={'0' * 64}"
    status, answer = call(port, "POST", f"/in/{source['slug']}", body=body, headers={"Stripe-Signature": bad})
    assert status == 401, f"POST /in/<slug> with a bad Stripe-Signature: expected 401, got {status}: {answer!r}"
    reason = "no v1 signature matches"
    if isinstance(answer, (dict, list)):
        assert reason not in json.dumps(answer), "the refusal reason must not be told to the caller"

    session.keys("s")
    session.wait_for(lambda s: "Sources" in s and "stripe-prod" in s, "the sources view with stripe-prod")
    # Newest source last: select it, then its row reads name, received 0, rejected 1.
    session.keys("G")
    screen = session.wait_for(lambda s: re.search(r"stripe-prod\s+0\s+1\s", s) is not None,
                              "stripe-prod with 0 received and 1 rejected")
    assert "stripe" in screen
    session.wait_for(lambda s: reason in s, "the refusal reason under the sources list")
    print("console: s shows the source stripe-prod with 1 rejected request and its reason")

    session.keys("Enter")
    session.wait_for(lambda s: "Source stripe-prod" in s and f"/in/{source['slug']}" in s
                     and reason + " (wrong secret or altered body)" in s,
                     "the source detail with its ingest URL and the full reason")
    session.keys("Escape")
    session.wait_for(lambda s: "Source stripe-prod" not in s and "Sources" in s, "the sources view again")
    session.keys("s")
    session.wait_for(lambda s: "1 Endpoints" in s, "the endpoints view again")
    print("console: Enter shows the source's ingest URL and the full refusal reason; s goes back to endpoints")


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
    writer = subprocess.run([binary, "keys", "create", "--name", "e2e-writer", "--scopes", "read,write", "--quiet", "--data-dir", data],
                            check=True, capture_output=True, text=True).stdout.strip()
    session = TmuxSession("sbe2e", f"{binary} demo --port {port} --data-dir {data} --rate 5",
                          env={"TERM": "xterm-256color", "LANG": "C.UTF-8"})
    try:
        session.dismiss_admin_key(data_dir=data)
        print("console: the first start's admin key is shown once in a panel and kept in <data-dir>/admin.key (0600)")
        session.wait_for(lambda s: "order." in s or "invoice." in s or "customer." in s, "demo traffic", timeout=60)
        print("console: live demo traffic on screen")

        # Replay the selected event in the events pane.
        before = api(port, key, "/v1/events?limit=100")["events"]
        session.keys("2")
        session.keys("f")
        session.keys("r")
        session.wait_for(lambda s: "then" in s and "to confirm" in s, "the replay confirmation")
        time.sleep(0.4)  # a new dialog ignores keys for 300 ms
        # The event may have failed deliveries (then option 1 retries them): pick the replay.
        if "Replay as a new event" in session.screen() and "2 Replay" in session.screen():
            session.keys("2")
        session.keys("y")
        session.keys("Enter")
        wait(lambda: any(e.get("replay_of") for e in api(port, key, "/v1/events?limit=100")["events"]), "a replay through the API")
        print("console: r replayed an event (visible through the API)")

        # Pause the selected endpoint in the endpoints pane.
        # The pane sorts by health (an auto-disabled endpoint may lead): pick an active one.
        session.keys("1")
        session.keys("/")
        for ch in "status:active":
            session.keys(ch)
        session.keys("Enter")
        session.keys("g")
        session.keys("p")
        session.wait_for(lambda s: "then" in s and "to confirm" in s, "the pause confirmation")
        time.sleep(0.4)
        session.keys("y")
        session.keys("Enter")
        wait(lambda: any(not e["enabled"] and e.get("disabled_reason") == "manual" for e in api(port, key, "/v1/endpoints")["endpoints"]),
             "a manually disabled endpoint through the API")
        print("console: p paused an endpoint (visible through the API)")

        check_sources_view(session, port, writer)

        session.resize(80, 24)
        session.wait_for(lambda s: len(s.splitlines()) <= 24 and s.strip() != "", "a redraw at 80x24")
        session.resize(40, 10)
        session.wait_for(lambda s: "too small" in s.lower(), "the terminal-too-small screen")
        session.resize(120, 40)
        session.keys("q")
        screen = session.wait_for(lambda s: "Quit and stop the dispatcher" in s, "the question before q stops a dispatcher with work queued")
        assert "queued" in screen and "in flight" in screen, f"the quit question must say what is queued:\n{screen}"
        time.sleep(0.4)
        session.keys("Escape")
        session.wait_for(lambda s: "Quit and stop the dispatcher" not in s, "Esc to keep the console running")
        screen = session.quit_stopping_dispatcher()
        assert "EXITED=0" in screen, f"the console did not exit cleanly:\n{screen}"
        print("console: q asked before stopping the dispatcher with deliveries queued, Esc kept it, y Enter quit cleanly")
        assert before is not None
    finally:
        session.close()


if __name__ == "__main__":
    main(sys.argv[1])
