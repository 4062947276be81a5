"""Three `switchboard serve` nodes on one PostgreSQL database, 20,000 events published across
them, one node killed with SIGKILL mid-run:

- every event accepted (answered 202) by any node is delivered;
- a webhook-id received twice was in flight on the killed node: first received before the
  kill, again only after its lease lapsed (never twice while the first send's lease held);
  such duplicates are counted and printed;
- an SSE client on node 1 saw attempts made by the other nodes (the change feed is
  cluster-wide).
"""
import base64
import json
import os
import sys
import threading
import time
import urllib.request

from harness import Receiver, Switchboard
from pg import new_database

EVENTS = 20_000
REQUEST_TIMEOUT = 5  # seconds; the lease is 4 × this + 60 s


def main(binary):
    url = new_database("sb_multi")
    env = {
        "SWITCHBOARD_STORE_URL": url,
        "SWITCHBOARD_MASTER_KEY": base64.b64encode(os.urandom(32)).decode(),
        "SWITCHBOARD_API_RATE_LIMIT_PER_SECOND": "0",
        "SWITCHBOARD_DELIVERY_REQUEST_TIMEOUT_SECONDS": str(REQUEST_TIMEOUT),
        # A receiver slowed down by the load gets its retries within seconds.
        "SWITCHBOARD_DELIVERY_RETRY_SCHEDULE_SECONDS": "0,1,2,3,5,5,5,5,5,5",
    }
    lease = REQUEST_TIMEOUT * 4 + 60
    receiver = Receiver()
    nodes = [Switchboard(binary, env=env) for _ in range(3)]
    for node in nodes:
        node.start()
    started = time.time()
    try:
        nodes[0].request("POST", "/v1/endpoints", {"name": "multi", "url": receiver.url("/hooks"), "max_concurrency": 32}, expect=201)
        time.sleep(1.5)  # every node's change feed is tailing before the traffic starts

        attempt_nodes, sse_stop = {}, threading.Event()

        def sse():
            request = urllib.request.Request(f"http://127.0.0.1:{nodes[0].port}/v1/stream")
            request.add_header("authorization", f"Bearer {nodes[0].key}")
            event = None
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    for line in response:
                        line = line.decode().rstrip("\n")
                        if line.startswith("event: "):
                            event = line[7:]
                        elif line.startswith("data: ") and event == "attempt.recorded":
                            node = json.loads(line[6:]).get("node")
                            attempt_nodes[node] = attempt_nodes.get(node, 0) + 1
                        if sse_stop.is_set() or len(attempt_nodes) >= 3:
                            return
            except Exception as error:  # the check below reports what was seen
                print(f"check_multinode: SSE ended: {error}")

        sse_thread = threading.Thread(target=sse, daemon=True)
        sse_thread.start()

        accepted, lock, counter = [], threading.Lock(), iter(range(EVENTS))
        alive = [True, True, True]

        def publisher(worker):
            while True:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                for attempt in range(3):
                    index = (n + attempt) % 3
                    if not alive[index]:
                        continue
                    try:
                        response = nodes[index].request("POST", "/v1/events", {"event_type": "multi.tick", "payload": {"n": n}})
                    except Exception:
                        continue
                    if isinstance(response, dict) and response.get("status") == "QUEUED":
                        with lock:
                            accepted.append(response["id"])
                        break

        threads = [threading.Thread(target=publisher, args=(w,)) for w in range(6)]
        for thread in threads:
            thread.start()
        while len(accepted) < EVENTS * 0.4 and any(t.is_alive() for t in threads):
            time.sleep(0.05)
        alive[2] = False
        killed_at = time.time()
        nodes[2].kill()
        for thread in threads:
            thread.join(timeout=300)
        published_in = time.time() - started
        count = len(accepted)
        assert count >= EVENTS * 0.95, f"only {count} of {EVENTS} events were accepted"

        deadline = time.time() + lease + 90
        while time.time() < deadline:
            with receiver.lock:
                delivered = {webhook_id for _, webhook_id in receiver.arrivals}
            if set(accepted) <= delivered:
                break
            time.sleep(0.5)
        missing = set(accepted) - delivered
        assert not missing, f"{len(missing)} accepted events never delivered, e.g. {sorted(missing)[:3]}"

        first, duplicates, early = {}, 0, []
        with receiver.lock:
            arrivals = list(receiver.arrivals)
        for arrived, webhook_id in arrivals:
            if webhook_id not in first:
                first[webhook_id] = arrived
                continue
            duplicates += 1
            # A second copy is legitimate only for a send of the killed node: first received
            # before the kill, again once its lease could have lapsed.
            if not (first[webhook_id] <= killed_at + 0.5 and arrived >= killed_at + 30):
                early.append((webhook_id, round(arrived - first[webhook_id], 2)))
        assert not early, f"{len(early)} webhook-ids received twice while the first send's lease held: {early[:5]}"

        sse_stop.set()
        sse_thread.join(timeout=5)
        others = {node: n for node, n in attempt_nodes.items() if node}
        assert len(others) >= 3, f"the SSE client on node 1 saw attempts of {len(others)} nodes only: {attempt_nodes}"
        print(f"check_multinode: {count} events accepted across 3 nodes, node 3 killed after {round(killed_at - started, 1)} s; "
              f"every event delivered in {round(time.time() - started, 1)} s (published in {round(published_in, 1)} s); "
              f"{duplicates} duplicates, all sends in flight on the killed node, resent after its leases lapsed; "
              f"the SSE client on node 1 saw attempts of {len(others)} nodes: {sorted(others.values())}")
    finally:
        for node in nodes:
            node.cleanup()
        receiver.close()


if __name__ == "__main__":
    main(sys.argv[1])
