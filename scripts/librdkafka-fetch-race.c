/*
 * Reproduces librdkafka's dropped fetch start (issues #2190, #5591), which `StalledFetchWatch` repairs.
 *
 *   cc -O1 -o /tmp/fetch-race scripts/librdkafka-fetch-race.c $(pkg-config --cflags --libs rdkafka) -lpthread
 *   /tmp/fetch-race 400
 *
 * Each round assigns 12 partitions of a mock-cluster topic (100 records each, read from the start every time: no
 * offsets are committed) while two threads pause and resume them in a loop, then resumes them and reads. A
 * partition that delivers nothing within 4 s, and again for 3 s more, is reported with its fetch state from
 * librdkafka's statistics, then assigned again by itself to show that this makes it deliver. Not part of any build
 * or test: a tool for checking a librdkafka version (on 2.0.2, Debian 12, 2 cores: 9 of 400 rounds stalled a
 * partition, all 9 in fetch state `stopped`, all 9 delivering once assigned again).
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PARTITIONS 12

static rd_kafka_t *consumer;
static rd_kafka_topic_partition_list_t *all;
static atomic_int churning;
static char *statistics;

static int keep_statistics(rd_kafka_t *rk, char *json, size_t length, void *opaque) {
    free(statistics);
    statistics = strdup(json);
    return 0;
}

static void *churn(void *unused) {
    while (atomic_load(&churning)) {
        rd_kafka_pause_partitions(consumer, all);
        rd_kafka_resume_partitions(consumer, all);
    }
    return NULL;
}

/* Polls for up to `limit` polls of 10 ms, counting records per partition; stops early once every partition
 * delivered or, after `quiet_after` polls, at the first empty poll. */
static void read_records(int got[PARTITIONS], int limit, int quiet_after) {
    int seen = 0;
    for (int i = 0; i < limit && seen < PARTITIONS; i++) {
        rd_kafka_message_t *message = rd_kafka_consumer_poll(consumer, 10);
        if (message && !message->err && message->partition >= 0 && message->partition < PARTITIONS) {
            if (!got[message->partition]++) seen++;
        }
        if (message) rd_kafka_message_destroy(message);
        if (!message && i > quiet_after) break;
    }
}

/* The `"fetch_state":"…"` of `partition` in the last statistics document, or "?". */
static const char *fetch_state(int partition, char *buffer, size_t size) {
    char key[48];
    snprintf(key, sizeof key, "\"partition\":%d,", partition);
    const char *entry = statistics ? strstr(statistics, key) : NULL;
    const char *state = entry ? strstr(entry, "\"fetch_state\":\"") : NULL;
    if (!state) return "?";
    state += strlen("\"fetch_state\":\"");
    size_t length = strcspn(state, "\"");
    snprintf(buffer, size, "%.*s", (int)(length < size - 1 ? length : size - 1), state);
    return buffer;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 100;
    char error[512];
    rd_kafka_t *host = rd_kafka_new(RD_KAFKA_PRODUCER, rd_kafka_conf_new(), error, sizeof error);
    rd_kafka_mock_cluster_t *cluster = rd_kafka_mock_cluster_new(host, 1);
    const char *bootstrap = rd_kafka_mock_cluster_bootstraps(cluster);
    rd_kafka_mock_topic_create(cluster, "race", PARTITIONS, 1);

    rd_kafka_conf_t *producer_conf = rd_kafka_conf_new();
    rd_kafka_conf_set(producer_conf, "bootstrap.servers", bootstrap, error, sizeof error);
    rd_kafka_t *producer = rd_kafka_new(RD_KAFKA_PRODUCER, producer_conf, error, sizeof error);
    for (int i = 0; i < PARTITIONS * 100; i++) {
        rd_kafka_producev(producer, RD_KAFKA_V_TOPIC("race"), RD_KAFKA_V_PARTITION(i % PARTITIONS), RD_KAFKA_V_VALUE("x", 1),
                          RD_KAFKA_V_END);
    }
    rd_kafka_flush(producer, 10000);

    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, error, sizeof error);
    rd_kafka_conf_set(conf, "group.id", "race", error, sizeof error);
    rd_kafka_conf_set(conf, "auto.offset.reset", "earliest", error, sizeof error);
    rd_kafka_conf_set(conf, "enable.auto.commit", "false", error, sizeof error);
    rd_kafka_conf_set(conf, "statistics.interval.ms", "1000", error, sizeof error);
    rd_kafka_conf_set_stats_cb(conf, keep_statistics);
    consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
    rd_kafka_poll_set_consumer(consumer);
    all = rd_kafka_topic_partition_list_new(PARTITIONS);
    for (int i = 0; i < PARTITIONS; i++) rd_kafka_topic_partition_list_add(all, "race", i);

    int stalled_rounds = 0, repaired = 0, stalled = 0;
    for (int round = 0; round < rounds; round++) {
        pthread_t threads[2];
        atomic_store(&churning, 1);
        for (int t = 0; t < 2; t++) pthread_create(&threads[t], NULL, churn, NULL);
        rd_kafka_incremental_assign(consumer, all);
        usleep(5000 + rand() % 10000);
        atomic_store(&churning, 0);
        for (int t = 0; t < 2; t++) pthread_join(threads[t], NULL);
        rd_kafka_resume_partitions(consumer, all);

        int got[PARTITIONS] = {0};
        read_records(got, 20000, 400);
        int silent = 0;
        for (int p = 0; p < PARTITIONS; p++) silent += !got[p];
        if (silent) read_records(got, 300, 300);
        for (int p = 0; p < PARTITIONS; p++) {
            if (got[p]) continue;
            char state[32];
            stalled++;
            printf("round %d: partition %d delivered nothing for 7 s (fetch state %s)", round, p, fetch_state(p, state, sizeof state));
            rd_kafka_topic_partition_list_t *one = rd_kafka_topic_partition_list_new(1);
            rd_kafka_topic_partition_list_add(one, "race", p);
            rd_kafka_error_t *failure = rd_kafka_incremental_unassign(consumer, one);
            if (!failure) failure = rd_kafka_incremental_assign(consumer, one);
            if (failure) {
                printf("; assigning it again failed: %s\n", rd_kafka_error_string(failure));
                rd_kafka_error_destroy(failure);
            } else {
                int again[PARTITIONS] = {0};
                read_records(again, 300, 300);
                printf("; assigned again, it %s\n", again[p] ? "delivers" : "still delivers nothing");
                repaired += again[p] > 0;
            }
            rd_kafka_topic_partition_list_destroy(one);
        }
        stalled_rounds += silent > 0;
        rd_kafka_incremental_unassign(consumer, all);
        for (int i = 0; i < 20; i++) {
            rd_kafka_message_t *message = rd_kafka_consumer_poll(consumer, 5);
            if (message) rd_kafka_message_destroy(message);
        }
    }
    printf("rounds with a stalled partition: %d of %d; stalled partitions delivering once assigned again: %d of %d\n",
           stalled_rounds, rounds, repaired, stalled);
    return 0;
}
