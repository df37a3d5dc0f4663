package io.streamctr.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.runtime.DjlRuntime;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The labelled events per touched row that AdaGrad and FTRL divide a row's squared gradient by, against brute force. */
class RowEventCountsTest {

    private static final FeatureSpec SPEC = new FeatureSpec(4, 64, List.of(), List.of("genres"), 4, List.of(), "genres", 6);

    @Test
    void eachRowCountsTheLabelledEventsThatUseIt() {
        DjlRuntime.configure();
        FeatureEncoder encoder = new FeatureEncoder(SPEC);
        List<Example> examples = new ArrayList<>(Examples.random(24, 5));
        Example unlabelled = examples.get(3);
        examples.set(3, Example.newBuilder(unlabelled).setEvent(ClickEvent.newBuilder(unlabelled.getEvent()).setLabel(null).build()).build());
        FeatureBatch batch = encoder.encode(examples);
        long[] rows = batch.distinctRows();
        float[] expected = new float[rows.length];
        for (Example e : examples) {
            if (e.getEvent().getLabel() == null) {
                continue;
            }
            for (long row : encoder.encode(List.of(e)).distinctRows()) {
                expected[Arrays.binarySearch(rows, row)]++;
            }
        }
        for (boolean copied : new boolean[] {true, false}) {
            try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
                TouchedRows touched = copied ? TouchedRows.copies(rows, List.of(), manager) : TouchedRows.wholeTables(rows, manager);
                touched.countEvents(batch, touched.inputs(batch, manager));
                float[] counts = touched.eventsPerRow().toFloatArray();
                for (int i = 0; i < rows.length; i++) {
                    assertThat(counts[i]).as("row %d (copied %s)", rows[i], copied).isEqualTo(Math.max(1, expected[i]));
                }
                float most = 0;
                for (float c : expected) {
                    most = Math.max(most, c);
                }
                assertThat(most).as("some row is shared by several events").isGreaterThan(2);
            }
        }
    }
}
