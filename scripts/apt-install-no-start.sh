#!/bin/sh
# apt-get install the named Debian packages without starting their services: the tests start their own
# servers on free ports with throwaway data, and a system-wide PostgreSQL or nginx left running would
# only take ports and memory. (policy-rc.d exit 101 is Debian's way to say "do not start".)
set -eu
policy=/usr/sbin/policy-rc.d
created=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  created=1
fi
trap 'if [ "$created" = 1 ]; then rm -f "$policy"; fi' EXIT
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
