"""Three `switchboard serve` nodes on one PostgreSQL database, 20,000 events published across
them to four loopback receivers, one node killed with SIGKILL mid-run:

- every event accepted (answered 202) by any node is delivered, and every delivery is
  `succeeded` in the database;
- a webhook-id received twice was in flight on the killed node: its first copy arrived before
  the kill and was never recorded (the database holds one attempt fewer than copies
  received, none by the killed node), and the copy again came only once the first send's
  lease could have lapsed (never twice while it held); such duplicates are counted and printed;
- an SSE client (`/v1/stream`) on node 1 saw attempts made by nodes 2 and 3 (the change feed
  is cluster-wide).

The request timeout is 2 s, so leases are 18 s (`4 × timeout + 2 × margin`, margin 5 s) and
the killed node's claims are taken over within that. Every wait is bounded in time; progress
is printed every few seconds, and a failure says what was missing, with the nodes' last log
lines.
"""
import http.client
import http.server
import json
import os
import re
import sys
import threading
import time
import urllib.request

from harness import Switchboard
from pg import cluster_env, new_database, query

EVENTS = 20_000
ENDPOINTS = 4
PUBLISHERS = 6
REQUEST_TIMEOUT = 2  # seconds
LEASE_MARGIN = min(30, max(5, REQUEST_TIMEOUT * 2))
LEASE = REQUEST_TIMEOUT * 4 + LEASE_MARGIN * 2  # DispatcherConfiguration.leaseDuration
PUBLISH_BUDGET = 480  # seconds for all publishes (a debug build on 2 shared cores takes 250-300)
DELIVERY_BUDGET = LEASE + 90  # seconds after the last publish for the last delivery
KILL_AT = 0.4  # fraction of events accepted when node 3 is killed


def log(message):
    print(f"check_multinode: {message}", flush=True)


class CountingReceiver:
    """Answers 200 with keep-alive; records (arrival time, webhook-id) per POST."""

    def __init__(self):
        self.arrivals = []
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                self.rfile.read(int(self.headers.get("content-length", "0")))
                with outer.lock:
                    outer.arrivals.append((time.time(), self.headers.get("webhook-id")))
                self.send_response(200)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        class QuietServer(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # connections reset by the killed node are expected

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def snapshot(self):
        with self.lock:
            return list(self.arrivals)

    def close(self):
        self.server.shutdown()


class Publisher:
    """One keep-alive connection per node; `publish` returns the event id on 202, else None."""

    def __init__(self, nodes):
        self.nodes = nodes
        self.connections = {}

    def publish(self, index, body):
        node = self.nodes[index]
        try:
            connection = self.connections.get(index)
            if connection is None:
                connection = self.connections[index] = http.client.HTTPConnection("127.0.0.1", node.port, timeout=10)
            connection.request("POST", "/v1/events", json.dumps(body),
                               {"content-type": "application/json", "authorization": f"Bearer {node.key}"})
            response = connection.getresponse()
            payload = response.read()
            if response.status != 202:
                return None
            return json.loads(payload)["id"]
        except (OSError, http.client.HTTPException, ValueError):
            self.drop(index)
            return None

    def drop(self, index):
        connection = self.connections.pop(index, None)
        if connection is not None:
            connection.close()


def node_id(node):
    """The cluster node id a serve process logged at start."""
    deadline = time.time() + 20
    while time.time() < deadline:
        with open(os.path.join(node.data_dir, "serve.log"), errors="replace") as handle:
            for line in handle:
                if "cluster node registered" in line:
                    found = re.search(r"node=(node_\S+)", line)
                    if found:
                        return found.group(1)
        time.sleep(0.2)
    raise AssertionError(f"node on port {node.port} logged no 'cluster node registered' line within 20 s")


def log_tail(node, lines=15):
    try:
        with open(os.path.join(node.data_dir, "serve.log"), errors="replace") as handle:
            return "".join(handle.readlines()[-lines:])
    except OSError as error:
        return f"(no log: {error})"


def main(binary):
    url = new_database("sb_multi")
    env = cluster_env(
        url,
        SWITCHBOARD_API_RATE_LIMIT_PER_SECOND="0",
        SWITCHBOARD_DELIVERY_REQUEST_TIMEOUT_SECONDS=str(REQUEST_TIMEOUT),
        # A receiver slowed down by the load gets its retries within seconds.
        SWITCHBOARD_DELIVERY_RETRY_SCHEDULE_SECONDS="0,1,2,3,5,5,5,5,5,5",
    )
    receivers = [CountingReceiver() for _ in range(ENDPOINTS)]
    nodes = [Switchboard(binary, env=env) for _ in range(3)]
    started = time.time()
    ok = False
    try:
        for node in nodes:
            node.start()
        ids = [node_id(node) for node in nodes]
        log(f"3 nodes up ({', '.join(ids)}) on one database, lease {LEASE} s")
        for index, receiver in enumerate(receivers):
            nodes[0].request("POST", "/v1/endpoints", {
                "name": f"multi-{index}", "url": receiver.url, "event_types": [f"multi.{index}"], "max_concurrency": 16,
            }, expect=201)

        attempt_nodes, sse_stop, sse_error = {}, threading.Event(), []

        def sse():
            request = urllib.request.Request(f"http://127.0.0.1:{nodes[0].port}/v1/stream")
            request.add_header("authorization", f"Bearer {nodes[0].key}")
            event = None
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    for line in response:
                        line = line.decode().rstrip("\n")
                        if line.startswith("event: "):
                            event = line[7:]
                        elif line.startswith("data: ") and event == "attempt.recorded":
                            node = json.loads(line[6:]).get("node")
                            attempt_nodes[node] = attempt_nodes.get(node, 0) + 1
                        if sse_stop.is_set() or len(attempt_nodes) >= 3:
                            return
            except Exception as error:  # reported below with what was seen
                sse_error.append(repr(error))

        sse_thread = threading.Thread(target=sse, daemon=True)
        sse_thread.start()
        time.sleep(1.5)  # the stream is open and every node's change feed is tailing

        accepted, lock, counter = [], threading.Lock(), iter(range(EVENTS))
        alive = [True, True, True]
        publish_deadline = time.time() + PUBLISH_BUDGET
        publish_started = time.time()

        def publisher():
            client = Publisher(nodes)
            while time.time() < publish_deadline:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                body = {"event_type": f"multi.{n % ENDPOINTS}", "payload": {"n": n}}
                for attempt in range(6):  # its node, then the others; a pause between rounds
                    index = (n + attempt) % 3
                    if not alive[index]:
                        client.drop(index)
                        continue
                    event_id = client.publish(index, body)
                    if event_id is not None:
                        with lock:
                            accepted.append(event_id)
                        break
                    if attempt == 2:
                        time.sleep(0.5)

        threads = [threading.Thread(target=publisher, daemon=True) for _ in range(PUBLISHERS)]
        for thread in threads:
            thread.start()

        def delivered_ids():
            seen = set()
            for receiver in receivers:
                seen.update(webhook_id for _, webhook_id in receiver.snapshot())
            return seen

        killed_at = None
        next_progress = time.time() + 5
        while any(t.is_alive() for t in threads) and time.time() < publish_deadline + 15:
            if killed_at is None and len(accepted) >= EVENTS * KILL_AT:
                alive[2] = False
                killed_at = time.time()
                nodes[2].kill()
                log(f"killed node 3 ({ids[2]}) with SIGKILL after {len(accepted)} accepted, {round(killed_at - started, 1)} s in")
            if time.time() >= next_progress:
                log(f"publishing: {len(accepted)} accepted, {len(delivered_ids())} delivered, {round(time.time() - publish_started)} s")
                next_progress = time.time() + 5
            time.sleep(0.05)
        for thread in threads:
            thread.join(timeout=15)
        published_in = time.time() - publish_started
        count = len(accepted)
        assert killed_at is not None, f"only {count} events accepted: node 3 was never killed"
        assert count >= EVENTS * 0.95, \
            f"only {count} of {EVENTS} events were accepted in {round(published_in)} s (budget {PUBLISH_BUDGET} s)"
        log(f"published: {count} of {EVENTS} accepted in {round(published_in, 1)} s ({round(count / published_in)}/s)")

        wanted = set(accepted)
        deadline = time.time() + DELIVERY_BUDGET
        next_progress = time.time() + 5
        while True:
            delivered = delivered_ids()
            missing = wanted - delivered
            if not missing or time.time() >= deadline:
                break
            if time.time() >= next_progress:
                log(f"delivering: {len(wanted) - len(missing)} of {len(wanted)} delivered, {len(missing)} to go")
                next_progress = time.time() + 5
            time.sleep(0.25)
        if missing:
            states = query(url, "SELECT state, COUNT(*) FROM deliveries GROUP BY state ORDER BY state")
            leases = query(url, "SELECT COALESCE(lease_holder, '-'), COUNT(*), ROUND(MIN(lease_expires_at) - EXTRACT(EPOCH FROM now()))"
                                " FROM deliveries WHERE state = 'in_flight' GROUP BY 1")
            raise AssertionError(
                f"{len(missing)} accepted events were not delivered within {DELIVERY_BUDGET} s of the last publish, "
                f"e.g. {sorted(missing)[:3]}; deliveries by state: {states}; in flight by holder (count, s to lease end): {leases}")
        delivered_in = time.time() - started
        log(f"every accepted event delivered, {round(delivered_in, 1)} s after the start")

        states = dict((state, int(n)) for state, n in query(url, "SELECT state, COUNT(*) FROM deliveries GROUP BY state"))
        assert set(states) == {"succeeded"}, f"deliveries not all succeeded: {states}"

        # Duplicates: every copy after the first of a webhook-id.
        arrivals = sorted(a for receiver in receivers for a in receiver.snapshot())
        copies = {}
        for arrived, webhook_id in arrivals:
            copies.setdefault(webhook_id, []).append(arrived)
        duplicated = {webhook_id: times for webhook_id, times in copies.items() if len(times) > 1}
        early = []
        for webhook_id, times in duplicated.items():
            # The first send started at most a moment before it arrived, with at least a whole
            # attempt plus the margin left on its lease; a copy sooner than that came while it held.
            first = times[0]
            if first > killed_at + 0.5:
                early.append((webhook_id, "first copy after the kill", [round(t - killed_at, 2) for t in times]))
            for again in times[1:]:
                if again - first < REQUEST_TIMEOUT + LEASE_MARGIN - 1:
                    early.append((webhook_id, "again while the lease held", round(again - first, 2)))
        assert not early, f"{len(early)} webhook-ids received twice while the first send's lease held: {early[:5]}"
        if duplicated:
            rows = query(url, "SELECT d.event_id, COUNT(a.id), COALESCE(string_agg(DISTINCT a.node, ','), '') FROM deliveries d "
                              "LEFT JOIN attempts a ON a.delivery_id = d.id WHERE d.event_id = ANY(ARRAY['"
                              + "','".join(sorted(duplicated)) + "']) GROUP BY d.event_id")
            recorded = {event_id: (int(n), by.split(",") if by else []) for event_id, n, by in rows}
            wrong = []
            for webhook_id, times in duplicated.items():
                n, by = recorded.get(webhook_id, (0, []))
                if n != len(times) - 1 or ids[2] in by:
                    wrong.append((webhook_id, f"{len(times)} copies, {n} recorded attempts by {by}"))
            assert not wrong, (f"{len(wrong)} duplicated webhook-ids were not sends lost with the killed node "
                               f"(one unrecorded first copy, then recorded resends by live nodes): {wrong[:5]}")
        unacknowledged = len(set(copies) - wanted)

        deadline = time.time() + 10
        while len(attempt_nodes) < 3 and sse_thread.is_alive() and time.time() < deadline:
            time.sleep(0.2)
        sse_stop.set()
        sse_thread.join(timeout=35)
        others = {node: n for node, n in attempt_nodes.items() if node and node != ids[0]}
        assert ids[1] in others and ids[2] in others, \
            f"the SSE client on node 1 saw attempts of {sorted(attempt_nodes)} only, not of both {ids[1]} and {ids[2]}" \
            + (f" (stream ended: {sse_error[0]})" if sse_error else "")
        log(f"{count} events accepted across 3 nodes, node 3 killed {round(killed_at - started, 1)} s in; "
            f"every event delivered {round(delivered_in, 1)} s after the start (published in {round(published_in, 1)} s); "
            f"{sum(len(t) - 1 for t in duplicated.values())} duplicates of {len(duplicated)} webhook-ids, all sends in flight "
            f"on the killed node, resent after its leases lapsed; {unacknowledged} events delivered whose 202 never came "
            f"(publishes cut by the kill); the SSE client on node 1 saw attempts of {len(attempt_nodes)} nodes")
        ok = True
    finally:
        if not ok:
            for index, node in enumerate(nodes):
                print(f"--- last lines of node {index + 1}'s log ---\n{log_tail(node)}", file=sys.stderr)
        for node in nodes:
            if node.process is not None:
                node.cleanup()
        for receiver in receivers:
            receiver.close()


if __name__ == "__main__":
    main(sys.argv[1])
