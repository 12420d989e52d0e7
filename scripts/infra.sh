#!/usr/bin/env bash
# Local infrastructure without Docker: Apache Kafka (KRaft) run from the Maven Central jars, one
# broker or a three-node cluster (KAFKA_NODES=3), and PostgreSQL (scripts/infra/postgres.js: the
# server that answers at DATABASE_URL / PG*, else Docker's, else an embedded one from npm), with the
# apps' databases.
#
#   scripts/infra.sh up      start what is down (idempotent)
#   scripts/infra.sh down    stop what this script started, the cluster's nodes included whatever
#                            KAFKA_NODES says (idempotent; a PostgreSQL it did not start is left alone)
#   scripts/infra.sh status  exit 0 when both answer
#   scripts/infra.sh kafka-up | kafka-down   Kafka alone (fault-injection tests)
#   scripts/infra.sh node kill|stop|start N  one node of the cluster (fault-injection tests)
#
# Everything it downloads or writes lives under .infra/ (git-ignored); the jars are also cached in ~/.m2.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
infra_dir="${INFRA_DIR:-$root/.infra}"
kafka_nodes="${KAFKA_NODES:-1}"

# shellcheck source=infra/common.sh
. "$root/scripts/infra/common.sh"
# shellcheck source=infra/kafka.sh
. "$root/scripts/infra/kafka.sh"
# shellcheck source=infra/cluster.sh
. "$root/scripts/infra/cluster.sh"
# KAFKA_SECURITY=sasl: SCRAM users and ACLs on the single local broker (plain by default).
kafka_dir="$single_dir"
. "$root/infra/kafka/sasl/sasl.sh"

case "$kafka_nodes" in
  1 | 3) ;;
  *) die "KAFKA_NODES=$kafka_nodes: 1 (one broker) or 3 (a three-node cluster)" ;;
esac

postgres() {
  need node "install Node.js 20.19 or newer"
  node "$root/scripts/infra/postgres.js" "$@"
}

kafka_start() { if [ "$kafka_nodes" = 3 ]; then cluster_up; else kafka_up; fi; }
kafka_stop() { if [ "$kafka_nodes" = 3 ]; then cluster_down; else kafka_down; fi; }
kafka_answers() { if [ "$kafka_nodes" = 3 ]; then cluster_answers; else port_open "$kafka_port"; fi; }

case "${1:-}" in
  up)
    postgres up
    kafka_start
    ;;
  down)
    kafka_down
    cluster_down
    postgres down
    ;;
  kafka-up) kafka_start ;;
  kafka-down) kafka_stop ;;
  node) cluster_node "${2:-}" "${3:-}" ;;
  status) postgres status && kafka_answers ;;
  *)
    echo "usage: $0 up|down|status|kafka-up|kafka-down|node kill|stop|start N" >&2
    exit 2
    ;;
esac
