package io.streamctr.model.interformer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.runtime.DjlRuntime;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The ablations of the paper's Figure 2 cut the flows they name, and only those.
 *
 * <p>The classifier reads [flatten(X_sum⁽ᴸ⁾) ‖ flatten(S_sum⁽ᴸ⁾)], the final outputs of the two
 * arches. Zeroing the columns of its first layer that read one summary (and the wide term) leaves a
 * logit that is a function of the other summary alone, so the model's public forward pass shows
 * whether an arch's output depends on the other arch's input. X_sum⁽ᴸ⁾ comes from every layer of
 * the Interaction Arch and S_sum⁽ᴸ⁾ from every layer of the Sequence Arch, so a flow left open in
 * any layer changes the probe. Perturbations: the behaviour sequences' item ids (sequence input);
 * the user and city ids, the genre bag and the numeric value (non-sequence input).
 *
 * <ul>
 *   <li>sequence → non-sequence (S_sum in the interaction): open in S2N, INT and SOLE (pooled
 *       sequences), cut in SEP and N2S;
 *   <li>non-sequence → sequence (PFFN weight and CLS tokens): open in N2S and INT, cut in SEP, S2N
 *       and SOLE.
 * </ul>
 *
 * Each arch's own input always changes its own summary: the probes are live.
 */
class InterFormerFlowsTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(
                    8, 64, List.of("city"), List.of("genres"), 3, List.of("age"), "genres", 5);
    private static final int ROWS = 6;

    /** Bit for bit is expected where a flow is cut; the changes where it is open are above 1e-4. */
    private static final double UNCHANGED = 1e-7;

    private static final double CHANGED = 1e-4;

    /** No layer left open. */
    private static final int NONE = -1;

    /** The paper's Figure 2, written out here rather than read from the Mode under test. */
    private static final Set<InterFormerConfig.Mode> SEQUENCE_TO_NON_SEQUENCE =
            EnumSet.of(
                    InterFormerConfig.Mode.SOLE,
                    InterFormerConfig.Mode.S2N,
                    InterFormerConfig.Mode.INT);

    private static final Set<InterFormerConfig.Mode> NON_SEQUENCE_TO_SEQUENCE =
            EnumSet.of(InterFormerConfig.Mode.N2S, InterFormerConfig.Mode.INT);

    /** Six rows with a city, an age, genres and both histories, the second one with none. */
    static FeatureBatch batch() {
        Random r = new Random(17);
        List<Example> examples = new ArrayList<>();
        int row = 0;
        for (Example e : Examples.random(ROWS, 19)) {
            ClickEvent event =
                    ClickEvent.newBuilder(e.getEvent())
                            .setCategorical(Map.of("city", "c" + r.nextInt(5)))
                            .setNumeric(Map.of("age", r.nextFloat() * 2 - 1))
                            .build();
            examples.add(
                    Example.newBuilder(e)
                            .setEvent(event)
                            .setHistory(
                                    row == 1
                                            ? Examples.emptyHistory()
                                            : Examples.history(r, 3 + r.nextInt(4)))
                            .build());
            row++;
        }
        return new FeatureEncoder(SPEC).encode(examples);
    }

    /** The sequences' items replaced by other items (same positions, same mask). */
    static NDList perturbSequences(NDList inputs, NDManager manager) {
        NDList out = copy(inputs);
        for (int s = 0; s < SPEC.sequenceCount(); s++) {
            int i = FeatureBatch.sequenceItemsIndex(s);
            long[] items = otherRows(inputs.get(i).toLongArray(), FeatureSpec.itemGroup());
            out.set(i, manager.create(items, inputs.get(i).getShape()));
        }
        return out;
    }

    /**
     * Other user and city ids, other genres, another age; the target item and sequences as they
     * were.
     */
    static NDList perturbNonSequence(NDList inputs, NDManager manager) {
        NDList out = copy(inputs);
        long[] cat = inputs.get(FeatureBatch.CATEGORICAL).toLongArray();
        int f = SPEC.categoricalCount();
        for (int row = 0; row < ROWS; row++) {
            int user = row * f + FeatureSpec.userGroup();
            int city = row * f + FeatureSpec.FIXED_GROUPS; // the first categorical field's token
            cat[user] = otherRow(cat[user], FeatureSpec.userGroup());
            cat[city] = otherRow(cat[city], SPEC.categoricalGroup(0));
        }
        out.set(
                FeatureBatch.CATEGORICAL,
                manager.create(cat, inputs.get(FeatureBatch.CATEGORICAL).getShape()));
        out.set(FeatureBatch.NUMERIC, inputs.get(FeatureBatch.NUMERIC).add(1.5f));
        NDArray multi = inputs.get(FeatureBatch.MULTI_IDS);
        long[] genres = otherRows(multi.toLongArray(), SPEC.multiValuedGroup(0));
        out.set(FeatureBatch.MULTI_IDS, manager.create(genres, multi.getShape()));
        return out;
    }

    private static NDList copy(NDList inputs) {
        NDList out = new NDList(inputs.size());
        out.addAll(inputs);
        return out;
    }

    /** Every non-padding id moved to another row of its group. */
    private static long[] otherRows(long[] ids, int group) {
        long[] out = ids.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] != 0) {
                out[i] = otherRow(out[i], group);
            }
        }
        return out;
    }

    /** Another row of the same group: the id moved by 1 to buckets − 1 places within the group. */
    private static long otherRow(long id, int group) {
        long first = SPEC.row(group, 0);
        int n = SPEC.bucketsPerField();
        long offset = 1 + Math.floorMod(7 * id, n - 1);
        return first + Math.floorMod(id - first + offset, n);
    }

    /** The two probes of one model: logits from X_sum⁽ᴸ⁾ alone and from S_sum⁽ᴸ⁾ alone. */
    private static final class Probes implements AutoCloseable {

        final InterFormerModel model;
        final NDManager manager;
        final NDArray weight; // classifier's first layer [hidden, (C + T)·D]
        final float[] original;
        final int split; // C·D: the columns of X_sum

        Probes(InterFormerConfig.Mode mode) {
            InterFormerConfig config = InterFormerConfig.tiny().withMode(mode);
            model = new InterFormerModel(SPEC, config);
            manager = DjlRuntime.engine().newBaseManager(Device.cpu());
            DjlRuntime.engine().setRandomSeed(13);
            model.initialize(manager, DataType.FLOAT32, FeatureBatch.inputShapes(SPEC, 1));
            Block wide = child(model, "wide");
            wide.getParameters()
                    .get(0)
                    .getValue()
                    .getArray()
                    .muli(0f); // the wide term reads categorical ids only
            SequentialBlock classifier = (SequentialBlock) child(model, "classifier");
            weight =
                    classifier
                            .getChildren()
                            .get(0)
                            .getValue()
                            .getParameters()
                            .get("weight")
                            .getArray();
            original = weight.toFloatArray();
            split = config.clsTokens() * config.dim();
            assertThat(weight.getShape().get(1)).isEqualTo(model.classifierInputWidth());
        }

        /**
         * Closes the self-gate of a summary block ("seq_summary_0", "nonseq_summary_1", ...): its
         * output becomes exactly zero (weight 0, bias −1000: σ = 0), whatever its input.
         */
        void close(String summary) {
            Block gate = child(child(child(model, summary), "gating"), "gate");
            gate.getParameters().get("weight").getArray().muli(0f);
            NDArray bias = gate.getParameters().get("bias").getArray();
            float[] closed = new float[(int) bias.size()];
            Arrays.fill(closed, -1000f);
            bias.set(closed);
        }

        /**
         * Closes the summaries prefix + l of the layers l = 0..L−1 except {@code open} ({@link
         * #NONE}: all of them); the final summary (index L, the classifier's input) stays open.
         */
        void closeAllBut(String prefix, int open) {
            for (int l = 0; l < model.config().layers(); l++) {
                if (l != open) {
                    close(prefix + l);
                }
            }
        }

        /** Logits [B] that read only X_sum⁽ᴸ⁾ (nonSequence) or only S_sum⁽ᴸ⁾. */
        float[] logits(NDList inputs, boolean nonSequence) {
            weight.set(original);
            weight.set(
                    nonSequence ? new NDIndex(":, {}:", split) : new NDIndex(":, :{}", split), 0f);
            try {
                ParameterStore ps = new ParameterStore(manager, false);
                return model.forward(ps, inputs, false).singletonOrThrow().toFloatArray(); // [B]
            } finally {
                weight.set(original);
            }
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    private static Block child(Block parent, String name) {
        return parent.getChildren().stream()
                .filter(c -> c.getKey().replaceFirst("^\\d+", "").equals(name))
                .map(Pair::getValue)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no child " + name));
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(InterFormerConfig.Mode.class)
    void theSequenceReachesTheNonSequenceSummaryOnlyWhereTheModeLetsIt(
            InterFormerConfig.Mode mode) {
        boolean open = SEQUENCE_TO_NON_SEQUENCE.contains(mode);
        try (Probes p = new Probes(mode)) {
            NDList inputs = batch().toNDList(p.manager);
            NDList perturbed = perturbSequences(inputs, p.manager);
            double nonSequence = maxDifference(p.logits(inputs, true), p.logits(perturbed, true));
            double sequence = maxDifference(p.logits(inputs, false), p.logits(perturbed, false));
            assertThat(sequence)
                    .as("%s: the sequence changes its own summary", mode)
                    .isGreaterThan(CHANGED);
            assertOpenOnlyWhere(open, nonSequence, mode + ": sequence → non-sequence");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(InterFormerConfig.Mode.class)
    void theNonSequenceFeaturesReachTheSequenceSummaryOnlyWhereTheModeLetsThem(
            InterFormerConfig.Mode mode) {
        boolean open = NON_SEQUENCE_TO_SEQUENCE.contains(mode);
        try (Probes p = new Probes(mode)) {
            NDList inputs = batch().toNDList(p.manager);
            NDList perturbed = perturbNonSequence(inputs, p.manager);
            double nonSequence = maxDifference(p.logits(inputs, true), p.logits(perturbed, true));
            double sequence = maxDifference(p.logits(inputs, false), p.logits(perturbed, false));
            assertThat(nonSequence)
                    .as("%s: the features change their own summary", mode)
                    .isGreaterThan(CHANGED);
            assertOpenOnlyWhere(open, sequence, mode + ": non-sequence → sequence");
        }
    }

    /**
     * Layer by layer: with the sequence summaries of every layer but one closed, the sequence still
     * reaches X_sum⁽ᴸ⁾ through that layer's Interaction Arch; with all of them closed it does not
     * (they are its only way in).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = InterFormerConfig.Mode.class,
            names = {"S2N", "INT"})
    void everyLayerPassesTheSequenceSummaryToTheInteraction(InterFormerConfig.Mode mode) {
        for (int open = NONE; open < InterFormerConfig.tiny().layers(); open++) {
            try (Probes p = new Probes(mode)) {
                p.closeAllBut("seq_summary_", open);
                NDList inputs = batch().toNDList(p.manager);
                NDList perturbed = perturbSequences(inputs, p.manager);
                double nonSequence =
                        maxDifference(p.logits(inputs, true), p.logits(perturbed, true));
                assertOpenOnlyWhere(
                        open != NONE,
                        nonSequence,
                        mode + ": sequence → non-sequence through layer " + open);
            }
        }
    }

    /**
     * Layer by layer: with the non-sequence summaries of every layer but one closed, the features
     * still reach S_sum⁽ᴸ⁾ through that layer (CLS tokens and PFFN at layer 0, PFFN after); with
     * all of them closed they do not (they are their only way in).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = InterFormerConfig.Mode.class,
            names = {"N2S", "INT"})
    void everyLayerPassesTheNonSequenceSummaryToTheSequenceArch(InterFormerConfig.Mode mode) {
        for (int open = NONE; open < InterFormerConfig.tiny().layers(); open++) {
            try (Probes p = new Probes(mode)) {
                p.closeAllBut("nonseq_summary_", open);
                NDList inputs = batch().toNDList(p.manager);
                NDList perturbed = perturbNonSequence(inputs, p.manager);
                double sequence =
                        maxDifference(p.logits(inputs, false), p.logits(perturbed, false));
                assertOpenOnlyWhere(
                        open != NONE,
                        sequence,
                        mode + ": non-sequence → sequence through layer " + open);
            }
        }
    }

    private static void assertOpenOnlyWhere(boolean open, double change, String what) {
        if (open) {
            assertThat(change).as("%s is open", what).isGreaterThan(CHANGED);
        } else {
            assertThat(change).as("%s is cut", what).isLessThanOrEqualTo(UNCHANGED);
        }
    }
}
