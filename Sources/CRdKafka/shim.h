#ifndef OTPPOOL_CRDKAFKA_SHIM_H
#define OTPPOOL_CRDKAFKA_SHIM_H

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

/// rd_kafka_producev is variadic and cannot be called from Swift; this fixed-arity
/// wrapper is the one produce call the Kafka module needs. `headers` is owned by
/// librdkafka on success and stays with the caller on failure.
static inline rd_kafka_resp_err_t otp_rd_kafka_produce(rd_kafka_t *rk,
                                                       rd_kafka_topic_t *rkt,
                                                       int32_t partition,
                                                       const void *key, size_t key_len,
                                                       const void *value, size_t value_len,
                                                       rd_kafka_headers_t *headers,
                                                       void *opaque) {
    return rd_kafka_producev(rk,
                             RD_KAFKA_V_RKT(rkt),
                             RD_KAFKA_V_PARTITION(partition),
                             RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                             RD_KAFKA_V_KEY(key, key_len),
                             RD_KAFKA_V_VALUE((void *)value, value_len),
                             RD_KAFKA_V_HEADERS(headers),
                             RD_KAFKA_V_OPAQUE(opaque),
                             RD_KAFKA_V_END);
}

#endif
