package io.streamctr.flink.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class AuthenticationCheckingContextTest {

    @Test
    void findsARefusedLoginDeepInTheCauses() {
        SaslAuthenticationException refused =
                new SaslAuthenticationException("Authentication failed: Invalid username");
        Throwable wrapped =
                new FlinkRuntimeException(
                        "Failed to list subscribed topic partitions",
                        new ExecutionException(refused));

        assertThat(AuthenticationCheckingContext.refusal(wrapped)).isSameAs(refused);
    }

    @Test
    void findsADeniedTopic() {
        TopicAuthorizationException denied = new TopicAuthorizationException("ctr.events");

        assertThat(AuthenticationCheckingContext.refusal(new RuntimeException(denied)))
                .isSameAs(denied);
    }

    @Test
    void leavesOtherFailuresToTheRestartStrategy() {
        assertThat(AuthenticationCheckingContext.refusal(null)).isNull();
        assertThat(
                        AuthenticationCheckingContext.refusal(
                                new FlinkRuntimeException(new TimeoutException("no broker"))))
                .isNull();
    }
}
