"""Prints the deployed nginx site (deploy/nginx/cleanbackend.conf) for loopback: every upstream block's
`server host:port ...;` lines become one line per given instance port (with the first line's parameters), and
`listen 80;` becomes `listen 127.0.0.1:PORT;`. Everything else is the deployed file's, so the bench measures what is
deployed (the cluster test, tests/Cluster.Tests, changes the same lines the same way).

usage: nginx_site.py SITE_FILE LISTEN_PORT INSTANCE_PORT [INSTANCE_PORT ...]
"""
import re
import sys

UPSTREAM = re.compile(r"^[ \t]*upstream[ \t]+\S+[ \t]*\{.*?^[ \t]*\}", re.M | re.S)
SERVER = re.compile(r"^(?P<indent>[ \t]*)server[ \t]+[^\s;]+:\d+(?P<parameters>[^;\n]*);[ \t]*\n", re.M)
LISTEN = re.compile(r"^(?P<indent>[ \t]*)listen[ \t]+\d+[ \t]*;", re.M)


def local_site(deployed, listen_port, instance_ports):
    def upstream(block):
        servers = list(SERVER.finditer(block.group(0)))
        if not servers:
            raise SystemExit(f"an upstream without 'server host:port ...;' lines:\n{block.group(0)}")
        first = servers[0]
        lines = "".join(f"{first['indent']}server 127.0.0.1:{p}{first['parameters']};\n" for p in instance_ports)
        # The instances' lines take the place of the first server line; the other server lines go.
        return SERVER.sub(lambda m: lines if m.start() == first.start() else "", block.group(0))

    site, upstreams = UPSTREAM.subn(upstream, deployed)
    site, listens = LISTEN.subn(lambda m: f"{m['indent']}listen 127.0.0.1:{listen_port};", site)
    # The file changed shape: better to stop than to measure something other than what is deployed.
    if not upstreams or not listens:
        raise SystemExit("the site file has no upstream block or no 'listen PORT;' line")
    return site


def main():
    site_file, listen_port, *instance_ports = sys.argv[1:]
    with open(site_file, encoding="utf-8") as f:
        sys.stdout.write(local_site(f.read(), int(listen_port), [int(p) for p in instance_ports]))


if __name__ == "__main__":
    main()
