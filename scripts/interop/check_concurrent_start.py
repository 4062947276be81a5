"""Five `switchboard serve` nodes started at once on an empty PostgreSQL database migrate it
exactly once (one schema_migrations row per version, one "applied migration" line per version
across all nodes' logs), create exactly one first admin key (one row in api_keys, one node
printing it, and that key works on every node), and all five come up healthy and share one
store."""
import os
import re
import sys
import threading

from harness import Switchboard
from pg import cluster_env, new_database, query


def main(binary):
    url = new_database("sb_start")
    env = cluster_env(url)
    nodes = []
    try:
        # Keys are created before the nodes start (harness), so build the nodes first on a
        # migrated database would defeat the check: create them without keys, then start.
        nodes = [Switchboard.__new__(Switchboard) for _ in range(5)]
        for node in nodes:
            Switchboard.prepare(node, binary, env)
        threads = [threading.Thread(target=node.start) for node in nodes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        for node in nodes:
            node.request("GET", "/healthz", auth=False)
        versions = query(url, "SELECT version, applied_by FROM schema_migrations ORDER BY version")
        names = [row[0] for row in versions]
        assert len(names) == len(set(names)) and names, f"schema_migrations: {versions}"
        applied_lines = 0
        for node in nodes:
            with open(os.path.join(node.data_dir, "serve.log"), errors="replace") as log:
                applied_lines += sum(1 for line in log if "applied migration" in line)
        assert applied_lines == len(names), f"{applied_lines} 'applied migration' lines for {len(names)} versions: migrated more than once"
        admin_keys = query(url, "SELECT id, name FROM api_keys")
        assert len(admin_keys) == 1, f"{len(admin_keys)} first admin keys were created, not one: {admin_keys}"
        printed = []
        for index, node in enumerate(nodes):
            with open(os.path.join(node.data_dir, "serve.log"), errors="replace") as log:
                text = log.read()
            if "Created the first admin API key" in text:
                printed.append((index, re.search(r"sbk_[A-Za-z0-9_-]+", text).group(0)))
        assert len(printed) == 1, f"{len(printed)} nodes printed a first admin key (nodes {[i + 1 for i, _ in printed]}), not one"
        key = printed[0][1]
        for node in nodes:
            node.key = key
            node.request("GET", "/v1/endpoints", expect=200)
        listed = nodes[4].request("GET", "/v1/nodes", expect=200)
        print(f"check_concurrent_start: 5 nodes started at once; {len(names)} migrations applied once each "
              f"({', '.join(names)}), by {sorted({row[1] for row in versions})}; one first admin key, printed by node "
              f"{printed[0][0] + 1} and accepted by all five; /v1/nodes lists {len(listed['nodes'])}")
    finally:
        for node in nodes:
            if getattr(node, "process", None) is not None:
                node.cleanup()


if __name__ == "__main__":
    main(sys.argv[1])
