package io.streamctr.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.streamctr.model.runtime.ScalarOps;
import java.util.ArrayList;
import java.util.List;

/**
 * Parameter-free second-order interactions of field embeddings: the factorization machine's
 * pairwise term (Rendle, 2010) and the inner products of IPNN (Qu et al., 2016).
 *
 * <p>Shapes: fields [B, nf, D].
 */
public final class FieldInteractions {

    private FieldInteractions() {}

    /** Σ_{i<j} ⟨v_i, v_j⟩ = ½ Σ_D ((Σ_i v_i)² − Σ_i v_i²): [B, nf, D] → [B]. */
    public static NDArray fmPairwise(NDArray fields) {
        NDArray sumSquared = fields.sum(new int[] {1}).square(); // [B, D]
        NDArray squaredSum = fields.square().sum(new int[] {1}); // [B, D]
        return ScalarOps.mul(sumSquared.sub(squaredSum).sum(new int[] {1}), 0.5f); // [B]
    }

    /** ⟨v_i, v_j⟩ for every pair i < j, in row-major pair order: [B, nf, D] → [B, nf(nf−1)/2]. */
    public static NDArray innerProducts(NDArray fields) {
        long nf = fields.getShape().get(1);
        NDArray gram = fields.matMul(fields.transpose(0, 2, 1)); // [B, nf, nf]
        List<NDArray> pairs = new ArrayList<>();
        for (long i = 0; i < nf - 1; i++) {
            pairs.add(gram.get(":, {}, {}:", i, i + 1)); // [B, nf-1-i]
        }
        return NDArrays.concat(new NDList(pairs), 1); // [B, nf(nf-1)/2]
    }
}
