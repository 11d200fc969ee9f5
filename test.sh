#!/usr/bin/env bash
# Runs every spec. Each run starts its own PostgreSQL, Dovecot and Postfix on free loopback ports in
# temporary folders, and headless Chromium from Debian's package; none of them is left behind.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/prerequisites.sh

require_dotnet
require_npm
ensure_packages postgresql dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix chromium dnsmasq-base

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test MailAccounts.sln -c Release -nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line in the plain form that any reader understands, summed over the test assemblies.
awk '/(Passed|Failed)! +- +Failed: / {
       gsub(/,/, ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { if (p + f > 0) printf "%d passed, %d failed, %d skipped\n", p, f, s; else print "no specs ran" }' "$log"
exit "$status"
