"""`switchboard export | switchboard import` moves a deployment to another store: on the new
store the old API key still works, a delivery to the imported endpoint verifies with the
secret the old store gave out (reference `standardwebhooks` library), and the imported
Stripe source still accepts a request signed with its secret (reference `stripe` library).
A second import changes nothing; the export file is mode 0600; a document that is not an
export is refused with a clear message."""
import json
import os
import stat
import subprocess
import sys

import stripe
from standardwebhooks.webhooks import Webhook

from harness import Receiver, Switchboard, post_raw


def main(binary):
    receiver = Receiver()
    old = Switchboard(binary).start()
    new = None
    try:
        endpoint = old.request("POST", "/v1/endpoints", {"name": "moved", "url": receiver.url("/hooks")}, expect=201)
        source = old.request("POST", "/v1/sources", {"name": "stripe-moved", "provider": "stripe", "signing_secret": "whsec_moved_0123456789"},
                             expect=201)
        old.stop()
        export_path = os.path.join(old.data_dir, "export.json")
        subprocess.run([binary, "export", "--data-dir", old.data_dir, "--output", export_path], check=True, capture_output=True, timeout=60)
        mode = stat.S_IMODE(os.stat(export_path).st_mode)
        assert mode == 0o600, f"the export file is mode {oct(mode)}, not 0600"
        with open(export_path) as handle:
            document = json.load(handle)
        assert all("key_hash" in key and "secret" not in key for key in document["api_keys"]), "API keys must travel as hashes only"

        new = Switchboard(binary)
        new.key = old.key
        first = subprocess.run([binary, "import", export_path, "--data-dir", new.data_dir], check=True, capture_output=True, text=True, timeout=60)
        assert "1 endpoints" in first.stdout and "1 sources" in first.stdout, first.stdout
        again = subprocess.run([binary, "import", export_path, "--data-dir", new.data_dir], check=True, capture_output=True, text=True, timeout=60)
        assert "0 sources, 0 endpoints and 0 API keys" in again.stdout, f"a second import changed something: {again.stdout}"
        bad = subprocess.run([binary, "import", "-", "--data-dir", new.data_dir], input='{"hello": 1}', capture_output=True, text=True, timeout=60)
        assert bad.returncode != 0 and "not a switchboard export document" in bad.stderr, bad.stderr
        new.start()

        moved = new.request("GET", f"/v1/endpoints/{endpoint['id']}", expect=200)
        assert moved["url"] == endpoint["url"], moved
        new.request("POST", "/v1/events", {"event_type": "order.moved", "payload": {"n": 1}}, expect=202)
        _, headers, body = receiver.wait(1, "/hooks")[0]
        Webhook(endpoint["secret"]).verify(body, {k: headers[k] for k in ("webhook-id", "webhook-timestamp", "webhook-signature")})

        payload = json.dumps({"id": "evt_moved_1", "type": "charge.succeeded", "object": "event", "data": {"object": {}}})
        header = stripe.WebhookSignature.generate_signature_header(payload, "whsec_moved_0123456789")
        status, _, answer = post_raw(f"http://127.0.0.1:{new.port}/in/{source['slug']}", payload.encode(),
                                     {"content-type": "application/json", "Stripe-Signature": header})
        assert status == 202, f"the imported Stripe source refused a signed request: {status} {answer}"
        print("export/import: the old key works, deliveries verify with the old secret, the Stripe source still verifies; "
              "a second import changes nothing; the file is 0600")
    finally:
        old.cleanup()
        if new:
            new.cleanup()
        receiver.close()


if __name__ == "__main__":
    main(sys.argv[1])
