#!/usr/bin/env bash
# Makes the built-in sounds in assets/ (committed, so users need neither SoX
# synthesis nor a speech program to hear them). Run again only to change them.
#   beep.wav      the tone before recording: 1 kHz, 0.4 s, soft edges
#   warning.wav   two short pips, 5 seconds before the per-message limit
#   greeting.wav  the built-in outgoing message, spoken by espeak-ng
set -euo pipefail
cd "$(dirname "$0")/../assets"
format=(--rate 16000 --channels 1 --bits 16 --encoding signed-integer)
sox -n "${format[@]}" beep.wav synth 0.4 sine 1000 fade h 0.01 0.4 0.02 gain -6
sox -n "${format[@]}" pip.wav synth 0.12 sine 880 fade h 0.005 0.12 0.01 gain -9
sox pip.wav "${format[@]}" warning.wav pad 0 0.08 repeat 1
rm pip.wav
espeak-ng -s 150 -w greeting-raw.wav "Hello. You've reached the house. Nobody can come to the phone right now. Please leave a message after the beep."
sox greeting-raw.wav "${format[@]}" greeting.wav norm -3
rm greeting-raw.wav
