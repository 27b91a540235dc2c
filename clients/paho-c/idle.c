/*
 * An idle Eclipse Paho C client (MQTTAsync, its own background thread) for mqdiag: connects (MQTT 3.1.1, clean
 * session, the given client id and keepalive, no automatic reconnect) and sends nothing. Prints "connected" on the
 * CONNACK and "lost <reason>" when the connection ends, then exits 3. With protocol 5: MQTT 5, clean start.
 * `idle --version` prints the version the library reports (1.3.12 reports 1.3.11).
 * usage: idle <host> <port> <client-id> <keepalive-s> [<loop-ms>, ignored] [<protocol 4|5>]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <MQTTAsync.h>

static volatile int state = 0; /* 0 connecting, 1 connected, 2 lost, 3 connect failed */

static void on_lost(void *context, char *cause) {
    (void)context;
    printf("lost %s\n", cause ? cause : "connection-lost");
    state = 2;
}

static int on_message(void *context, char *topic, int topic_len, MQTTAsync_message *m) {
    (void)context; (void)topic_len;
    MQTTAsync_freeMessage(&m);
    MQTTAsync_free(topic);
    return 1;
}

static void on_connect(void *context, MQTTAsync_successData *response) {
    (void)context; (void)response;
    printf("connected\n");
    state = 1;
}

static void on_connect_failure(void *context, MQTTAsync_failureData *response) {
    (void)context;
    printf("lost connect-failed %d\n", response ? response->code : 0);
    state = 3;
}

/* MQTT 5: a DISCONNECT from the broker comes here, and Paho C 1.3.12 reports no lost connection after it */
static void on_disconnected(void *context, MQTTProperties *props, enum MQTTReasonCodes rc) {
    (void)context; (void)props;
    printf("lost disconnect 0x%02x\n", (unsigned)rc);
    state = 2;
}

static void on_connect5(void *context, MQTTAsync_successData5 *response) {
    (void)context; (void)response;
    printf("connected\n");
    state = 1;
}

static void on_connect_failure5(void *context, MQTTAsync_failureData5 *response) {
    (void)context;
    printf("lost connect-failed %d\n", response ? response->code : 0);
    state = 3;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        for (MQTTAsync_nameValue *v = MQTTAsync_getVersionInfo(); v->name; v++)
            if (strcmp(v->name, "Version") == 0) printf("%s\n", v->value);
        return 0;
    }
    if (argc < 5 || argc > 7) {
        fprintf(stderr, "usage: idle <host> <port> <client-id> <keepalive-s> [<loop-ms>] [<protocol 4|5>]\n");
        return 2;
    }
    int v5 = argc == 7 && atoi(argv[6]) == 5;
    setvbuf(stdout, NULL, _IOLBF, 0);
    char uri[300];
    snprintf(uri, sizeof uri, "tcp://%s:%s", argv[1], argv[2]);
    MQTTAsync client;
    MQTTAsync_createOptions create = MQTTAsync_createOptions_initializer5;
    if (!v5) create.MQTTVersion = MQTTVERSION_3_1_1;
    if (MQTTAsync_createWithOptions(&client, uri, argv[3], MQTTCLIENT_PERSISTENCE_NONE, NULL, &create)
        != MQTTASYNC_SUCCESS) return 1;
    MQTTAsync_setCallbacks(client, NULL, on_lost, on_message, NULL);
    if (v5) MQTTAsync_setDisconnected(client, NULL, on_disconnected);
    MQTTAsync_connectOptions v4opts = MQTTAsync_connectOptions_initializer;
    MQTTAsync_connectOptions v5opts = MQTTAsync_connectOptions_initializer5;
    MQTTAsync_connectOptions opts = v5 ? v5opts : v4opts;
    opts.keepAliveInterval = atoi(argv[4]);
    if (v5) {
        opts.cleanstart = 1;
        opts.onSuccess5 = on_connect5;
        opts.onFailure5 = on_connect_failure5;
    } else {
        opts.cleansession = 1;
        opts.MQTTVersion = MQTTVERSION_3_1_1;
        opts.onSuccess = on_connect;
        opts.onFailure = on_connect_failure;
    }
    if (MQTTAsync_connect(client, &opts) != MQTTASYNC_SUCCESS) { printf("lost connect-failed\n"); return 1; }
    while (state < 2) usleep(10000);
    return state == 2 ? 3 : 1;
}
