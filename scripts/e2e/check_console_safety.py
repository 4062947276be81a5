"""End-to-end: the console's safety in a real terminal (tmux). Text pasted into the endpoints
pane changes nothing (bracketed paste: no key runs, no endpoint paused, nothing replayed);
keys typed straight after `r` do not answer the dialog (it ignores keys for 300 ms, then needs
y and Enter); with TERM=dumb the console exits with a clear message instead of a blank screen."""
import json
import os
import subprocess
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


def replays(port, key):
    return [e for e in api(port, key, "/v1/events?limit=100")["events"] if e.get("replay_of")]


def paused(port, key):
    """Endpoints paused by an operator (the demo's 410 receiver auto-disables one by itself)."""
    return sorted(e["id"] for e in api(port, key, "/v1/endpoints")["endpoints"] if not e["enabled"] and e.get("disabled_reason") == "manual")


def check_paste_changes_nothing(session, port, key):
    session.keys("1")
    session.wait_for(lambda s: "1 Endpoints" in s and "by health" in s, "the endpoints pane")
    before_paused, before_replays = paused(port, key), len(replays(port, key))
    # Once, typing `body` paused an endpoint and pasting `order\nry` replayed an event.
    session.paste("body\norder\nry\npppp\rRBy\n")
    session.wait_for(lambda s: "Pasted text ignored" in s, "the flash saying the paste was dropped")
    time.sleep(1.5)
    screen = session.screen()
    assert "to confirm" not in screen and "Type the endpoint" not in screen, f"a paste opened a dialog:\n{screen}"
    assert paused(port, key) == before_paused, "a paste paused or resumed an endpoint"
    assert len(replays(port, key)) == before_replays, "a paste replayed an event"
    print("console: text pasted into the endpoints pane ran no key and changed nothing")


def check_typed_ahead_keys_do_not_confirm(session, port, key):
    session.keys("2")
    session.keys("f")
    before = len(replays(port, key))
    # r, then y, 2, y and Enter in the same burst: the dialog is new, so they are ignored.
    subprocess.run(["tmux", "send-keys", "-t", session.name, "r", "2", "y", "Enter"], check=True)
    screen = session.wait_for(lambda s: "to confirm" in s, "the retry/replay dialog")
    time.sleep(1.0)
    assert "to confirm" in session.screen(), "keys typed ahead closed the dialog"
    assert len(replays(port, key)) == before, "keys typed straight after r replayed an event"
    assert "Press y then" in screen, f"the dialog must ask for y then Enter:\n{screen}"
    session.keys("Escape")
    session.wait_for(lambda s: "Cancelled" in s, "the cancel flash")
    print("console: keys typed within 300 ms of r did not answer the dialog; Esc cancelled it")


def check_dumb_terminal(binary):
    data = tempfile.mkdtemp(prefix="switchboard-e2e-dumb-")
    session = TmuxSession("sbe2edumb", f"{binary} demo --port {free_port()} --data-dir {data} --rate 1",
                          env={"TERM": "dumb", "LANG": "C.UTF-8"})
    try:
        screen = session.wait_for(lambda s: "EXITED=" in s, "the console to exit under TERM=dumb", timeout=60)
        assert "EXITED=0" not in screen, f"TERM=dumb must fail, not succeed:\n{screen}"
        assert "TERM=dumb" in screen and "cursor addressing" in screen, f"no clear message for TERM=dumb:\n{screen}"
        print("console: TERM=dumb exits with a clear message instead of a blank screen")
    finally:
        session.close()


def main(binary):
    data = tempfile.mkdtemp(prefix="switchboard-e2e-")
    port = free_port()
    key = subprocess.run([binary, "keys", "create", "--name", "e2e", "--scopes", "read", "--quiet", "--data-dir", data],
                         check=True, capture_output=True, text=True).stdout.strip()
    session = TmuxSession("sbe2esafe", f"{binary} demo --port {port} --data-dir {data} --rate 5",
                          env={"TERM": "xterm-256color", "LANG": "C.UTF-8"})
    try:
        session.dismiss_admin_key()
        session.wait_for(lambda s: "order." in s or "invoice." in s or "customer." in s, "demo traffic", timeout=60)
        check_paste_changes_nothing(session, port, key)
        check_typed_ahead_keys_do_not_confirm(session, port, key)
        session.quit_stopping_dispatcher()
    finally:
        session.close()
    check_dumb_terminal(binary)


if __name__ == "__main__":
    main(sys.argv[1])
