package io.streamctr.flink;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.junit.jupiter.api.Test;

class StreamCtrJobTest {

    @Test
    void takesTheRestorePathThatFlinkRunSetInTheEnvironment() {
        // `flink run -s PATH`: the path is in the context environment's configuration only
        Configuration environment = new Configuration();
        environment.set(StateRecoveryOptions.SAVEPOINT_PATH, "file:///savepoints/sp-1");
        Configuration options = new Configuration();

        StreamCtrJob.withRestorePath(environment, options);

        assertThat(options.get(StateRecoveryOptions.SAVEPOINT_PATH))
                .isEqualTo("file:///savepoints/sp-1");
    }

    @Test
    void keepsAPathGivenAsAnOptionAndAddsNoneWhenThereIsNone() {
        Configuration environment = new Configuration();
        environment.set(StateRecoveryOptions.SAVEPOINT_PATH, "file:///savepoints/other");
        Configuration options = new Configuration();
        options.set(StateRecoveryOptions.SAVEPOINT_PATH, "file:///savepoints/sp-2");

        StreamCtrJob.withRestorePath(environment, options);
        Configuration none = new Configuration();
        StreamCtrJob.withRestorePath(new Configuration(), none);

        assertThat(options.get(StateRecoveryOptions.SAVEPOINT_PATH))
                .isEqualTo("file:///savepoints/sp-2");
        assertThat(none.getOptional(StateRecoveryOptions.SAVEPOINT_PATH)).isEmpty();
    }
}
