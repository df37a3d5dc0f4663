package io.streamctr.model.optfusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The k inputs of one {@link FusionBlock}: the list of inputs (what ADD and PROD chain over, and
 * CODE attention scores one by one) and their stacks, built on first use and kept: {@link #slots()}
 * every input in its slot (zeros where absent, what CONCAT reads as [B, k·d]) and {@link
 * #present()} the present inputs only (what paper ATT scores). With no input absent the two are one
 * tensor, so CONCAT and ATT share one copy of the inputs (and its backward); Hard runs one
 * operation and builds a stack only if that operation reads one. Blocks with the same inputs (C_i
 * and D_i frozen alike) can share one instance.
 *
 * <p>Shapes: k inputs [B, d] (null = absent, cut in the retrain stage); slots [B, k, d]; present
 * [B, k', d], k' the present count; template [B, d] gives the shape of zeros.
 */
final class FusionInputs {

    private final int count;
    private final List<NDArray> inputs; // [B, d] each, null = absent
    private final int[] presentIndex;
    private final NDArray template; // [B, d]
    private NDArray slots; // [B, k, d]
    private NDArray present; // [B, k', d]

    private FusionInputs(List<NDArray> inputs, int[] presentIndex, NDArray template) {
        this.count = inputs.size();
        this.inputs = inputs;
        this.presentIndex = presentIndex;
        this.template = template;
    }

    /** The inputs as a list (null = absent); template [B, d]. */
    static FusionInputs of(List<NDArray> xs, NDArray template) {
        List<Integer> index = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            if (xs.get(i) != null) {
                index.add(i);
            }
        }
        return new FusionInputs(
                Collections.unmodifiableList(new ArrayList<>(xs)),
                index.stream().mapToInt(Integer::intValue).toArray(),
                template);
    }

    /** k, present or not. */
    int count() {
        return count;
    }

    /** k', the present inputs. */
    int presentCount() {
        return presentIndex.length;
    }

    /** The slot (0..k−1) of the j-th present input. */
    int presentSlot(int j) {
        return presentIndex[j];
    }

    /** [B, k, d]: every input in its slot, zeros where absent. */
    NDArray slots() {
        if (slots == null) {
            NDList all = new NDList(count);
            for (NDArray x : inputs) {
                all.add(x == null ? zeros() : x); // [B, d]
            }
            slots = NDArrays.stack(all, 1); // [B, k, d]
            if (presentIndex.length == count) {
                present = slots;
            }
        }
        return slots;
    }

    /** [B, k', d]: the present inputs in slot order; only when k' ≥ 1. */
    NDArray present() {
        if (present == null) {
            NDList xs = new NDList(presentIndex.length);
            for (int i : presentIndex) {
                xs.add(inputs.get(i)); // [B, d]
            }
            present = NDArrays.stack(xs, 1); // [B, k', d]
            if (presentIndex.length == count) {
                slots = present;
            }
        }
        return present;
    }

    /** The present inputs, [B, d] each in slot order. */
    List<NDArray> presentList() {
        List<NDArray> out = new ArrayList<>(presentIndex.length);
        for (int i : presentIndex) {
            out.add(inputs.get(i)); // [B, d]
        }
        return out;
    }

    /** [B, d] zeros (every operation's output when no input is present). */
    NDArray zeros() {
        return template.zerosLike();
    }
}
