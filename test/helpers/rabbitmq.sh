#!/usr/bin/env bash
# A real RabbitMQ with its MQTT plugin on free loopback ports, for the tests that compare mqdiag with it.
#   rabbitmq.sh start   starts one in a fresh temporary directory (its own node name, Mnesia, log, config and
#                       plugin list; nothing of the system's RabbitMQ is used) and prints, once MQTT answers,
#                       MQDIAG_RABBITMQ_MQTT_PORT=… MQDIAG_RABBITMQ_LOG=… MQDIAG_RABBITMQ_PGID=… MQDIAG_RABBITMQ_DIR=…
#   rabbitmq.sh stop    stops the one those variables name and removes its directory.
# Needs Debian's rabbitmq-server (3.10: MQTT 3.1.1 and 3.1 only). Starting takes ~10 s on a loaded 2-core host.
set -euo pipefail
RABBITMQ_SERVER=${RABBITMQ_SERVER:-/usr/lib/rabbitmq/bin/rabbitmq-server}

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

case "${1:-}" in
start)
  [ -x "$RABBITMQ_SERVER" ] || { echo "rabbitmq-server not found at $RABBITMQ_SERVER" >&2; exit 1; }
  dir=$(mktemp -d "${TMPDIR:-/tmp}/mqdiag-rabbitmq-XXXXXX")
  mqtt=$(free_port); amqp=$(free_port); dist=$(free_port)
  # The default file log level (info) is what a production broker writes: its kick, takeover and close lines.
  cat >"$dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$amqp
mqtt.listeners.tcp.default = 127.0.0.1:$mqtt
mqtt.allow_anonymous = true
loopback_users = none
CONF
  node="mqdiag-$(basename "$dir" | tr -cd 'A-Za-z0-9')@localhost"
  # setsid: the broker (a shell script and its beam.smp) gets a process group of its own, stopped as one.
  HOME="$dir" RABBITMQ_NODENAME="$node" RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" \
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" RABBITMQ_ENABLED_PLUGINS=rabbitmq_mqtt \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_DIST_PORT="$dist" RABBITMQ_PID_FILE="$dir/pid" \
    setsid "$RABBITMQ_SERVER" >"$dir/stdout.log" 2>&1 </dev/null &
  pgid=$!
  for _ in $(seq 1 240); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$mqtt") 2>/dev/null; then
      echo "MQDIAG_RABBITMQ_MQTT_PORT=$mqtt MQDIAG_RABBITMQ_LOG=$dir/log/$node.log MQDIAG_RABBITMQ_PGID=$pgid MQDIAG_RABBITMQ_DIR=$dir"
      exit 0
    fi
    kill -0 "$pgid" 2>/dev/null || { cat "$dir/stdout.log" >&2; echo "rabbitmq-server exited" >&2; exit 1; }
    sleep 0.25
  done
  kill -TERM -- "-$pgid" 2>/dev/null || true
  cat "$dir/stdout.log" >&2
  echo "RabbitMQ's MQTT listener did not open within 60 s" >&2
  exit 1
  ;;
stop)
  pgid=${MQDIAG_RABBITMQ_PGID:?}
  kill -TERM -- "-$pgid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$pgid" 2>/dev/null || true
  case "${MQDIAG_RABBITMQ_DIR:-}" in */mqdiag-rabbitmq-*) rm -rf "$MQDIAG_RABBITMQ_DIR" ;; esac
  ;;
*)
  echo "usage: rabbitmq.sh start|stop" >&2
  exit 2
  ;;
esac
