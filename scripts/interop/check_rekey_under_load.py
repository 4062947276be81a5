"""`switchboard secrets rotate-key` while `serve` delivers under load: every delivery, before,
during and after the rekey, verifies with the reference Standard Webhooks library, the
server keeps signing without a restart, and no endpoint secret is readable in the files.

The per-key API rate limit is off: four publishers in a tight loop exceed it, and its 429s would
both thin the load (they are not accepted events) and refuse the rotate-secret call that follows."""
import os
import sys
import threading
import time

from standardwebhooks.webhooks import Webhook

from harness import Receiver, Switchboard


def main(binary):
    receiver = Receiver()
    switchboard = Switchboard(binary, env={"SWITCHBOARD_API_RATE_LIMIT_PER_SECOND": "0"}).start()
    try:
        endpoint = switchboard.request("POST", "/v1/endpoints", {"name": "rekey", "url": receiver.url("/hooks")}, expect=201)
        secret = endpoint["secret"]
        accepted, stop = [], threading.Event()

        def publisher():
            n = 0
            while not stop.is_set() and n < 3000:
                n += 1
                response = switchboard.request("POST", "/v1/events", {"event_type": "load.tick", "payload": {"n": n}})
                if isinstance(response, dict) and "id" in response:
                    accepted.append(response["id"])

        threads = [threading.Thread(target=publisher) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        output = switchboard.run_cli("secrets", "rotate-key")
        rotated_at = len(accepted)
        time.sleep(1.0)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        assert rotated_at > 0 and len(accepted) > rotated_at, f"no load around the rekey ({rotated_at} before, {len(accepted)} in all)"

        receiver.wait(len(accepted), timeout=60)
        webhook = Webhook(secret)
        with receiver.lock:
            requests = list(receiver.requests)
        for _, headers, body in requests:
            webhook.verify(body, {k: headers[k] for k in ("webhook-id", "webhook-timestamp", "webhook-signature")})
        missing = set(accepted) - {headers.get("webhook-id") for _, headers, _ in requests}
        assert not missing, f"{len(missing)} accepted events were not delivered"

        rotated = switchboard.request("POST", f"/v1/endpoints/{endpoint['id']}/rotate-secret", {"grace_seconds": 0}, expect=200)
        assert rotated["secret"].startswith("whsec_"), "the running server cannot seal a new secret after the rekey"
        for name in os.listdir(switchboard.data_dir):
            if name.startswith("switchboard.sqlite"):
                with open(os.path.join(switchboard.data_dir, name), "rb") as stored:
                    data = stored.read()
                for value in (secret, rotated["secret"]):
                    assert value.encode() not in data, f"an endpoint secret is readable in {name}"
        print(f"rekey under load: {len(accepted)} events ({rotated_at} before the rekey), all delivered and verified by "
              f"standardwebhooks; the server sealed a new secret afterwards; no secret in the database files "
              f"({output.strip().splitlines()[-1] if output.strip() else 'rotate-key printed nothing'})")
        assert switchboard.stop() == 0
    finally:
        switchboard.cleanup()
        receiver.close()


if __name__ == "__main__":
    main(sys.argv[1])
