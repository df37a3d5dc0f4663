package io.streamctr.model.baselines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.streamctr.model.features.FeatureInputs;
import io.streamctr.model.features.FeatureSpec;

/**
 * A model's inputs read back from the tensors its forward pass gets, as plain Java arrays, for the
 * brute-force references ({@link BruteForceCtrModels}).
 *
 * <p>Shapes (B = batch, F = categorical tokens, N = numeric fields, M = multi-valued fields, K =
 * values per field, S = sequences, L = sequence length): categorical [B][F], numeric [B][N],
 * multiIds and multiMask [B][M][K], sequenceItems, sequenceSides and sequenceMask [S][B][L].
 */
record PlainInputs(
        long[][] categorical,
        double[][] numeric,
        long[][][] multiIds,
        double[][][] multiMask,
        long[][][] sequenceItems,
        long[][][] sequenceSides,
        double[][][] sequenceMask) {

    static PlainInputs of(NDList inputs, FeatureSpec spec) {
        FeatureInputs in = FeatureInputs.of(inputs);
        int b = (int) in.batchSize();
        int s = spec.sequenceCount();
        long[][][] items = new long[s][][];
        long[][][] sides = new long[s][][];
        double[][][] masks = new double[s][][];
        for (int k = 0; k < s; k++) {
            items[k] = longs(in.sequenceItems(k), b);
            sides[k] = longs(in.sequenceSides(k), b);
            masks[k] = doubles(in.sequenceMask(k), b);
        }
        int m = spec.multiValuedCount();
        long[][][] multiIds = new long[b][m][];
        double[][][] multiMask = new double[b][m][];
        long[] ids = in.multiIds().toLongArray();
        float[] mask = in.multiMask().toFloatArray();
        int kk = spec.maxValuesPerField();
        for (int row = 0; row < b; row++) {
            for (int f = 0; f < m; f++) {
                multiIds[row][f] = new long[kk];
                multiMask[row][f] = new double[kk];
                for (int j = 0; j < kk; j++) {
                    multiIds[row][f][j] = ids[(row * m + f) * kk + j];
                    multiMask[row][f][j] = mask[(row * m + f) * kk + j];
                }
            }
        }
        return new PlainInputs(
                longs(in.categorical(), b),
                doubles(in.numeric(), b),
                multiIds,
                multiMask,
                items,
                sides,
                masks);
    }

    int batchSize() {
        return categorical.length;
    }

    /** A [B, n] int64 tensor as [B][n]. */
    private static long[][] longs(NDArray a, int b) {
        long[] flat = a.toLongArray();
        int n = b == 0 ? 0 : flat.length / b;
        long[][] out = new long[b][n];
        for (int i = 0; i < b; i++) {
            System.arraycopy(flat, i * n, out[i], 0, n);
        }
        return out;
    }

    /** A [B, n] float tensor as [B][n]. */
    private static double[][] doubles(NDArray a, int b) {
        float[] flat = a.toFloatArray();
        int n = b == 0 ? 0 : flat.length / b;
        double[][] out = new double[b][n];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < n; j++) {
                out[i][j] = flat[i * n + j];
            }
        }
        return out;
    }
}
