#!/bin/sh
# /usr/bin/billing-bridge of the server package. Every command works on the service's data
# directory (/var/lib/billing-bridge, unless --data-dir or BILLING_BRIDGE_DATA_DIR names another).
# Run as root, a command runs as the service's user with the service's secrets from
# /etc/billing-bridge/env: files it writes stay the service's, and `check` tests what the
# service would use.
app=/opt/billing-bridge
user=billing-bridge
env_file=/etc/billing-bridge/env
: "${BILLING_BRIDGE_DATA_DIR:=/var/lib/billing-bridge}"
export BILLING_BRIDGE_DATA_DIR
if [ "$(id -u)" = 0 ] && id "$user" >/dev/null 2>&1; then
  if [ -r "$env_file" ]; then
    # systemd's EnvironmentFile= lines: KEY=VALUE, comments start with # or ;, values are taken
    # as written (no shell expansion), optionally in quotes.
    while IFS= read -r line || [ -n "$line" ]; do
      case $line in '' | '#'* | ';'* | [!A-Za-z_]* ) continue ;; *=*) ;; *) continue ;; esac
      key=${line%%=*}
      value=${line#*=}
      case $key in '' | [0-9]* | *[!A-Za-z0-9_]*) continue ;; esac
      case $value in
        \"*\") value=${value#\"}; value=${value%\"} ;;
        \'*\') value=${value#\'}; value=${value%\'} ;;
      esac
      export "$key=$value"
    done <"$env_file"
  fi
  exec setpriv --reuid="$user" --regid="$user" --init-groups --inh-caps=-all -- "$app/billing-bridge" "$@"
fi
exec "$app/billing-bridge" "$@"
