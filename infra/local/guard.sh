#!/bin/sh
# The guard of `npm start`'s children. The supervisor (platform.mjs) starts
# each child in its own process group, so a terminal's Ctrl-C reaches only the
# supervisor, which then stops them in order. But a supervisor that is killed
# outright (SIGKILL, an out-of-memory kill) cannot stop anything: this small
# process can. It reads the children's process groups from its stdin, one line
# each (`+<pgid>` when a child starts, `-<pgid>` when it ends), and when stdin
# closes (the supervisor is gone, whatever the reason), it sends SIGTERM to
# every group still registered, then SIGKILL to what is left two seconds later.
#
# A shell script rather than Node: it idles at about 1 MiB instead of 40.

# It outlives the supervisor on purpose; the signals meant for the supervisor
# (Ctrl-C of the terminal, a SIGTERM to the group) must not stop it.
trap '' INT TERM HUP

groups=' '
while IFS= read -r line; do
  id=${line#?}
  case $id in '' | *[!0-9]*) continue ;; esac
  [ "$id" -gt 1 ] || continue
  case $line in
    +*) case $groups in *" $id "*) ;; *) groups="$groups$id " ;; esac ;;
    -*) case $groups in *" $id "*) groups="${groups%% "$id" *} ${groups#* "$id" }" ;; esac ;;
  esac
done

left=''
for id in $groups; do
  if kill -0 "-$id" 2>/dev/null; then
    kill -TERM "-$id" 2>/dev/null
    left="$left $id"
  fi
done
[ -n "$left" ] || exit 0
sleep 2
for id in $left; do kill -KILL "-$id" 2>/dev/null; done
exit 0
