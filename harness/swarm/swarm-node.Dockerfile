# One node of the throwaway Docker Swarm the swarm e2e test builds on this
# machine (test infrastructure only: nothing here ships). A Docker engine from
# Debian's packages, run inside a container on the host's engine.
FROM debian:trixie-slim
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends docker.io docker-cli iptables iproute2 ca-certificates; \
    rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb; \
    dockerd --version
# The node's images and containers live in a volume, not in this container's
# own layered filesystem, and go away with it (`docker rm -v`).
VOLUME /var/lib/docker
# 2377: Swarm's cluster management; 7946 tcp/udp: node gossip; 4789/udp: VXLAN overlay traffic.
EXPOSE 2377 7946 7946/udp 4789/udp
# dockerd shuts its containers down on SIGTERM.
STOPSIGNAL SIGTERM
ENTRYPOINT ["dockerd"]
