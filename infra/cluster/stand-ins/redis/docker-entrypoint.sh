#!/bin/sh
# The `redis` stand-in's entrypoint (infra/cluster/stand-ins/redis/Containerfile), as the
# official image's: a first argument that is a flag or a .conf file means redis-server
# with it. The official image builds Redis with protected mode off (its only safeguard is
# the network it runs in); Debian's package keeps it on, so it is turned off here unless
# the arguments say otherwise.
set -eu
case "${1:-}" in
  -* | *.conf) set -- redis-server "$@" ;;
esac
if [ "${1:-}" = redis-server ]; then
  case " $* " in
    *" --protected-mode "*) ;;
    *) set -- "$@" --protected-mode no ;;
  esac
fi
exec "$@"
