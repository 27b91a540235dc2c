"""An idle Eclipse Paho Python client for mqdiag: connects (MQTT 3.1.1, clean session, the given client id and
keepalive; MQTT 5 with clean start when told) and then only calls client.loop(<loop-ms>) as loop_forever would (loop_forever would reconnect).
Prints "connected" on the CONNACK and "lost <reason>" when the connection ends, then exits 3.
`idle.py --version` prints the library's version.
usage: idle.py <host> <port> <client-id> <keepalive-s> <loop-ms> [<protocol 4|5>]"""
import sys

import paho.mqtt
import paho.mqtt.client as mqtt


def main(argv):
    if len(argv) == 2 and argv[1] == "--version":
        print(paho.mqtt.__version__)
        return 0
    if len(argv) not in (6, 7):
        print("usage: idle.py <host> <port> <client-id> <keepalive-s> <loop-ms> [<protocol 4|5>]", file=sys.stderr)
        return 2
    host, port, client_id, keepalive, loop_ms = argv[1], int(argv[2]), argv[3], int(argv[4]), int(argv[5])
    if len(argv) == 7 and argv[6] == "5":
        client = mqtt.Client(client_id=client_id, protocol=mqtt.MQTTv5)
        client.on_connect = lambda c, u, f, rc, p=None: print(
            "connected" if rc == 0 else "lost connack %s" % rc, flush=True
        )
    else:
        client = mqtt.Client(client_id=client_id, clean_session=True, protocol=mqtt.MQTTv311)
        client.on_connect = lambda c, u, f, rc: print("connected" if rc == 0 else "lost connack %d" % rc, flush=True)
    client.connect(host, port, keepalive)
    while True:
        rc = client.loop(timeout=loop_ms / 1000.0)
        if rc != mqtt.MQTT_ERR_SUCCESS:
            print("lost %s" % mqtt.error_string(rc), flush=True)
            return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv))
