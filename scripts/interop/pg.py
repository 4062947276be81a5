"""PostgreSQL for the multi-node checks: a new database on the cluster that
SWITCHBOARD_TEST_POSTGRES_URL names (scripts/test starts a throwaway one)."""
import base64
import os
import subprocess
import uuid


def new_database(prefix):
    """Creates a database named `<prefix>_<random>`; returns its URL. Fails, saying why,
    when SWITCHBOARD_TEST_POSTGRES_URL is unset or the server refuses."""
    base = os.environ.get("SWITCHBOARD_TEST_POSTGRES_URL")
    if not base:
        raise SystemExit("SWITCHBOARD_TEST_POSTGRES_URL is not set: run scripts/test, or start "
                         "scripts/postgres/throwaway-cluster.sh and export the URL it prints")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    result = subprocess.run(["psql", base, "-v", "ON_ERROR_STOP=1", "-qc", f'CREATE DATABASE "{name}"'],
                            capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise SystemExit(f"cannot create database {name}: {result.stderr.strip()}")
    head, _, tail = base.partition("?")
    url = head.rsplit("/", 1)[0] + "/" + name
    return url + ("?" + tail if tail else "")


def query(url, sql):
    """Runs `sql` with psql; returns its rows as lists of strings."""
    result = subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-AtF", "\t", "-c", sql],
                            capture_output=True, text=True, timeout=60, check=True)
    return [line.split("\t") for line in result.stdout.splitlines() if line]


def cluster_env(url, **settings):
    """The environment of nodes sharing the database at `url`: its store URL, one fresh master
    key for all of them, and any further `SWITCHBOARD_…` settings given."""
    return {"SWITCHBOARD_STORE_URL": url, "SWITCHBOARD_MASTER_KEY": base64.b64encode(os.urandom(32)).decode(), **settings}
