# Sourced by ./run.sh and ./test.sh: installs the Debian packages they need, and nothing else.

missing_packages() {
  local package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || printf '%s ' "$package"
  done
}

ensure_packages() {
  local missing
  missing=$(missing_packages "$@")
  [ -z "$missing" ] && return 0

  if [ "$(id -u)" -ne 0 ]; then
    echo "These Debian packages are missing: $missing" >&2
    echo "Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y $missing" >&2
    exit 1
  fi

  echo "Installing Debian packages: $missing"
  # The packages' own system services are not wanted: MailAccounts starts private instances on free ports.
  # policy-rc.d keeps the installers from starting them (only when no policy is in place already).
  local policy=/usr/sbin/policy-rc.d own_policy=false
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod +x "$policy"
    own_policy=true
    # Interrupted or not, the policy goes again: it would keep later installs from starting their services.
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT INT TERM
  fi
  # shellcheck disable=SC2086
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null; }; then
    echo "Installing $missing failed." >&2
    exit 1
  fi
  if $own_policy; then
    rm -f "$policy"
    trap - EXIT INT TERM
  fi
  return 0
}

require_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "The .NET 10 SDK is needed: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
    exit 1
  fi
}

# The pages' front-end packages (WebHost/package.json) are installed by the build with npm.
require_npm() {
  command -v npm >/dev/null 2>&1 || ensure_packages nodejs npm
}
