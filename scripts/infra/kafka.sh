# Apache Kafka from the Maven Central jars: one combined KRaft node, or the nodes of a cluster
# (cluster.sh). Each node has a directory with its server.properties, data, log and pid.

kafka_libs="$infra_dir/kafka/libs"
kafka_log4j="$root/infra/kafka/log4j.properties"
# Tools (StorageTool) log to stderr: their stdout is read, e.g. the cluster id of `random-uuid`.
kafka_tools_log4j="$root/infra/kafka/tools-log4j.properties"

fetch_kafka_jars() {
  # The jar set is keyed by the list's content so that a version bump fetches afresh.
  local stamp="$kafka_libs/.jars.sha"
  local want
  want="$(sha256sum "$root/infra/kafka/jars.txt" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  say "fetching Apache Kafka jars from Maven Central (once; cached in $kafka_libs and ~/.m2)"
  rm -rf "$kafka_libs"
  node "$root/scripts/infra/kafka-jars.js" "$kafka_libs" || die "could not fetch the Kafka jars"
  echo "$want" >"$stamp"
}

kafka_tool() {
  java -cp "$kafka_libs/*" -Dlog4j.configuration="file:$kafka_tools_log4j" "$@"
}

kafka_version() {
  ls "$kafka_libs" | sed -n 's/^kafka_2.13-\(.*\)\.jar$/\1/p'
}

# render_node DIR NODE_ID PORT CONTROLLER_PORT VOTERS REPLICATION MIN_ISR
render_node() {
  local dir="$1"
  mkdir -p "$dir/data"
  sed -e "s#@NODE_ID@#$2#g" -e "s#@PORT@#$3#g" -e "s#@CONTROLLER_PORT@#$4#g" -e "s#@VOTERS@#$5#g" \
    -e "s#@REPLICATION@#$6#g" -e "s#@MIN_ISR@#$7#g" -e "s#@DATA_DIR@#$dir/data#g" \
    "$root/infra/kafka/server.properties.template" >"$dir/server.properties"
}

# format_node DIR CLUSTER_ID [ARGS...]: KRaft storage, once (format refuses a formatted directory).
format_node() {
  if [ -f "$1/data/meta.properties" ]; then return; fi
  say "formatting KRaft storage in $1/data"
  kafka_tool kafka.tools.StorageTool format -t "$2" -c "$1/server.properties" "${@:3}" >/dev/null
}

# launch_node DIR HEAP: starts the node in the background; wait_node waits for it.
launch_node() {
  : >"$1/broker.log"
  # setsid: the broker outlives this script and is not hit by the terminal's Ctrl-C; `down` stops it.
  setsid java -Xms256m "-Xmx$2" -Dlog4j.configuration="file:$kafka_log4j" \
    -cp "$kafka_libs/*" kafka.Kafka "$1/server.properties" >>"$1/broker.log" 2>&1 </dev/null &
  echo $! >"$1/broker.pid"
}

wait_node() {
  # An open port is not enough: the broker is ready once it logs that it started.
  local deadline=$((SECONDS + 120))
  until grep -q "Kafka Server started" "$1/broker.log"; do
    pid_running "$1/broker.pid" || { tail -n 40 "$1/broker.log" >&2; die "kafka exited during start-up (log: $1/broker.log)"; }
    [ $SECONDS -lt $deadline ] || { tail -n 40 "$1/broker.log" >&2; die "kafka did not start within 120 s (log: $1/broker.log)"; }
    sleep 0.5
  done
}

# The single development broker: KAFKA_PORT / KAFKA_CONTROLLER_PORT, state in .infra/kafka.
single_dir="$infra_dir/kafka"
kafka_port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"

kafka_up() {
  if pid_running "$single_dir/broker.pid"; then
    say "kafka already running (pid $(cat "$single_dir/broker.pid")) on 127.0.0.1:$kafka_port"
    return
  fi
  if port_open "$kafka_port"; then say "something already listens on 127.0.0.1:$kafka_port; using it as the broker"; return; fi
  need_java
  fetch_kafka_jars
  render_node "$single_dir" 1 "$kafka_port" "$controller_port" "1@127.0.0.1:$controller_port" 1 1
  sasl_configure "$single_dir/server.properties"
  format_node "$single_dir" "$(kafka_tool kafka.tools.StorageTool random-uuid)" "${sasl_format_args[@]}"
  sasl_mark_formatted
  say "starting Apache Kafka $(kafka_version) (KRaft) from the Maven jars"
  launch_node "$single_dir" 1g
  wait_node "$single_dir"
  say "kafka started on 127.0.0.1:$kafka_port (pid $(cat "$single_dir/broker.pid"), log $single_dir/broker.log)"
  sasl_apply_acls
}

kafka_down() {
  if ! pid_running "$single_dir/broker.pid"; then say "kafka is not running"; rm -f "$single_dir/broker.pid"; return; fi
  say "stopping kafka (pid $(cat "$single_dir/broker.pid"))"
  kill -TERM "$(cat "$single_dir/broker.pid")"
  wait_stopped "$single_dir/broker.pid"
  say "kafka stopped"
}
