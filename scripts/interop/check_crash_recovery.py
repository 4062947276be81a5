"""SIGKILL under load loses no accepted event: every event answered 202 before the kill
is stored after a restart and delivered at least once. Duplicates (a webhook-id received
twice) are counted and must be deliveries that were in flight at the kill: first received
in the last moments before it, when their attempt could not yet be committed."""
import sys
import threading
import time

from harness import Receiver, Switchboard


def main(binary):
    receiver = Receiver()
    switchboard = Switchboard(binary).start()
    try:
        switchboard.request("POST", "/v1/endpoints", {"name": "crash", "url": receiver.url("/hooks")}, expect=201)
        accepted, stop = [], threading.Event()

        def publisher(worker):
            n = 0
            while not stop.is_set() and n < 2000:
                n += 1
                try:
                    response = switchboard.request("POST", "/v1/events", {"event_type": "load.tick", "payload": {"w": worker, "n": n}})
                except Exception:
                    return
                if isinstance(response, dict) and response.get("status") == "QUEUED":
                    accepted.append(response["id"])

        threads = [threading.Thread(target=publisher, args=(w,)) for w in range(8)]
        for thread in threads:
            thread.start()
        time.sleep(2.0)
        killed_at = time.time()
        switchboard.kill()
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
        count = len(accepted)
        assert count > 50, f"only {count} events were accepted before the kill"
        switchboard.start()
        missing = [event_id for event_id in accepted if not isinstance(switchboard.request("GET", f"/v1/events/{event_id}"), dict)
                   or "id" not in switchboard.request("GET", f"/v1/events/{event_id}")]
        assert not missing, f"{len(missing)} accepted events lost after SIGKILL, e.g. {missing[:3]}"
        deadline = time.time() + 60
        while time.time() < deadline:
            delivered = {headers.get("webhook-id") for _, headers, _ in receiver.requests}
            if set(accepted) <= delivered:
                break
            time.sleep(0.2)
        undelivered = set(accepted) - {headers.get("webhook-id") for _, headers, _ in receiver.requests}
        assert not undelivered, f"{len(undelivered)} accepted events never delivered after restart"
        first_arrival, seen, duplicates = {}, set(), set()
        with receiver.lock:
            arrivals = list(receiver.arrivals)
        for arrived, webhook_id in arrivals:
            if webhook_id in seen:
                duplicates.add(webhook_id)
            else:
                seen.add(webhook_id)
                first_arrival[webhook_id] = arrived
        committed_before = killed_at - 1.0
        stale = [w for w in duplicates if first_arrival[w] < committed_before]
        assert not stale, f"{len(stale)} deliveries sent again although their first send finished over a second before the kill"
        in_last_second = sum(1 for w, t in first_arrival.items() if committed_before <= t <= killed_at)
        print(f"crash recovery: {count} events accepted before SIGKILL, all stored and delivered after restart; "
              f"{len(duplicates)} sent twice, all in flight at the kill ({in_last_second} first sends in its last second)")
        assert switchboard.stop() == 0
    finally:
        switchboard.cleanup()
        receiver.close()


if __name__ == "__main__":
    main(sys.argv[1])
