#!/usr/bin/env bash
# Throwaway accounts for the household tests (test/e2e/accounts.test.ts): the
# group aptest with apjo and apsam in it, and apout outside it. No home, no
# login shell, no password: they exist only for runuser. Needs root.
#
#   scripts/test-accounts.sh start   # makes whatever is missing
#   scripts/test-accounts.sh stop    # removes them all
set -euo pipefail

group=aptest
inside=(apjo apsam)
outside=(apout)

case "${1:-start}" in
  start)
    if [[ "$(id -u)" != 0 ]]; then
      echo "scripts/test-accounts.sh: needs root (it adds accounts)" >&2
      exit 1
    fi
    getent group "$group" >/dev/null || groupadd "$group"
    for user in "${inside[@]}" "${outside[@]}"; do
      id "$user" >/dev/null 2>&1 || useradd --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --user-group "$user"
    done
    for user in "${inside[@]}"; do
      usermod -aG "$group" "$user"
    done
    ;;
  stop)
    for user in "${inside[@]}" "${outside[@]}"; do
      if id "$user" >/dev/null 2>&1; then
        userdel "$user"
      fi
      # userdel takes the account's own group with it only where USERGROUPS_ENAB says so.
      if getent group "$user" >/dev/null; then
        groupdel "$user"
      fi
    done
    if getent group "$group" >/dev/null; then
      groupdel "$group"
    fi
    ;;
  *)
    echo 'usage: scripts/test-accounts.sh start|stop' >&2
    exit 2
    ;;
esac
