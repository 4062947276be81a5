"""Two `switchboard serve` nodes on one PostgreSQL database send to one endpoint with
`rate_limit_per_second: 10`: the limit holds for the cluster, not per node. Both nodes make
attempts, yet the 60 deliveries arrive no faster than 10 a second (at least 5.3 s from the first
to the last, where two nodes pacing alone would take half that), and no second holds more than
11 arrivals. Rate limits only ever slow sends down, so a loaded machine cannot make this fail.

The endpoint's `max_concurrency` is 64, more than the 60 deliveries: with the default of 4, a node
that holds 4 or more of the endpoint's deliveries leaves the other no room (the concurrency limit
holds across the cluster), so whichever node claimed first could send all 60 and the check would
prove nothing about pacing. With room for all, each node claims what its own publishes make due."""
import sys
import time

from harness import Receiver, Switchboard
from pg import cluster_env, new_database, query

EVENTS = 60
RATE = 10


def main(binary):
    url = new_database("sb_rate")
    env = cluster_env(url, SWITCHBOARD_API_RATE_LIMIT_PER_SECOND="0")
    receiver = Receiver()
    nodes = [Switchboard(binary, env=env) for _ in range(2)]
    try:
        for node in nodes:
            node.start()
        nodes[0].request("POST", "/v1/endpoints", {
            "name": "paced", "url": receiver.url("/paced"), "event_types": ["paced.*"], "rate_limit_per_second": RATE,
            "max_concurrency": 64,
        }, expect=201)
        for n in range(EVENTS):
            nodes[n % 2].request("POST", "/v1/events", {"event_type": "paced.tick", "payload": {"n": n}}, expect=202)
        receiver.wait(EVENTS, "/paced", timeout=60)
        times = sorted(arrived for arrived, _ in receiver.arrivals)
        span = times[-1] - times[0]
        busiest = max(sum(1 for t in times if start <= t < start + 1) for start in times)
        by_node = query(url, "SELECT node, COUNT(*) FROM attempts GROUP BY node ORDER BY node")
        assert len(by_node) == 2, f"only one node sent ({by_node}): the check needs both to share the endpoint"
        minimum = (EVENTS - 1) / RATE * 0.9
        assert span >= minimum, \
            f"{EVENTS} deliveries at {RATE}/s arrived within {span:.2f} s (at least {minimum:.1f} s expected): the nodes paced alone"
        assert busiest <= RATE + 1, f"{busiest} deliveries arrived within one second, over the endpoint's {RATE}/s"
        print(f"check_cluster_rate_limit: {EVENTS} deliveries at rate_limit_per_second {RATE} from 2 nodes "
              f"(attempts by node: {', '.join(f'{n}' for _, n in by_node)}) arrived over {span:.2f} s, "
              f"at most {busiest} in any second")
    finally:
        for node in nodes:
            if node.process is not None:
                node.cleanup()
        receiver.close()


if __name__ == "__main__":
    main(sys.argv[1])
