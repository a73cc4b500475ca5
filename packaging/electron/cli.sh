#!/bin/sh
# /usr/bin/billing-bridge of the tray app's package: the command line, run by the app's own
# Electron as plain Node (ELECTRON_RUN_AS_NODE; electron-builder.yml keeps the runAsNode fuse on).
# Installed as <app>/resources/bin/billing-bridge and linked from /usr/bin by the install script.
self=$(readlink -f "$0" 2>/dev/null) || self=$0
resources=${self%/bin/*}
ELECTRON_RUN_AS_NODE=1 exec "${resources%/*}/billing-bridge" "$resources/app.asar/bin/billing-bridge.js" "$@"
