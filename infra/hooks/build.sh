#!/usr/bin/env bash
# ASK CLI build hook for Spasm Coach (the "custom" build flow).
#
# The ASK CLI has no Go build flow. When a project has hooks/build.sh, the CLI
# runs it instead of its own builders, as
#
#     hooks/build.sh <output zip path> <debug: true|false>
#
# from a scratch copy of the code folder, and then deploys the zip it wrote.
# This hook builds the Lambda function with the repository's own target
# (`make build`: a linux/arm64 `bootstrap` for provided.al2023, zipped with
# bootstrap at the root) and writes that zip to the path the CLI asked for.
#
# infra/deploy.sh copies this file into the ASK project it stages and sets
# SPASMCOACH_ROOT to the repository; run from infra/hooks/ without it, the
# repository is found two folders up.
set -euo pipefail

if [ $# -lt 1 ] || [ -z "$1" ]; then
	echo "usage: $0 OUTPUT_ZIP [DEBUG]" >&2
	exit 2
fi
out=$1
debug=${2:-false}
if [ "$debug" = true ]; then
	set -x
fi

# The CLI passes an absolute path; make a relative one absolute before
# make changes directory.
case $out in
/*) ;;
*) out="$PWD/$out" ;;
esac

root=${SPASMCOACH_ROOT:-}
if [ -z "$root" ]; then
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
fi
if ! grep -qx 'module spasmcoach' "$root/go.mod" 2>/dev/null; then
	echo "build.sh: $root is not the spasmcoach repository; set SPASMCOACH_ROOT" >&2
	exit 1
fi

# LAMBDA_ZIP is where the Makefile's build target writes the zip. Make does
# not quote it in the recipe, so it goes to a fresh temporary folder (no
# spaces in the path) and is copied to where the CLI wants it.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make -C "$root" build LAMBDA_ZIP="$tmp/lambda.zip"
if [ ! -s "$tmp/lambda.zip" ]; then
	echo "build.sh: make build did not write the zip" >&2
	exit 1
fi
mkdir -p "$(dirname "$out")"
cp "$tmp/lambda.zip" "$out"
