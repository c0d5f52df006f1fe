#!/usr/bin/env bash
# Generates the demo's footage with ffmpeg (lavfi test sources; nothing is downloaded) as two
# docked recorders would hold it, GA/T 947 names and all:
#   bay1  recorder A100001, officer 100001: a seizure recorded in 20 s split files — the middle file
#         is deliberately missing, so the case's completeness report shows the gap; the station's
#         manifest gives only its unit;
#   bay2  recorder B200002, officer 100002: an interview-room questioning recorded in full, with a
#         station manifest carrying each file's SHA-256; plus a photo and an audio-only clip.
# Both stations are of the demo case's unit, 330100000000: footage is linked automatically only to
# cases of its own unit.
# Times are the recorders' local time (Asia/Shanghai), 2026-11-20 09:00.
#   make-footage.sh <dock-root>
set -euo pipefail
root=${1:?usage: make-footage.sh <dock-root>}
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT

clip() { # <file> <video source> <seconds> <tone Hz>
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i "$2" -f lavfi -i "sine=frequency=$4:sample_rate=48000" -t "$3" \
    -c:v libx264 -preset ultrafast -pix_fmt yuv420p -g 30 -c:a aac -b:a 96k -movflags +faststart "$1"
}

mkdir -p "$staging/bay1" "$staging/bay2"
clip "$staging/bay1/A100001_100001_20261120090000.mp4" "testsrc2=size=1280x720:rate=30" 20 440
# A100001_100001_20261120090020.mp4 was never docked: the gap the reviewer must see.
clip "$staging/bay1/A100001_100001_20261120090040_IMP.mp4" "testsrc2=size=1280x720:rate=30" 20 550
clip "$staging/bay2/B200002_100002_20261120090000.mp4" "smptehdbars=size=1280x720:rate=30" 30 660
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=1920x1080:rate=1" -frames:v 1 "$staging/bay2/B200002_100002_20261120090500.jpg"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "sine=frequency=330:sample_rate=48000" -t 10 -c:a aac "$staging/bay2/B200002_100002_20261120090600.m4a"

# The bay1 station names its unit for every file it docks, and nothing else.
printf '{ "unitCode": "330100000000" }\n' >"$staging/bay1/manifest.json"

# The bay2 station records each file's SHA-256; the archive verifies it.
{
  printf '{ "unitCode": "330100000000", "clockOffsetSeconds": 0, "files": ['
  sep=""
  for file in "$staging"/bay2/*; do
    printf '%s\n  { "name": "%s", "sha256": "%s" }' "$sep" "$(basename "$file")" "$(sha256sum "$file" | cut -d' ' -f1)"
    sep=","
  done
  printf '\n] }\n'
} >"$staging/bay2/manifest.json"

# Appear in the dock all at once, like a recorder being plugged in.
mkdir -p "$root"
cp -r "$staging/bay1" "$staging/bay2" "$root/"
echo "Demo footage docked in $root (bay1: 2 of 3 split files and the station's unit, bay2: 3 files with a station manifest)"
