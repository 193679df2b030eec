#!/bin/sh
# Type-checks the shell and every remote with a tsconfig (each has its own: DOM, JSX, bundler).
set -e
cd "$(dirname "$0")/.."
for dir in shell mfe-*/; do
  dir=${dir%/}
  if [ -f "$dir/tsconfig.json" ]; then npx tsc -p "$dir"; fi
done
