#!/usr/bin/env bash
# Records the ffprobe JSON fixtures in this folder from footage generated with lavfi (never
# downloaded). Run once with Debian's ffmpeg 5.1 and commit the JSON; the parser tests read it.
#   tests/Fixtures/ffprobe/record.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'kill "${http_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"

ff() { ffmpeg -hide_banner -nostdin -v error -y "$@"; }
# Exactly the arguments the probe job uses, run on a relative name so no local path is recorded.
probe() { ffprobe -hide_banner -v error -print_format json -show_format -show_streams "$1" > "$here/$2.json"; }

video=(-f lavfi -i "testsrc2=s=320x240:r=30:d=2")
audio=(-f lavfi -i "sine=f=440:sample_rate=48000:d=2")

ff "${video[@]}" "${audio[@]}" -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest h264-aac-moov-at-end.mp4
probe h264-aac-moov-at-end.mp4 h264-aac-moov-at-end.mp4

# A portrait phone clip: the sensor's landscape pixels plus a display matrix saying "turn 90° clockwise".
# ffmpeg 5.1's mov muxer writes the "rotate" tag as a counter-clockwise matrix, so 270 gives the
# matrix phones write (0,1,-1,0), which ffprobe reports as rotation -90.
ff -i h264-aac-moov-at-end.mp4 -c copy -metadata:s:v:0 rotate=270 portrait-rotated-90.mp4
probe portrait-rotated-90.mp4 portrait-rotated-90.mp4

ff "${video[@]}" "${audio[@]}" -c:v libx265 -pix_fmt yuv420p10le -x265-params log-level=error -c:a aac -shortest hevc-10bit-aac.mkv
probe hevc-10bit-aac.mkv hevc-10bit-aac.mkv

ff -f lavfi -i "testsrc2=s=320x240:r=25:d=2" -f lavfi -i "sine=sample_rate=8000:d=2" -c:v mjpeg -q:v 5 -pix_fmt yuvj420p -c:a pcm_s16le -shortest mjpeg-pcm.avi
probe mjpeg-pcm.avi mjpeg-pcm.avi

ff -f lavfi -i "testsrc2=s=320x240:r=25:d=2" -c:v libx264 -flags +ildct+ilme -x264-params tff=1 -pix_fmt yuv420p h264-interlaced.mp4
probe h264-interlaced.mp4 h264-interlaced.mp4

# 30 frames in the first second, then 10 frames a second.
ff -f lavfi -i "testsrc2=s=320x240:r=30:d=3" -vf "setpts='if(lt(N,30),N/30,1+(N-30)/10)/TB'" -fps_mode vfr -c:v libx264 -pix_fmt yuv420p h264-vfr.mp4
probe h264-vfr.mp4 h264-vfr.mp4

ff "${audio[@]}" -c:a aac aac-audio-only.m4a
probe aac-audio-only.m4a aac-audio-only.m4a

ff -f lavfi -i "testsrc2=s=160x120" -frames:v 1 cover.jpg
ff "${audio[@]}" -i cover.jpg -map 0:a -map 1:v -c:a libmp3lame -c:v copy -disposition:v:0 attached_pic mp3-with-cover-art.mp3
probe mp3-with-cover-art.mp3 mp3-with-cover-art.mp3

ff -f lavfi -i "testsrc2=s=640x480" -frames:v 1 photo.jpg
probe photo.jpg photo.jpg

# The probe job reads over HTTP from an address with no file extension, where a JPEG comes through
# the jpeg_pipe demuxer instead of image2.
cp photo.jpg photo-without-extension
port=$(( 20000 + RANDOM % 10000 ))
python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1 &
http_pid=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/photo-without-extension" -o /dev/null && break; sleep 0.1; done
ffprobe -hide_banner -v error -print_format json -show_format -show_streams "http://127.0.0.1:$port/photo-without-extension" \
  | sed "s|http://127.0.0.1:$port/photo-without-extension|original|" > "$here/photo-over-http.jpg.json"

ff -i h264-aac-moov-at-end.mp4 -c copy -metadata location=+37.7749-122.4194/ -metadata creation_time=2026-11-20T08:30:00Z gps-creation-time.mp4
probe gps-creation-time.mp4 gps-creation-time.mp4

ff -i h264-aac-moov-at-end.mp4 -c copy -movflags use_metadata_tags -metadata "com.apple.quicktime.location.ISO6709=+31.2304+121.4737+004.000/" apple-location.mov
probe apple-location.mov apple-location.mov

# What ffmpeg writes when it is given nothing to record: a valid MP4 with no streams and no duration.
ff -f lavfi -i "testsrc2=s=320x240:r=30" -f lavfi -i sine -t 0 -c:v libx264 -c:a aac zero-duration.mp4
probe zero-duration.mp4 zero-duration.mp4

# A tag any muxer, or anyone with a tag editor, can write: not a number, so it must not stop the probe.
# (ffmpeg's CLI turns a lower-case "rotate" into a display matrix; upper case passes through as a tag.)
ff "${video[@]}" -c:v libx264 -pix_fmt yuv420p -metadata:s:v:0 "ROTATE=upside down" rotate-tag-not-a-number.mkv
probe rotate-tag-not-a-number.mkv rotate-tag-not-a-number.mkv

# An elementary H.264 stream, as some recorders export it: no container, so ffprobe knows no duration.
ff "${video[@]}" -c:v libx264 -pix_fmt yuv420p -f h264 h264-elementary-stream.h264
probe h264-elementary-stream.h264 h264-elementary-stream.h264

ffprobe -version | head -n 1 > "$here/ffprobe-version.txt"
echo "recorded $(ls "$here"/*.json | wc -l) fixtures with $(cat "$here/ffprobe-version.txt")"
