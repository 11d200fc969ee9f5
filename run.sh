#!/usr/bin/env bash
# Runs MailAccounts at http://127.0.0.1:5080 with an embedded PostgreSQL (data in .data/) and, unless
# --no-demo is given, a demo mail server with two seeded mailboxes. Ctrl+C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/prerequisites.sh

demo=true
for argument in "$@"; do
  case "$argument" in
    --no-demo) demo=false ;;
    -h|--help) echo "usage: ./run.sh [--no-demo]"; exit 0 ;;
    *) echo "unknown option: $argument (usage: ./run.sh [--no-demo])" >&2; exit 2 ;;
  esac
done

require_dotnet
require_npm
packages=(postgresql)
if $demo; then
  packages+=(dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix)
  if [ "$(id -u)" -ne 0 ]; then
    echo "The demo mail server needs root (Postfix starts only as root): run 'sudo ./run.sh', or './run.sh --no-demo'." >&2
    exit 1
  fi
fi
ensure_packages "${packages[@]}"

dotnet build WebHost/WebHost.csproj -c Release -nologo -v quiet -clp:ErrorsOnly

export Demo__Enabled=$demo
# The key ring that encrypts mail passwords is itself encrypted with a certificate the host creates once in .data/.
export DataProtection__CreateCertificate="${DataProtection__CreateCertificate:-true}"
export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://127.0.0.1:5080}"
echo "MailAccounts: open $ASPNETCORE_URLS and sign in as 'admin' (the first start prints its password unless MAILACCOUNTS_ADMIN_PASSWORD is set)."
cd WebHost
exec dotnet bin/Release/net10.0/MailAccounts.WebHost.dll
