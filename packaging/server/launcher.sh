#!/bin/sh
# Runs the Billing Bridge command line on the Node.js bundled next to this file: no other Node is
# needed, and none on PATH is used.
self=$(readlink -f "$0" 2>/dev/null) || self=$0
case $self in */*) ;; *) self=./$self ;; esac
here=${self%/*}
exec "$here/node/bin/node" "$here/bin/billing-bridge.js" "$@"
