/*
 * An idle MQTT-C client for mqdiag: connects (clean session, the given client id and keepalive), then only calls
 * mqtt_sync every <loop-ms>, as an application's loop would. Prints "connected" on the CONNACK and
 * "lost <reason>" when the connection ends, then exits 3. MQTT-C itself never gives up on a missing PINGRESP.
 * usage: idle <host> <port> <client-id> <keepalive-s> <loop-ms>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <mqtt.h>
#include "posix_sockets.h"

static void on_publish(void **state, struct mqtt_response_publish *publish) { (void)state; (void)publish; }

static void sleep_ms(long ms) {
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0) {}
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: idle <host> <port> <client-id> <keepalive-s> <loop-ms>\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *host = argv[1], *port = argv[2], *id = argv[3];
    int keepalive = atoi(argv[4]);
    long loop_ms = atol(argv[5]);
    int fd = open_nb_socket(host, port);
    if (fd == -1) { printf("lost connect-failed\n"); return 1; }
    struct mqtt_client client;
    static uint8_t sendbuf[2048], recvbuf[1024];
    mqtt_init(&client, fd, sendbuf, sizeof sendbuf, recvbuf, sizeof recvbuf, on_publish);
    mqtt_connect(&client, id, NULL, NULL, 0, NULL, NULL, MQTT_CONNECT_CLEAN_SESSION, (uint16_t)keepalive);
    if (client.error != MQTT_OK) { printf("lost %s\n", mqtt_error_str(client.error)); return 1; }
    int connected = 0;
    for (;;) {
        enum MQTTErrors err = mqtt_sync(&client);
        if (err != MQTT_OK) { printf("lost %s\n", mqtt_error_str(err)); return 3; }
        if (!connected && mqtt_mq_find(&client.mq, MQTT_CONTROL_CONNECT, NULL) == NULL) {
            connected = 1;
            printf("connected\n");
        }
        sleep_ms(loop_ms);
    }
}
