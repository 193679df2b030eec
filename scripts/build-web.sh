#!/bin/sh
# Builds the shell and every remote (rspack) so the gateway serves them. A remote folder with no
# rspack config yet (its issue not started) is skipped, with a line saying so.
set -e
cd "$(dirname "$0")/.."
scopes="--scope @billetix/shell"
for dir in mfe-*/; do
  dir=${dir%/}
  if ls "$dir"/rspack.config.* >/dev/null 2>&1; then
    scopes="$scopes --scope @billetix/$dir"
  else
    echo "build:web: $dir has no rspack config yet, skipped"
  fi
done
# shellcheck disable=SC2086
exec npx lerna run build $scopes --stream
