# shellcheck shell=bash
# Shared helpers for the project's scripts. Source it; it defines functions only.

# Prints a TCP port on 127.0.0.1 that nothing listens on now. Starts at a random point so that
# concurrent runs rarely collide (the caller's server start fails loudly if one does), and stays
# below the kernel's ephemeral range (32768+) so outgoing connections cannot take it first.
free_port() {
  local port tries=0
  port=$(( 20000 + RANDOM % 12000 ))
  while (( tries < 200 )); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
    port=$(( port + 1 )); tries=$(( tries + 1 ))
  done
  echo "free_port: no free port found" >&2
  return 1
}

# Installs the Debian packages named that are not installed yet (apt-get only when needed, so a
# prepared machine needs no network). Needs root.
ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  (( ${#missing[@]} == 0 )) && return 0
  if (( EUID != 0 )); then
    echo "Missing packages: ${missing[*]} — run as root or install them: apt-get install ${missing[*]}" >&2
    return 1
  fi
  echo "Installing ${missing[*]} …" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# True while the process exists and is not a zombie (kill -0 succeeds on zombies).
process_alive() {
  local pid=$1 state
  [[ -r "/proc/$pid/stat" ]] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ "$state" != "Z" && "$state" != "X" ]]
}

# Sends SIGTERM, waits up to $2 seconds (default 20), then SIGKILL.
stop_process() {
  local pid=$1 wait_s=${2:-20} i
  process_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for (( i = 0; i < wait_s * 10; i++ )); do
    process_alive "$pid" || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  for (( i = 0; i < 50; i++ )); do
    process_alive "$pid" || return 0
    sleep 0.1
  done
  echo "stop_process: $pid did not exit" >&2
  return 1
}
