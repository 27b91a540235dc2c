/*
 * An idle libmosquitto client for mqdiag: connects (MQTT 3.1.1, or 5 when told; clean session, the given client id
 * and keepalive)
 * and then only calls mosquitto_loop(<loop-ms>) as an application's loop would (mosquitto_loop_forever would
 * reconnect). Prints "connected" on the CONNACK and "lost <reason>" when the connection ends, then exits 3.
 * `idle --version` prints the library's version.
 * usage: idle <host> <port> <client-id> <keepalive-s> <loop-ms> [<protocol 4|5>]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mosquitto.h>

static void on_connect(struct mosquitto *m, void *obj, int rc) {
    (void)m; (void)obj;
    if (rc == 0) printf("connected\n");
    else printf("lost connack %d\n", rc);
}

int main(int argc, char **argv) {
    int major, minor, revision;
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        mosquitto_lib_version(&major, &minor, &revision);
        printf("%d.%d.%d\n", major, minor, revision);
        return 0;
    }
    if (argc != 6 && argc != 7) {
        fprintf(stderr, "usage: idle <host> <port> <client-id> <keepalive-s> <loop-ms> [<protocol 4|5>]\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    mosquitto_lib_init();
    struct mosquitto *m = mosquitto_new(argv[3], true, NULL);
    if (!m) return 1;
    if (argc == 7 && atoi(argv[6]) == 5) mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
    mosquitto_connect_callback_set(m, on_connect);
    int rc = mosquitto_connect(m, argv[1], atoi(argv[2]), atoi(argv[4]));
    if (rc != MOSQ_ERR_SUCCESS) { printf("lost connect-failed %s\n", mosquitto_strerror(rc)); return 1; }
    int loop_ms = atoi(argv[5]);
    for (;;) {
        rc = mosquitto_loop(m, loop_ms, 1);
        if (rc != MOSQ_ERR_SUCCESS) { printf("lost %s\n", mosquitto_strerror(rc)); return 3; }
    }
}
