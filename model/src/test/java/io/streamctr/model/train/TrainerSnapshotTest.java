package io.streamctr.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The snapshot codec on its own: both formats, and clear errors for bytes it cannot read. */
class TrainerSnapshotTest {

    private static final byte[] ARRAYS = {9, 8, 7, 6, 5};

    private static TrainerSnapshot plain() {
        return new TrainerSnapshot("dnn-tiny", 12, 3, null, ARRAYS);
    }

    private static TrainerSnapshot searching() {
        return new TrainerSnapshot(
                "optfusion-soft",
                40,
                1,
                new TrainerSnapshot.SearchState(
                        TrainingStage.RETRAIN, 2_048, 32, new byte[] {1, 2, 3}),
                ARRAYS);
    }

    @Test
    void aPlainSnapshotIsFormatOneAndReadsBack() {
        byte[] bytes = plain().toBytes();
        assertThat(bytes[0]).isEqualTo((byte) 1);
        // version, UTF name (2 + 8), step, skipped, array length, arrays
        assertThat(bytes).hasSize(1 + 2 + 8 + 8 + 8 + 4 + ARRAYS.length);

        TrainerSnapshot read = TrainerSnapshot.fromBytes(bytes);
        assertThat(read.modelName()).isEqualTo("dnn-tiny");
        assertThat(read.step()).isEqualTo(12);
        assertThat(read.skippedSteps()).isEqualTo(3);
        assertThat(read.search()).isNull();
        assertThat(read.arrays()).containsExactly(ARRAYS);
        assertThat(read.toBytes()).isEqualTo(bytes);
    }

    @Test
    void aSearchSnapshotIsFormatTwoAndReadsBack() {
        byte[] bytes = searching().toBytes();
        assertThat(bytes[0]).isEqualTo((byte) 2);

        TrainerSnapshot read = TrainerSnapshot.fromBytes(bytes);
        assertThat(read.search().stage()).isEqualTo(TrainingStage.RETRAIN);
        assertThat(read.search().searchedEvents()).isEqualTo(2_048);
        assertThat(read.search().weightStepOffset()).isEqualTo(32);
        assertThat(read.search().architecture()).containsExactly(1, 2, 3);
        assertThat(read.arrays()).containsExactly(ARRAYS);
        assertThat(read.toBytes()).isEqualTo(bytes);
    }

    @Test
    void anUnknownFormatNamesTheFormatsRead() {
        byte[] bytes = plain().toBytes();
        bytes[0] = 4;
        assertThatThrownBy(() -> TrainerSnapshot.fromBytes(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format 4")
                .hasMessageContaining(
                        "1 (without architecture search), 2 (with architecture search) and 3 (with"
                                + " an embedding rule");
    }

    @Test
    void anotherEmbeddingRuleOrABaseRateIsFormatThreeAndReadsBack() {
        TrainerSnapshot.BaseRateState rate =
                new TrainerSnapshot.BaseRateState(10_000, 1_234.5, 6.25);
        for (TrainerSnapshot.SearchState search :
                new TrainerSnapshot.SearchState[] {null, searching().search()}) {
            for (EmbeddingOptimizer rule : EmbeddingOptimizer.values()) {
                for (TrainerSnapshot.BaseRateState counts :
                        new TrainerSnapshot.BaseRateState[] {null, rate}) {
                    TrainerSnapshot written =
                            new TrainerSnapshot("m", 5, 1, search, rule, counts, ARRAYS);
                    byte[] bytes = written.toBytes();
                    boolean old = rule == EmbeddingOptimizer.ADAM && counts == null;
                    assertThat(bytes[0])
                            .as("%s, %s, %s", search, rule, counts)
                            .isEqualTo((byte) (old ? (search == null ? 1 : 2) : 3));
                    TrainerSnapshot read = TrainerSnapshot.fromBytes(bytes);
                    assertThat(read.embeddingOptimizer()).isEqualTo(rule);
                    assertThat(read.baseRate()).isEqualTo(counts);
                    assertThat(read.search() == null).isEqualTo(search == null);
                    assertThat(read.arrays()).containsExactly(ARRAYS);
                    assertThat(read.toBytes()).isEqualTo(bytes);
                }
            }
        }
    }

    @Test
    void formatThreeWithUnknownFlagsIsRejected() {
        byte[] bytes =
                new TrainerSnapshot("m", 5, 1, null, EmbeddingOptimizer.FTRL, null, ARRAYS)
                        .toBytes();
        int flagsAt = 1 + 2 + 1 + 8 + 8;
        assertThat(bytes[flagsAt]).isZero();
        bytes[flagsAt] = 4;
        assertThatThrownBy(() -> TrainerSnapshot.fromBytes(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown flags 4");
    }

    @Test
    void truncatedOrTrailingBytesAreRejected() {
        byte[] bytes = searching().toBytes();
        for (int length : new int[] {0, 5, 30, bytes.length - 1}) {
            assertThatThrownBy(() -> TrainerSnapshot.fromBytes(Arrays.copyOf(bytes, length)))
                    .as("%d of %d bytes", length, bytes.length)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> TrainerSnapshot.fromBytes(Arrays.copyOf(bytes, bytes.length + 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 bytes after its end");
    }

    @Test
    void aStageOtherThanSearchOrRetrainIsRejected() {
        byte[] bytes = searching().toBytes();
        int stageAt = 1 + 2 + "optfusion-soft".length() + 8 + 8;
        assertThat(bytes[stageAt]).isEqualTo((byte) TrainingStage.RETRAIN.ordinal());
        bytes[stageAt] = (byte) TrainingStage.FIXED.ordinal();
        assertThatThrownBy(() -> TrainerSnapshot.fromBytes(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stage 0");
    }
}
