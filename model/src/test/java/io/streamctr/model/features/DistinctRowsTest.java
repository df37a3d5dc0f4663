package io.streamctr.model.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class DistinctRowsTest {

    @Test
    void distinctRowsAreEveryUsedRowOnceInOrder() {
        FeatureSpec spec =
                new FeatureSpec(4, 64, List.of(), List.of("genres"), 4, List.of(), "genres", 6);
        for (long seed = 1; seed <= 5; seed++) {
            FeatureBatch batch = new FeatureEncoder(spec).encode(Examples.random(40, seed));

            LongStream all =
                    LongStream.concat(
                            Arrays.stream(batch.categorical), Arrays.stream(batch.multiIds));
            for (int s = 0; s < batch.sequenceItems.length; s++) {
                all =
                        LongStream.concat(
                                all,
                                LongStream.concat(
                                        Arrays.stream(batch.sequenceItems[s]),
                                        Arrays.stream(batch.sequenceSides[s])));
            }
            long[] expected = all.sorted().distinct().toArray();

            assertThat(batch.distinctRows()).containsExactly(expected);
            assertThat(expected).contains(0L); // padding is used (short sequences) and kept
        }
    }
}
