package io.streamctr.flink.source;

/**
 * Kafka refused the job's login (or denied it access): check the {@code kafka.properties.*}
 * settings ({@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}).
 */
public final class KafkaAuthenticationFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    KafkaAuthenticationFailedException(String servers, Throwable refusal) {
        super(
                "Kafka authentication failed at "
                        + servers
                        + ": "
                        + refusal.getMessage()
                        + " (check the kafka.properties.* settings: security.protocol,"
                        + " sasl.mechanism, sasl.jaas.config)",
                refusal);
    }
}
