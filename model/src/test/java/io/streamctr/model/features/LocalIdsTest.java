package io.streamctr.model.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.streamctr.model.runtime.DjlRuntime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link FeatureBatch#toNDList(NDManager, long[])}: ids become positions in the touched rows, the
 * rest is unchanged.
 */
class LocalIdsTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(4, 64, List.of(), List.of("genres"), 4, List.of(), "genres", 6);

    @Test
    void everyIdBecomesItsPositionInTheRows() {
        FeatureBatch batch = new FeatureEncoder(SPEC).encode(Examples.random(40, 3));
        long[] rows = batch.distinctRows();
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            NDList global = batch.toNDList(manager);
            NDList local = batch.toNDList(manager, rows);
            assertThat(local).hasSameSizeAs(global);
            for (int i = 0; i < global.size(); i++) {
                if (global.get(i).getDataType().isFloating()) {
                    assertThat(local.get(i).toFloatArray())
                            .as("input %d (not ids)", i)
                            .containsExactly(global.get(i).toFloatArray());
                } else {
                    long[] ids = global.get(i).toLongArray();
                    long[] positions = local.get(i).toLongArray();
                    for (int j = 0; j < ids.length; j++) {
                        assertThat(rows[(int) positions[j]])
                                .as("input %d, id %d", i, j)
                                .isEqualTo(ids[j]);
                    }
                }
            }
        }
    }

    @Test
    void rowsMustHoldEveryIdAndBeSorted() {
        FeatureBatch batch = new FeatureEncoder(SPEC).encode(Examples.random(40, 4));
        long[] rows = batch.distinctRows();
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            assertThatThrownBy(() -> batch.toNDList(manager, Arrays.copyOf(rows, rows.length - 1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("row " + rows[rows.length - 1]);
            long[] reversed = rows.clone();
            long first = reversed[0];
            reversed[0] = reversed[1];
            reversed[1] = first;
            assertThatThrownBy(() -> batch.toNDList(manager, reversed))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sorted and distinct");
        }
    }
}
