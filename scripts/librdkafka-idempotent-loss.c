/*
 * Shows how librdkafka's mock cluster loses a record its idempotent producer reported delivered: why `KafkaProducer`
 * counts a record delivered only once the broker gave it an offset, and sends one acknowledged without an offset again
 * (Sources/Kafka/DeliveryBatch.swift; `KafkaFaultTests` repeats the first case).
 *
 *   cc -O1 -o /tmp/idempotent-loss scripts/librdkafka-idempotent-loss.c $(pkg-config --cflags --libs rdkafka)
 *   /tmp/idempotent-loss          # one line per case; exit status 1 when a case without a fault lost a record
 *
 * Record A goes out in Produce request R1, record B of the same partition in R2 while R1 is still in flight (the
 * broker's RTT keeps both out). The mock refuses R1 (an injected REQUEST_TIMED_OUT or NOT_LEADER) and takes R2. The
 * producer, seeing R2's later sequence acknowledged, counts R1 as written too (librdkafka's "implicit
 * acknowledgement", delivered at offset -1001): right against a real broker, which checks an idempotent producer's
 * sequence numbers and would have refused R2 with OUT_OF_ORDER_SEQUENCE_NUMBER; the mock checks them for
 * transactional producers only, and never wrote A. The fault suite's `broker` scenario (injected Produce errors and
 * leader moves) lost terminal events this way: stop 41's, and with 200 ms of RTT added to its rounds 3 runs of 13
 * lost one (1 of 4 with the Produce errors, 2 of 9 with leader moves alone: a request refused by the old leader while
 * the next batch was taken by the new one); with the resend, 10 runs of 10 held.
 *
 * Not part of any build or test: a tool for checking a librdkafka version. On 2.0.2 (Debian 12, 2026-12-07): the
 * first four cases lose A; without a fault, and with a leader moved before both requests, nothing is lost.
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reported[3];  // per record (0 warm-up, 1 A, 2 B): 1 delivered, 2 failed

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *message, void *opaque) {
    reported[(intptr_t)message->_private] = message->err ? 2 : 1;
}

static void set(rd_kafka_conf_t *conf, const char *name, const char *value) {
    char error[256];
    if (rd_kafka_conf_set(conf, name, value, error, sizeof error) != RD_KAFKA_CONF_OK) {
        fprintf(stderr, "%s: %s\n", name, error);
        exit(2);
    }
}

static void produce(rd_kafka_t *producer, const char *value, intptr_t id) {
    memset(&reported[id], 0, sizeof reported[id]);
    rd_kafka_producev(producer, RD_KAFKA_V_TOPIC("t"), RD_KAFKA_V_VALUE((void *)value, strlen(value)),
                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE((void *)id), RD_KAFKA_V_END);
}

/* One case: a fresh 2-broker cluster, leader on broker 1; the fault, then A, then B `gap` ms later; the log read back.
 * Returns whether A was reported delivered but is not in the log. */
static int run(const char *name, rd_kafka_resp_err_t injected, int move, int rtt, int gap) {
    char error[512];
    rd_kafka_conf_t *host_conf = rd_kafka_conf_new();
    set(host_conf, "log_level", "0");
    rd_kafka_t *host = rd_kafka_new(RD_KAFKA_PRODUCER, host_conf, error, sizeof error);
    rd_kafka_mock_cluster_t *cluster = rd_kafka_mock_cluster_new(host, 2);
    const char *bootstrap = rd_kafka_mock_cluster_bootstraps(cluster);
    rd_kafka_mock_topic_create(cluster, "t", 1, 2);
    rd_kafka_mock_partition_set_leader(cluster, "t", 0, 1);

    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", bootstrap);
    set(conf, "enable.idempotence", "true");
    set(conf, "linger.ms", "0");
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    rd_kafka_t *producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    produce(producer, "w", 0);  // producer ID and metadata first
    rd_kafka_flush(producer, 10000);

    for (int broker = 1; broker <= 2; broker++) rd_kafka_mock_broker_set_rtt(cluster, broker, rtt);
    if (injected) rd_kafka_mock_push_request_errors(cluster, 0 /* Produce */, 1, injected);
    if (move) rd_kafka_mock_partition_set_leader(cluster, "t", 0, 2);
    produce(producer, "A", 1);
    rd_kafka_poll(producer, gap);
    produce(producer, "B", 2);
    rd_kafka_flush(producer, 30000);
    for (int broker = 1; broker <= 2; broker++) rd_kafka_mock_broker_set_rtt(cluster, broker, 0);

    rd_kafka_conf_t *reader_conf = rd_kafka_conf_new();
    set(reader_conf, "bootstrap.servers", bootstrap);
    set(reader_conf, "group.id", "idempotent-loss-check");
    rd_kafka_t *reader = rd_kafka_new(RD_KAFKA_CONSUMER, reader_conf, error, sizeof error);
    rd_kafka_topic_partition_list_t *all = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(all, "t", 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(reader, all);
    char log[16] = {0};
    int read = 0;
    for (int idle = 0; idle < 200 && read < 15;) {  // until 2 s without a record
        rd_kafka_message_t *message = rd_kafka_consumer_poll(reader, 10);
        if (!message) {
            idle++;
            continue;
        }
        if (!message->err && message->len == 1) log[read++] = ((const char *)message->payload)[0];
        idle = 0;
        rd_kafka_message_destroy(message);
    }
    int lost = reported[1] == 1 && !strchr(log, 'A');
    printf("%-44s A %s, B %s; the log holds \"%s\"%s\n", name, reported[1] == 1 ? "delivered" : "not delivered",
           reported[2] == 1 ? "delivered" : "not delivered", log, lost ? ": A LOST" : "");
    rd_kafka_topic_partition_list_destroy(all);
    rd_kafka_consumer_close(reader);
    rd_kafka_destroy(reader);
    rd_kafka_destroy(producer);
    rd_kafka_mock_cluster_destroy(cluster);
    rd_kafka_destroy(host);
    return lost;
}

int main(void) {
    run("REQUEST_TIMED_OUT on R1, RTT 200 ms:", RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, 0, 200, 20);
    run("REQUEST_TIMED_OUT on R1, RTT 5 ms:", RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, 0, 5, 1);
    run("NOT_LEADER on R1, RTT 200 ms:", RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, 0, 200, 20);
    run("NOT_LEADER on R1, RTT 5 ms:", RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, 0, 5, 1);
    int lost = run("no fault, RTT 200 ms:", 0, 0, 200, 20);
    lost |= run("leader moved before R1 and R2, RTT 200 ms:", 0, 1, 200, 20);
    return lost;
}
