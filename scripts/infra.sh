#!/usr/bin/env bash
# Local infrastructure without Docker: a real Apache Kafka broker (KRaft, one node) run from the
# Maven Central jars, and the PostgreSQL server named by DATABASE_URL / PG* with the apps' databases.
#
#   scripts/infra.sh up      start what is down (idempotent)
#   scripts/infra.sh down    stop the broker this script started (idempotent; PostgreSQL is left alone)
#   scripts/infra.sh status  exit 0 when both answer
#   scripts/infra.sh kafka-up | kafka-down   the broker alone (fault-injection tests)
#
# Everything it downloads or writes lives under .infra/ (git-ignored); Maven also caches in ~/.m2.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
infra_dir="${INFRA_DIR:-$root/.infra}"
kafka_dir="$infra_dir/kafka"
kafka_port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"
pid_file="$kafka_dir/broker.pid"
log_file="$kafka_dir/broker.log"
databases=(playball_auth playball_group_management)

say() { printf '[infra] %s\n' "$*"; }
die() { printf '[infra] error: %s\n' "$*" >&2; exit 1; }

# KAFKA_SECURITY=sasl: SCRAM users and ACLs on the local broker (plain by default).
. "$root/infra/kafka/sasl/sasl.sh"

need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is not installed: $2"
}

broker_running() {
  [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

fetch_kafka_jars() {
  # The jar set is keyed by the pom's content so that a version bump downloads afresh.
  local stamp="$kafka_dir/libs/.pom.sha"
  local want
  want="$(sha256sum "$root/infra/kafka/pom.xml" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  need java "install a Java runtime, 17 or newer (Debian: apt-get install openjdk-17-jre-headless)"
  need mvn "install Apache Maven to fetch the Kafka jars (Debian: apt-get install maven)"
  say "fetching Apache Kafka jars from Maven Central (once; cached in $kafka_dir/libs and ~/.m2)"
  rm -rf "$kafka_dir/libs"
  mvn -B -q -f "$root/infra/kafka/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$kafka_dir/libs"
  echo "$want" >"$stamp"
}

format_storage() {
  local data="$kafka_dir/data"
  sed -e "s#@PORT@#$kafka_port#g" -e "s#@CONTROLLER_PORT@#$controller_port#g" -e "s#@DATA_DIR@#$data#g" \
    "$root/infra/kafka/server.properties.template" >"$kafka_dir/server.properties"
  sasl_configure "$kafka_dir/server.properties"
  if [ -f "$data/meta.properties" ]; then return; fi
  say "formatting KRaft storage in $data"
  mkdir -p "$data"
  java -cp "$kafka_dir/libs/*" -Dlog4j.configuration="file:$root/infra/kafka/log4j.properties" \
    kafka.tools.StorageTool format -t "$(java -cp "$kafka_dir/libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null)" \
    -c "$kafka_dir/server.properties" "${sasl_format_args[@]}" >/dev/null
  sasl_mark_formatted
}

kafka_up() {
  if broker_running; then say "kafka already running (pid $(cat "$pid_file")) on 127.0.0.1:$kafka_port"; return; fi
  if port_open "$kafka_port"; then say "something already listens on 127.0.0.1:$kafka_port; using it as the broker"; return; fi
  need java "install a Java runtime, 17 or newer (Debian: apt-get install openjdk-17-jre-headless)"
  mkdir -p "$kafka_dir"
  fetch_kafka_jars
  format_storage
  say "starting Apache Kafka $(ls "$kafka_dir/libs" | sed -n 's/^kafka_2.13-\(.*\)\.jar$/\1/p') (KRaft) from the Maven jars"
  : >"$log_file"
  # setsid: the broker outlives this script and is not hit by the terminal's Ctrl-C; `down` stops it.
  setsid java -Xms256m -Xmx1g -Dlog4j.configuration="file:$root/infra/kafka/log4j.properties" \
    -cp "$kafka_dir/libs/*" kafka.Kafka "$kafka_dir/server.properties" >>"$log_file" 2>&1 </dev/null &
  echo $! >"$pid_file"
  # An open port is not enough: the broker is ready once it logs that it started (KAFKA.md).
  local deadline=$((SECONDS + 120))
  until grep -q "Kafka Server started" "$log_file"; do
    broker_running || { tail -n 40 "$log_file" >&2; die "kafka exited during start-up (log: $log_file)"; }
    [ $SECONDS -lt $deadline ] || { tail -n 40 "$log_file" >&2; die "kafka did not start within 120 s"; }
    sleep 0.5
  done
  say "kafka started on 127.0.0.1:$kafka_port (pid $(cat "$pid_file"), log $log_file)"
  sasl_apply_acls
}

kafka_down() {
  if ! broker_running; then say "kafka is not running"; rm -f "$pid_file"; return; fi
  local pid
  pid="$(cat "$pid_file")"
  say "stopping kafka (pid $pid)"
  kill -TERM "$pid"
  local deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then say "kafka did not stop in 60 s; killing it"; kill -KILL "$pid"; fi
    sleep 0.3
  done
  rm -f "$pid_file"
  say "kafka stopped"
}

psql_admin() {
  # DATABASE_URL names the server; the maintenance database is "postgres" on it.
  if [ -n "${DATABASE_URL:-}" ]; then
    psql "${DATABASE_URL%/*}/postgres" -v ON_ERROR_STOP=1 -qAtX "$@"
  else
    PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}" \
      psql -d postgres -v ON_ERROR_STOP=1 -qAtX "$@"
  fi
}

postgres_up() {
  need psql "install PostgreSQL 15 or newer (Debian: apt-get install postgresql)"
  if ! psql_admin -c 'select 1' >/dev/null 2>&1; then
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
      local version
      version="$(ls /etc/postgresql | sort -V | tail -n 1)"
      say "starting the local PostgreSQL $version cluster"
      pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    fi
    local deadline=$((SECONDS + 30))
    until psql_admin -c 'select 1' >/dev/null 2>&1; do
      [ $SECONDS -lt $deadline ] || die "PostgreSQL does not answer at ${DATABASE_URL:-postgres@${PGHOST:-127.0.0.1}:${PGPORT:-5432}}; install or start PostgreSQL 15+, or set DATABASE_URL"
      sleep 0.5
    done
  fi
  for db in "${databases[@]}"; do
    if [ "$(psql_admin -c "select 1 from pg_database where datname = '$db'")" != "1" ]; then
      psql_admin -c "create database $db" && say "created database $db"
    fi
  done
  say "postgres ready"
}

case "${1:-}" in
  up)
    postgres_up
    kafka_up
    ;;
  down | kafka-down)
    kafka_down
    ;;
  kafka-up)
    kafka_up
    ;;
  status)
    psql_admin -c 'select 1' >/dev/null 2>&1 && port_open "$kafka_port"
    ;;
  *)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
