# A three-node KRaft cluster on loopback (KAFKA_NODES=3): every node is broker and controller, with
# its own client port (KAFKA_CLUSTER_PORT, +1, +2), controller port (KAFKA_CLUSTER_CONTROLLER_PORT,
# +1, +2) and directory (.infra/kafka-cluster/node-N), all formatted with one cluster id.

cluster_dir="$infra_dir/kafka-cluster"
cluster_size=3
cluster_port="${KAFKA_CLUSTER_PORT:-29092}"
cluster_controller_port="${KAFKA_CLUSTER_CONTROLLER_PORT:-29192}"

node_dir() { echo "$cluster_dir/node-$1"; }
node_port() { echo $((cluster_port + $1 - 1)); }
nodes() { seq 1 "$cluster_size"; }

cluster_brokers() {
  local n list=()
  for n in $(nodes); do list+=("127.0.0.1:$(node_port "$n")"); done
  (IFS=,; echo "${list[*]}")
}

cluster_voters() {
  local n list=()
  for n in $(nodes); do list+=("$n@127.0.0.1:$((cluster_controller_port + n - 1))"); done
  (IFS=,; echo "${list[*]}")
}

cluster_prepare() {
  need_java
  fetch_kafka_jars
  mkdir -p "$cluster_dir"
  # One cluster id for every node, kept so that a node formatted later joins the same cluster.
  [ -f "$cluster_dir/cluster.id" ] || kafka_tool kafka.tools.StorageTool random-uuid >"$cluster_dir/cluster.id"
  local n
  for n in $(nodes); do
    # Replication 3 and min.insync.replicas 2: a write survives one node down, never goes to one copy.
    render_node "$(node_dir "$n")" "$n" "$(node_port "$n")" $((cluster_controller_port + n - 1)) "$(cluster_voters)" 3 2
    format_node "$(node_dir "$n")" "$(cat "$cluster_dir/cluster.id")"
  done
}

# The nodes start together: none reports "started" before a quorum of controllers answers.
cluster_up() {
  local n started=()
  for n in $(nodes); do
    if pid_running "$(node_dir "$n")/broker.pid"; then continue; fi
    port_open "$(node_port "$n")" && die "127.0.0.1:$(node_port "$n") is taken by a process this script did not start; set KAFKA_CLUSTER_PORT"
    started+=("$n")
  done
  if [ ${#started[@]} -eq 0 ]; then say "kafka cluster already running at $(cluster_brokers)"; return; fi
  cluster_prepare
  say "starting Apache Kafka $(kafka_version) (KRaft), node(s) ${started[*]} of $cluster_size"
  # 384 MiB each: three nodes fit beside the apps and PostgreSQL on a 2-core, shared machine.
  for n in "${started[@]}"; do launch_node "$(node_dir "$n")" 384m; done
  for n in "${started[@]}"; do wait_node "$(node_dir "$n")"; done
  say "kafka cluster started: KAFKA_BROKERS=$(cluster_brokers) (logs $cluster_dir/node-*/broker.log)"
}

# SIGTERM to every node at once: stopped one by one, the last waits minutes for a controller
# quorum to approve its controlled shutdown.
cluster_down() {
  local n pids=()
  for n in $(nodes); do
    if pid_running "$(node_dir "$n")/broker.pid"; then
      kill -TERM "$(cat "$(node_dir "$n")/broker.pid")"
      pids+=("$(node_dir "$n")/broker.pid")
    fi
  done
  if [ ${#pids[@]} -eq 0 ]; then say "kafka cluster is not running"; return; fi
  say "stopping ${#pids[@]} kafka cluster node(s)"
  wait_stopped "${pids[@]}"
  say "kafka cluster stopped"
}

# node ACTION N: fault injection on one node (kill = SIGKILL, stop = SIGTERM and wait, start).
cluster_node() {
  local action="$1" n="$2"
  [[ "$n" =~ ^[1-9]$ ]] && [ "$n" -le "$cluster_size" ] || die "no node $n (1..$cluster_size)"
  local pid_file
  pid_file="$(node_dir "$n")/broker.pid"
  case "$action" in
    kill)
      pid_running "$pid_file" || die "node $n is not running"
      kill -KILL "$(cat "$pid_file")"
      wait_stopped "$pid_file"
      say "node $n killed"
      ;;
    stop)
      pid_running "$pid_file" || die "node $n is not running"
      kill -TERM "$(cat "$pid_file")"
      wait_stopped "$pid_file"
      say "node $n stopped"
      ;;
    start)
      if pid_running "$pid_file"; then say "node $n already running"; return; fi
      launch_node "$(node_dir "$n")" 384m
      wait_node "$(node_dir "$n")"
      say "node $n started on 127.0.0.1:$(node_port "$n")"
      ;;
    *) die "usage: node kill|stop|start N" ;;
  esac
}

cluster_answers() {
  local n
  for n in $(nodes); do port_open "$(node_port "$n")" || return 1; done
}
