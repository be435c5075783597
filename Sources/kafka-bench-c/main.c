/*
 * kafka-bench-c: the raw-librdkafka baseline for `otppool bench kafka`.
 *
 * Produces N keyed records of S bytes to a topic as fast as librdkafka takes them, waits for every
 * delivery report, then consumes them back with a fresh consumer group. It uses the same
 * client settings as the Swift layer's defaults so the two figures compare like with like.
 *
 * usage: kafka-bench-c <bootstrap> <topic> <messages> <size>
 * prints: produce_msgs_per_s=<x> consume_msgs_per_s=<y>
 */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long delivered = 0;
static long failed = 0;

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *message, void *opaque) {
    (void)rk;
    (void)opaque;
    if (message->err) failed++;
    else delivered++;
}

static void set(rd_kafka_conf_t *conf, const char *name, const char *value) {
    char error[512];
    if (rd_kafka_conf_set(conf, name, value, error, sizeof error) != RD_KAFKA_CONF_OK) {
        fprintf(stderr, "kafka-bench-c: %s=%s: %s\n", name, value, error);
        exit(2);
    }
}

static double produce(const char *bootstrap, const char *topic, long count, size_t size) {
    char error[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", bootstrap);
    set(conf, "enable.idempotence", "true");
    set(conf, "linger.ms", "5");
    set(conf, "batch.size", "1048576");
    set(conf, "queue.buffering.max.messages", "200000");
    set(conf, "queue.buffering.max.kbytes", "2097151");
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    if (!rk) {
        fprintf(stderr, "kafka-bench-c: producer: %s\n", error);
        exit(1);
    }
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
    char *payload = malloc(size);
    memset(payload, 'x', size);

    char key[32];
    double started = now_seconds();
    for (long i = 0; i < count; i++) {
        /* Keyed like the pool's records (key = request ID), which spreads them over partitions. */
        int key_len = snprintf(key, sizeof key, "request-%08ld", i);
        while (rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, payload, size, key, (size_t)key_len, NULL) == -1) {
            if (rd_kafka_last_error() != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                fprintf(stderr, "kafka-bench-c: produce: %s\n", rd_kafka_err2str(rd_kafka_last_error()));
                exit(1);
            }
            rd_kafka_poll(rk, 1);
        }
        if ((i & 1023) == 0) rd_kafka_poll(rk, 0);
    }
    rd_kafka_flush(rk, 120000);
    double elapsed = now_seconds() - started;
    if (delivered != count) {
        fprintf(stderr, "kafka-bench-c: %ld of %ld delivered, %ld failed\n", delivered, count, failed);
        exit(1);
    }
    free(payload);
    rd_kafka_topic_destroy(rkt);
    rd_kafka_destroy(rk);
    return (double)count / elapsed;
}

static double consume(const char *bootstrap, const char *topic, long count) {
    char error[512];
    char group[64];
    snprintf(group, sizeof group, "kafka-bench-c-%ld", (long)time(NULL));
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", bootstrap);
    set(conf, "group.id", group);
    set(conf, "auto.offset.reset", "earliest");
    set(conf, "enable.auto.offset.store", "false");
    set(conf, "enable.partition.eof", "false");
    set(conf, "partition.assignment.strategy", "cooperative-sticky");
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
    if (!rk) {
        fprintf(stderr, "kafka-bench-c: consumer: %s\n", error);
        exit(1);
    }
    rd_kafka_poll_set_consumer(rk);
    rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, topic, RD_KAFKA_PARTITION_UA);
    rd_kafka_subscribe(rk, topics);
    rd_kafka_topic_partition_list_destroy(topics);

    long received = 0;
    double started = 0;
    double last = now_seconds();
    while (received < count) {
        rd_kafka_message_t *message = rd_kafka_consumer_poll(rk, 100);
        if (!message) {
            if (now_seconds() - last > 15) {
                fprintf(stderr, "kafka-bench-c: only %ld of %ld records arrived; nothing more for 15 s\n", received, count);
                exit(1);
            }
            continue;
        }
        last = now_seconds();
        if (!message->err) {
            if (received == 0) started = now_seconds();
            received++;
        }
        rd_kafka_message_destroy(message);
    }
    double elapsed = now_seconds() - started;
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    /* The first record starts the clock, so the rate is over the other count - 1. */
    return (double)(count - 1) / elapsed;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: kafka-bench-c <bootstrap> <topic> <messages> <size>\n");
        return 2;
    }
    long count = atol(argv[3]);
    size_t size = (size_t)atol(argv[4]);
    if (count < 2 || size == 0) {
        fprintf(stderr, "kafka-bench-c: need at least 2 messages of at least 1 byte\n");
        return 2;
    }
    double produced = produce(argv[1], argv[2], count, size);
    double consumed = consume(argv[1], argv[2], count);
    printf("produce_msgs_per_s=%.0f consume_msgs_per_s=%.0f\n", produced, consumed);
    return 0;
}
