package io.streamctr.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import io.streamctr.model.ModelRegistry;
import io.streamctr.model.features.EventRows;
import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * AdaGrad's accumulator takes the squares of each event's own gradient of a row, summed over the
 * batch ({@link TouchedRows#perEvent}), not the square of their sum. On k events with the same
 * inputs, every coordinate's gradient is c·(p − y_e) with the same c and p, so the first AdaGrad
 * step from n = 0 moves each coordinate by η·|Σ(p − y_e)| / √Σ(p − y_e)², whatever the model: η·√k
 * when the labels agree. Taking the batch as one event would move it by η.
 */
class PerEventSquaresTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(8, 1 << 10, List.of(), List.of("genres"), 4, List.of(), "genres", 8);
    private static final float ETA = TrainerConfig.defaults().embeddingLearningRate();

    @ParameterizedTest
    @ValueSource(strings = {"lr", "dnn-tiny", "din-tiny"})
    void kEventsWithTheSameInputsAndLabelMoveEachCoordinateEtaTimesRootK(String model) {
        int k = 5;
        assertThat(steps(model, same(k, 1, 1), true))
                .allSatisfy(
                        d ->
                                assertThat(d)
                                        .isCloseTo(
                                                ETA * Math.sqrt(k),
                                                org.assertj.core.api.Assertions.within(
                                                        1e-3 * ETA)));
        assertThat(steps(model, same(k, 1, 1), false))
                .allSatisfy(
                        d ->
                                assertThat(d)
                                        .isCloseTo(
                                                ETA,
                                                org.assertj.core.api.Assertions.within(
                                                        1e-3 * ETA)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lr", "dnn-tiny"})
    void eventsWithOppositeLabelsAccumulateBothSquares(String model) {
        List<Example> batch = same(3, 0, 1); // labels 0, 1, 1
        double p;
        try (OnlineTrainer trainer = trainer(model)) {
            p = trainer.predict(new FeatureEncoder(SPEC).encode(batch))[0];
        }
        double expected = ETA * Math.abs(3 * p - 2) / Math.sqrt(p * p + 2 * (p - 1) * (p - 1));
        // the batch taken as one event would move each coordinate by η
        assertThat(expected).isNotCloseTo(ETA, org.assertj.core.api.Assertions.within(0.2 * ETA));
        assertThat(steps(model, batch, true))
                .allSatisfy(
                        d ->
                                assertThat(d)
                                        .isCloseTo(
                                                expected,
                                                org.assertj.core.api.Assertions.within(
                                                        1e-3 * ETA)));
    }

    @Test
    void eachEventsIdsPointAtItsOwnPairOfTheRow() {
        List<Example> batch = Examples.random(6, 3);
        FeatureBatch encoded = new FeatureEncoder(SPEC).encode(batch);
        EventRows pairs = encoded.eventRows();
        long[] original =
                encoded.toNDList(ai.djl.ndarray.NDManager.newBaseManager(), (long[]) null)
                        .get(FeatureBatch.MULTI_IDS)
                        .toLongArray();
        // a pair's row is the id it replaces, and no pair is shared between two events
        int perEvent = SPEC.multiValuedCount() * SPEC.maxValuesPerField();
        int[] owner = new int[pairs.size()];
        java.util.Arrays.fill(owner, -1);
        for (int j = 0; j < original.length; j++) {
            int pair = (int) pairs.multiIds()[j];
            assertThat(pairs.rows()[pair]).isEqualTo(original[j]);
            int event = j / perEvent;
            assertThat(owner[pair] == -1 || owner[pair] == event).isTrue();
            owner[pair] = event;
        }
        assertThat(pairs.size()).isGreaterThan(encoded.distinctRows().length / 2);
    }

    /** The absolute moves of the embedding coordinates that one step moved by more than η/10. */
    private static List<Double> steps(String model, List<Example> batch, boolean perEvent) {
        try (OnlineTrainer trainer = trainer(model)) {
            trainer.perEventSquares(perEvent);
            List<Parameter> tables =
                    new ModelParameters(trainer.block(), List.of()).embeddingTables;
            assertThat(tables).isNotEmpty();
            List<float[]> before = new ArrayList<>();
            for (Parameter t : tables) {
                before.add(t.getArray().toFloatArray());
            }
            assertThat(trainer.train(new FeatureEncoder(SPEC).encode(batch)).skipped()).isFalse();
            List<Double> moves = new ArrayList<>();
            for (int i = 0; i < tables.size(); i++) {
                float[] after = tables.get(i).getArray().toFloatArray();
                for (int j = 0; j < after.length; j++) {
                    double d = Math.abs(after[j] - before.get(i)[j]);
                    if (d > ETA / 10) {
                        moves.add(d);
                    }
                }
            }
            assertThat(moves).as("%s: coordinates moved", model).hasSizeGreaterThan(3);
            return moves;
        }
    }

    private static OnlineTrainer trainer(String model) {
        return new OnlineTrainer(
                model,
                ModelRegistry.create(model, SPEC),
                SPEC,
                TrainerConfig.defaults().withBaseRateHalfLife(0),
                Device.cpu());
    }

    /**
     * Events with the inputs of one random example, the first labelled {@code first}, the rest
     * {@code rest}.
     */
    private static List<Example> same(int k, int first, int rest) {
        Example e = Examples.random(1, 7).get(0);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            ClickEvent event =
                    ClickEvent.newBuilder(e.getEvent())
                            .setEventId("e" + i)
                            .setLabel(i == 0 ? first : rest)
                            .build();
            out.add(new Example(event, e.getHistory()));
        }
        return out;
    }
}
