package io.streamctr.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import io.streamctr.model.sync.Combine;
import io.streamctr.model.sync.StateArray;
import java.util.ArrayList;
import java.util.List;

/**
 * A trainer's state as the {@link StateArray}s data-parallel replicas exchange ({@link
 * io.streamctr.model.sync.ReplicaSync}), in snapshot order: every parameter (an embedding table by
 * rows, any other as one row), the weights' two optimizer-state arrays each, the architecture
 * optimizer's, the base rate's counts and the step.
 *
 * <p>Rules ({@link Combine}): parameters MEAN; Adam's moments MEAN (dense parameters, and tables
 * under Adam); under AdaGrad a table's squared-gradient sum n SUM (its unused first array MEAN);
 * under FTRL a table's z and n SUM (the averaged weights of a row are recomputed from the summed z
 * and n at the row's next update); the architecture search's parameters and moments MEAN; the base
 * rate's decayed counts MEAN (a rate per replica, averaged); the step SUM (the combined model has
 * made every replica's updates). Not synchronised: an architecture search's stage and searched
 * events (each replica ends its search on its own count), skipped-step counters.
 */
public final class TrainerArrays {

    private TrainerArrays() {}

    /** The trainer's arrays, named {@code <prefix>…}. */
    public static List<StateArray> of(OnlineTrainer trainer, String prefix) {
        ModelParameters parameters = trainer.parameters();
        List<StateArray> out = new ArrayList<>();
        for (int i = 0; i < parameters.all.size(); i++) {
            Parameter p = parameters.all.get(i);
            boolean table = parameters.embeddingTables.stream().anyMatch(t -> t == p);
            out.add(view(prefix + "param " + i, p.getArray(), table, Combine.MEAN));
        }
        NDList moments = trainer.optimizer().state();
        int w = parameters.weights.size();
        EmbeddingOptimizer rule = trainer.optimizer().embeddingOptimizer();
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < w; i++) {
                boolean table = parameters.weightIsEmbedding[i];
                Combine combine = Combine.MEAN;
                if (table && rule == EmbeddingOptimizer.FTRL) {
                    combine = Combine.SUM; // z and n
                } else if (table && rule == EmbeddingOptimizer.ADAGRAD && k == 1) {
                    combine = Combine.SUM; // n
                }
                out.add(
                        view(
                                prefix + "state" + k + " " + i,
                                moments.get(k * w + i),
                                table,
                                combine));
            }
        }
        NDList search = trainer.searchStage().optimizerState();
        for (int i = 0; i < search.size(); i++) {
            out.add(view(prefix + "search state " + i, search.get(i), false, Combine.MEAN));
        }
        BaseRate rate = trainer.baseRate();
        if (rate != null) {
            out.add(
                    StateArray.of(
                            prefix + "base rate",
                            1,
                            2,
                            Combine.MEAN,
                            true,
                            () -> new double[] {rate.events(), rate.clicks()},
                            v -> {
                                double events = Math.max(0, v[0]);
                                rate.restore(events, Math.min(events, Math.max(0, v[1])));
                            }));
        }
        out.add(
                StateArray.of(
                        prefix + "step",
                        1,
                        1,
                        Combine.SUM,
                        true,
                        () -> new double[] {trainer.step()},
                        v -> trainer.step(Math.round(v[0]))));
        return out;
    }

    /** A view of an NDArray: a table [R, D] as R rows of D, any other array as one row. */
    private static StateArray view(String name, NDArray array, boolean table, Combine combine) {
        long size = array.size();
        int rows = table ? Math.toIntExact(array.getShape().get(0)) : 1;
        int width = rows == 0 ? 0 : Math.toIntExact(size / rows);
        return new StateArray(name, rows, width, combine, false) {
            @Override
            public double[] read() {
                return StateArray.toDoubles(array.toFloatArray());
            }

            @Override
            public void write(double[] values) {
                checkSize(values, "takes");
                withoutGrad(() -> array.set(StateArray.toFloats(values)));
            }

            @Override
            public double[] readRows(int[] ids) {
                if (!table) {
                    return super.readRows(ids);
                }
                try (NDManager m = array.getManager().newSubManager()) {
                    NDArray index = m.create(toLongs(ids));
                    return StateArray.toDoubles(array.get(new NDIndex("{}", index)).toFloatArray());
                }
            }

            @Override
            public void writeRows(int[] ids, double[] values) {
                if (!table) {
                    super.writeRows(ids, values);
                    return;
                }
                try (NDManager m = array.getManager().newSubManager()) {
                    NDArray index = m.create(toLongs(ids));
                    long[] dims = array.getShape().getShape().clone();
                    dims[0] = ids.length;
                    NDArray rowsOf = m.create(StateArray.toFloats(values), new Shape(dims));
                    withoutGrad(() -> array.set(new NDIndex("{}", index), rowsOf));
                }
            }
        };
    }

    private static long[] toLongs(int[] ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }

    private static void withoutGrad(Runnable work) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            work.run();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }
}
