#!/bin/sh
# The `mongo` stand-in's entrypoint (infra/cluster/stand-ins/mongo/Containerfile): takes
# what the official image's entrypoint takes and runs FerretDB instead of mongod.
#
#   mongod [flags]   FerretDB on 0.0.0.0:27017 (--port changes it), SQLite files in
#                    /data/db (--dbpath changes it). mongod's other flags mean nothing
#                    to FerretDB (--wiredTigerCacheSizeGB: it has no WiredTiger) and
#                    are named on stderr, then ignored.
#   -…               the same, as `mongod -…`
#   anything else    run as it is (as the official entrypoint does)
#
# MONGO_INITDB_ROOT_USERNAME/_PASSWORD: as with the official image, that user is made at
# the first start (an empty data folder: FerretDB's setup runs only while the `admin`
# database does not exist) in the admin database, and authentication is on from then on.
set -eu

first=${1:-mongod}
if [ "$first" = mongod ]; then
  [ $# -eq 0 ] || shift
elif [ "${first#-}" = "$first" ]; then
  exec "$@"
fi

port=27017
dbpath=/data/db
ignored=''
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port=$2; shift 2 ;;
    --port=*) port=${1#*=}; shift ;;
    --dbpath) dbpath=$2; shift 2 ;;
    --dbpath=*) dbpath=${1#*=}; shift ;;
    # The official entrypoint adds --bind_ip_all; FerretDB always listens on every address.
    --bind_ip_all | --bind_ip=* | --auth | --noauth) shift ;;
    --bind_ip) shift 2 ;;
    --*=*) ignored="$ignored $1"; shift ;;
    --*)
      # A flag followed by a value (one that is not itself a flag) takes it along.
      if [ $# -gt 1 ] && [ "${2#-}" = "$2" ]; then
        ignored="$ignored $1 $2"
        shift 2
      else
        ignored="$ignored $1"
        shift
      fi
      ;;
    *) echo "mongo stand-in: unexpected argument '$1' (FerretDB takes mongod flags only)" >&2; exit 2 ;;
  esac
done
[ -z "$ignored" ] || echo "mongo stand-in (FerretDB): ignoring mongod options it has no use for:$ignored" >&2

set --
if [ -n "${MONGO_INITDB_ROOT_USERNAME:-}" ]; then
  if [ -z "${MONGO_INITDB_ROOT_PASSWORD:-}" ]; then
    echo "mongo stand-in: MONGO_INITDB_ROOT_USERNAME is set but MONGO_INITDB_ROOT_PASSWORD is empty" >&2
    exit 1
  fi
  FERRETDB_SETUP_PASSWORD=$MONGO_INITDB_ROOT_PASSWORD
  export FERRETDB_SETUP_PASSWORD
  set -- --setup-database=admin "--setup-username=$MONGO_INITDB_ROOT_USERNAME"
fi
unset MONGO_INITDB_ROOT_PASSWORD

exec /usr/local/bin/ferretdb --listen-addr="0.0.0.0:$port" --handler=sqlite --sqlite-url="file:$dbpath/" --log-level=info "$@"
