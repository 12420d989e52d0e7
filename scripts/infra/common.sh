# Helpers shared by scripts/infra.sh and the files it sources.

say() { printf '[infra] %s\n' "$*"; }
die() { printf '[infra] error: %s\n' "$*" >&2; exit 1; }

need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is not installed: $2"
}

need_java() {
  need java "install a Java runtime, 17 or newer (Debian: apt-get install openjdk-17-jre-headless)"
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pid_running() {
  [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# Waits until every pid file's process has exited; SIGKILLs whatever is left after 60 s.
wait_stopped() {
  local deadline=$((SECONDS + 60)) pid_file
  for pid_file in "$@"; do
    [ -f "$pid_file" ] || continue
    while kill -0 "$(cat "$pid_file")" 2>/dev/null; do
      if [ $SECONDS -ge $deadline ]; then
        say "pid $(cat "$pid_file") did not stop in 60 s; killing it"
        kill -KILL "$(cat "$pid_file")" 2>/dev/null || true
      fi
      sleep 0.3
    done
    rm -f "$pid_file"
  done
}
