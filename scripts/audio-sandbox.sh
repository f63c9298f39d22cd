#!/usr/bin/env bash
# A private PulseAudio server with a null sink: a real speaker ("line") and a
# real microphone (its monitor) on a machine without a sound card. Tests and
# developers use it the same way:
#
#   eval "$(scripts/audio-sandbox.sh start)"   # exports PULSE_SERVER etc.
#   scripts/audio-sandbox.sh stop
#
# The server lives under .pulse/ in the project so that it never touches a
# user's own sound server.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
runtime="$root/.pulse"
socket="$runtime/native"

case "${1:-start}" in
  start)
    mkdir -p "$runtime"
    chmod 700 "$runtime"
    export PULSE_RUNTIME_PATH="$runtime"
    export PULSE_SERVER="unix:$socket"
    if ! pactl info >/dev/null 2>&1; then
      # As root PulseAudio warns that it is not meant to run system-wide; the
      # warning is harmless for a private sandbox, so it is kept out of sight.
      pulseaudio -n --daemonize=yes --exit-idle-time=-1 --disallow-exit \
        --use-pid-file=no --log-target="file:$runtime/log" \
        --load="module-native-protocol-unix socket=$socket auth-anonymous=1" \
        --load="module-null-sink sink_name=line" 2>/dev/null
      for _ in $(seq 1 50); do
        pactl info >/dev/null 2>&1 && break
        sleep 0.1
      done
    fi
    pactl info >/dev/null 2>&1 || { echo "audio-sandbox: PulseAudio did not start (see $runtime/log)" >&2; exit 1; }
    pactl set-default-sink line
    pactl set-default-source line.monitor
    echo "export PULSE_RUNTIME_PATH='$runtime'"
    echo "export PULSE_SERVER='unix:$socket'"
    echo "export AUDIODRIVER=pulseaudio"
    ;;
  stop)
    export PULSE_RUNTIME_PATH="$runtime" PULSE_SERVER="unix:$socket"
    pactl exit >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
