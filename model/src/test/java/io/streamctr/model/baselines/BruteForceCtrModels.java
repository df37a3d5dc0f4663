package io.streamctr.model.baselines;

import static io.streamctr.model.baselines.BlockValues.child;
import static io.streamctr.model.baselines.BlockValues.concat;
import static io.streamctr.model.baselines.BlockValues.countIndexed;
import static io.streamctr.model.baselines.BlockValues.flatten;
import static io.streamctr.model.baselines.BlockValues.linear;
import static io.streamctr.model.baselines.BlockValues.matrix;
import static io.streamctr.model.baselines.BlockValues.reluMlp;
import static io.streamctr.model.baselines.BlockValues.scalar;
import static io.streamctr.model.baselines.BlockValues.vector;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.streamctr.model.blocks.FieldEmbedding;

/**
 * The baselines' logits recomputed from their parameter values with loops in double arithmetic,
 * from the formulas of the papers (and, where we depart from them, of our Javadoc), to check the
 * models' NDArray code against:
 *
 * <ul>
 *   <li>field embeddings: table rows looked up one by one; a bag or a sequence is the mean of its
 *       unmasked rows (item + side for a sequence), zeros when empty; numeric field n is x_n·p_n;
 *   <li>LR: Σ_f w_f + b over 1-wide field embeddings;
 *   <li>FM (Rendle 2010, Eq. 1): LR + Σ_{i<j} ⟨v_i, v_j⟩, summed pair by pair;
 *   <li>DCN (Wang et al. 2017, Eq. 3): x_{l+1} = x0 (x_lᵀ w_l) + b_l + x_l; logit = Linear over
 *       [x_L ‖ ReLU-MLP(x0)];
 *   <li>DCNv2 (Wang et al. 2021, Eq. 1): x_{l+1} = x0 ⊙ (W_l x_l + b_l) + x_l; stacked: logit =
 *       Linear(MLP(x_L)); parallel: Linear over [x_L ‖ MLP(x0)];
 *   <li>EDCN (Chen et al. 2021, as FuxiCTR and {@link EdcnModel} do it): regulation gates
 *       nf·softmax(g) per field; c = gate(e), h = gate'(e), x0 = c; per layer c = cross(x0, c), h =
 *       ReLU(W h + b), bridge = c ⊙ h, then both towers read the regulated bridge; logit = Linear
 *       over [c ‖ h ‖ bridge];
 *   <li>IPNN (Qu et al. 2016): MLP over [flatten(e) ‖ ⟨v_i, v_j⟩ for i &lt; j, row-major];
 *   <li>DeepFM (Guo et al. 2017, Eq. 1): LR + FM pairwise term + MLP(flatten(e)).
 * </ul>
 *
 * <p>Shapes: field embeddings [B][nf][D]; logits [B].
 */
final class BruteForceCtrModels {

    private BruteForceCtrModels() {}

    /**
     * The field embeddings [B][nf][D]: categorical, bags, sequences, numeric (FieldEmbedding's
     * order).
     */
    static double[][][] fields(FieldEmbedding block, PlainInputs in) {
        double[][] table =
                matrix(child(child(block, "table"), "table"), "hashed_embedding"); // [rows][D]
        int b = in.batchSize();
        int d = block.dim();
        int numeric = in.numeric()[0].length;
        double[][] projection =
                numeric == 0
                        ? new double[0][]
                        : matrix(block, FieldEmbedding.NUMERIC_PARAMETER); // [N][D]
        double[][][] out = new double[b][][];
        for (int row = 0; row < b; row++) {
            int f = in.categorical()[row].length;
            int m = in.multiIds()[row].length;
            int s = in.sequenceItems().length;
            double[][] v = new double[f + m + s + numeric][];
            int at = 0;
            for (int i = 0; i < f; i++) {
                v[at++] = table[(int) in.categorical()[row][i]].clone();
            }
            for (int i = 0; i < m; i++) {
                v[at++] = maskedMean(table, in.multiIds()[row][i], null, in.multiMask()[row][i], d);
            }
            for (int i = 0; i < s; i++) {
                v[at++] =
                        maskedMean(
                                table,
                                in.sequenceItems()[i][row],
                                in.sequenceSides()[i][row],
                                in.sequenceMask()[i][row],
                                d);
            }
            for (int i = 0; i < numeric; i++) {
                v[at] = new double[d];
                for (int k = 0; k < d; k++) {
                    v[at][k] = in.numeric()[row][i] * projection[i][k];
                }
                at++;
            }
            out[row] = v;
        }
        return out;
    }

    /** Mean of table[ids[j]] (+ table[sides[j]]) over the j with mask 1; zeros when none. */
    private static double[] maskedMean(
            double[][] table, long[] ids, long[] sides, double[] mask, int d) {
        double[] sum = new double[d];
        int count = 0;
        for (int j = 0; j < ids.length; j++) {
            if (mask[j] == 0) {
                continue;
            }
            count++;
            for (int k = 0; k < d; k++) {
                sum[k] += table[(int) ids[j]][k] + (sides == null ? 0 : table[(int) sides[j]][k]);
            }
        }
        for (int k = 0; k < d; k++) {
            sum[k] = count == 0 ? 0 : sum[k] / count;
        }
        return sum;
    }

    /** Σ_{i<j} ⟨v_i, v_j⟩ over the fields [nf][D], pair by pair. */
    static double pairwise(double[][] v) {
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            for (int j = i + 1; j < v.length; j++) {
                sum += dot(v[i], v[j]);
            }
        }
        return sum;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    /** LR: the sum of every 1-wide field embedding plus the bias. */
    static double[] lr(LrModel model, PlainInputs in) {
        double[][][] w = fields(model.embedding, in); // [B][nf][1]
        double bias = scalar(vector(model, "bias"));
        double[] out = new double[in.batchSize()];
        for (int row = 0; row < out.length; row++) {
            double sum = bias;
            for (double[] f : w[row]) {
                sum += scalar(f);
            }
            out[row] = sum;
        }
        return out;
    }

    /** FM: LR + Σ_{i<j} ⟨v_i, v_j⟩. */
    static double[] fm(FmModel model, PlainInputs in) {
        double[] first = lr((LrModel) child(model, "linear"), in);
        double[][][] v = fields(model.embedding, in);
        double[] out = new double[in.batchSize()];
        for (int row = 0; row < out.length; row++) {
            out[row] = first[row] + pairwise(v[row]);
        }
        return out;
    }

    /** DeepFM: LR + FM pairwise + MLP(flatten(v)), the FM and MLP over the same embeddings. */
    static double[] deepFm(DeepFmModel model, PlainInputs in) {
        double[] first = lr((LrModel) child(model, "linear"), in);
        SequentialBlock mlp = (SequentialBlock) child(model, "mlp");
        double[][][] v = fields(model.embedding, in);
        double[] out = new double[in.batchSize()];
        for (int row = 0; row < out.length; row++) {
            out[row] = first[row] + pairwise(v[row]) + scalar(reluMlp(mlp, flatten(v[row])));
        }
        return out;
    }

    /** One CrossNet v1 layer: x0 (xᵀ w) + b + x. */
    static double[] crossV1(Block layer, double[] x0, double[] x) {
        double[] w = vector(layer, "cross_weight"); // [d] (stored [d, 1])
        double[] b = vector(layer, "cross_bias"); // [d]
        double xw = dot(x, w);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x0[i] * xw + b[i] + x[i];
        }
        return out;
    }

    /** One DCNv2 layer: x0 ⊙ (W x + b) + x. */
    static double[] crossV2(Block layer, double[] x0, double[] x) {
        double[] wx = linear((Linear) child(layer, "linear"), x);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x0[i] * wx[i] + x[i];
        }
        return out;
    }

    /** DCN: Linear over [CrossNet v1 (x0) ‖ ReLU-MLP(x0)]. */
    static double[] dcn(DcnModel model, PlainInputs in) {
        int layers = countIndexed(model, "cross");
        double[][][] v = fields(model.embedding, in);
        double[] out = new double[in.batchSize()];
        for (int row = 0; row < out.length; row++) {
            double[] x0 = flatten(v[row]);
            double[] x = x0;
            for (int l = 0; l < layers; l++) {
                x = crossV1(child(model, "cross" + l), x0, x);
            }
            double[] h = reluMlp((SequentialBlock) child(model, "deep"), x0);
            out[row] = scalar(linear((Linear) child(model, "output"), concat(x, h)));
        }
        return out;
    }

    /** DCNv2: stacked Linear(MLP(cross(x0))), or parallel Linear over [cross(x0) ‖ MLP(x0)]. */
    static double[] dcnv2(Dcnv2Model model, PlainInputs in, boolean stacked) {
        int layers = countIndexed(model, "cross");
        double[][][] v = fields(model.embedding, in);
        SequentialBlock deep = (SequentialBlock) child(model, "deep");
        Linear output = (Linear) child(model, "output");
        double[] out = new double[in.batchSize()];
        for (int row = 0; row < out.length; row++) {
            double[] x0 = flatten(v[row]);
            double[] x = x0;
            for (int l = 0; l < layers; l++) {
                x = crossV2(child(model, "cross" + l), x0, x);
            }
            double[] top = stacked ? reluMlp(deep, x) : concat(x, reluMlp(deep, x0));
            out[row] = scalar(linear(output, top));
        }
        return out;
    }

    /** EDCN's regulation gate: field f's D values times nf·softmax(g)_f (τ = 1). */
    static double[] regulate(Block gate, double[] x, int fields) {
        double[] g = vector(gate, "field_gate"); // [nf]
        double max = Double.NEGATIVE_INFINITY;
        for (double v : g) {
            max = Math.max(max, v);
        }
        double z = 0;
        for (double v : g) {
            z += Math.exp(v - max);
        }
        int dim = x.length / fields;
        double[] out = new double[x.length];
        for (int f = 0; f < fields; f++) {
            double w = fields * Math.exp(g[f] - max) / z;
            for (int k = 0; k < dim; k++) {
                out[f * dim + k] = x[f * dim + k] * w;
            }
        }
        return out;
    }

    /** EDCN: cross and deep towers side by side, bridged by c ⊙ h and regulated field by field. */
    static double[] edcn(EdcnModel model, PlainInputs in) {
        int layers = countIndexed(model, "cross");
        double[][][] v = fields(model.embedding, in);
        double[] out = new double[in.batchSize()];
        for (int row = 0; row < out.length; row++) {
            int nf = v[row].length;
            double[] e = flatten(v[row]);
            double[] c = regulate(child(model, "cross_gate0"), e, nf);
            double[] h = regulate(child(model, "deep_gate0"), e, nf);
            double[] x0 = c;
            double[] bridge = null;
            for (int l = 0; l < layers; l++) {
                c = crossV1(child(model, "cross" + l), x0, c);
                h = reluMlp((SequentialBlock) child(model, "deep" + l), h); // Linear(d, d) + ReLU
                bridge = new double[c.length];
                for (int i = 0; i < c.length; i++) {
                    bridge[i] = c[i] * h[i];
                }
                if (l + 1 < layers) {
                    c = regulate(child(model, "cross_gate" + (l + 1)), bridge, nf);
                    h = regulate(child(model, "deep_gate" + (l + 1)), bridge, nf);
                }
            }
            out[row] = scalar(linear((Linear) child(model, "output"), concat(c, h, bridge)));
        }
        return out;
    }

    /** IPNN: MLP over [flatten(v) ‖ ⟨v_i, v_j⟩ for every pair i < j]. */
    static double[] pnn(PnnModel model, PlainInputs in) {
        double[][][] v = fields(model.embedding, in);
        double[] out = new double[in.batchSize()];
        for (int row = 0; row < out.length; row++) {
            int nf = v[row].length;
            double[] products = new double[nf * (nf - 1) / 2];
            int p = 0;
            for (int i = 0; i < nf; i++) {
                for (int j = i + 1; j < nf; j++) {
                    products[p++] = dot(v[row][i], v[row][j]);
                }
            }
            out[row] =
                    scalar(
                            reluMlp(
                                    (SequentialBlock) child(model, "mlp"),
                                    concat(flatten(v[row]), products)));
        }
        return out;
    }
}
