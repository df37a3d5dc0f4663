package io.streamctr.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamctr.flink.TestExamples;
import io.streamctr.schemas.Example;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchCursorTest {

    @Test
    void batchesStayFullAndContinueFromTheStartAfterTheEnd() {
        List<Example> examples = TestExamples.examples(10, 1);
        BatchCursor cursor = new BatchCursor(examples, 4);

        assertThat(cursor.next()).containsExactlyElementsOf(examples.subList(0, 4));
        assertThat(cursor.next()).containsExactlyElementsOf(examples.subList(4, 8));
        List<Example> wrapped = cursor.next();
        assertThat(wrapped).hasSize(4);
        assertThat(wrapped.subList(0, 2)).containsExactlyElementsOf(examples.subList(8, 10));
        assertThat(wrapped.subList(2, 4)).containsExactlyElementsOf(examples.subList(0, 2));
        assertThat(cursor.passes()).isEqualTo(1);
    }

    @Test
    void aBatchLargerThanTheDataRepeatsIt() {
        List<Example> examples = TestExamples.examples(3, 2);
        List<Example> batch = new BatchCursor(examples, 7).next();

        assertThat(batch).hasSize(7);
        assertThat(batch.get(6)).isSameAs(examples.get(0));
    }

    @Test
    void rejectsNoExamplesOrAnEmptyBatch() {
        assertThatThrownBy(() -> new BatchCursor(List.of(), 4))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BatchCursor(TestExamples.examples(2, 1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
