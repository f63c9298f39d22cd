#!/usr/bin/env bash
# A private PulseAudio server with a null sink: a real speaker ("line") and a
# real microphone (its monitor) on a machine without a sound card. Tests and
# developers use it the same way:
#
#   eval "$(scripts/audio-sandbox.sh start)"   # exports PULSE_SERVER etc.
#   scripts/audio-sandbox.sh stop
#
# The server lives under .pulse/ in the project so that it never touches a
# user's own sound server. test/helpers/pulse.ts does the work (the tests and
# the benchmarks start their private servers with it too), run through tsx
# from the devDependencies: `npm ci` first.
set -euo pipefail

cd "$(dirname "$0")/.."
exec node --import tsx scripts/audio-sandbox.ts "$@"
