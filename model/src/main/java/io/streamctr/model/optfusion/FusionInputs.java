package io.streamctr.model.optfusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The k inputs of one {@link FusionBlock}, stacked once so that the four operations work on one
 * tensor each instead of k: {@link #slots()} every input in its slot (zeros where absent, what
 * CONCAT reads) and {@link #present()} the present inputs only (what ADD, PROD and ATT fuse).
 * With no input absent the two are the same tensor. Stacks are built on first use and kept (Hard
 * runs one operation and needs one of them at most).
 *
 * <p>Shapes: k inputs [B, d] (null = absent, cut in the retrain stage); slots [B, k, d]; present
 * [B, k', d], k' the present count; template [B, d] gives the shape of zeros.
 */
final class FusionInputs {

    private final int count;
    private final List<NDArray> inputs; // [B, d] each, null = absent; null when built from a stack
    private final int[] presentIndex;
    private final NDArray template; // [B, d]
    private NDArray slots; // [B, k, d]
    private NDArray present; // [B, k', d]

    private FusionInputs(int count, List<NDArray> inputs, int[] presentIndex, NDArray template, NDArray slots) {
        this.count = count;
        this.inputs = inputs;
        this.presentIndex = presentIndex;
        this.template = template;
        this.slots = slots;
        this.present = presentIndex.length == count ? slots : null;
    }

    /** The inputs as a list (null = absent); template [B, d]. */
    static FusionInputs of(List<NDArray> xs, NDArray template) {
        List<Integer> index = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            if (xs.get(i) != null) {
                index.add(i);
            }
        }
        return new FusionInputs(xs.size(), Collections.unmodifiableList(new ArrayList<>(xs)),
                index.stream().mapToInt(Integer::intValue).toArray(), template, null);
    }

    /** All k inputs present, already stacked: [B, k, d]. */
    static FusionInputs ofStack(NDArray stack) {
        int k = Math.toIntExact(stack.getShape().get(1));
        int[] all = new int[k];
        for (int i = 0; i < k; i++) {
            all[i] = i;
        }
        return new FusionInputs(k, null, all, null, stack);
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

    /** The present inputs, [B, d] each in slot order (CODE attention scores each with its own scorer). */
    List<NDArray> presentList() {
        List<NDArray> out = new ArrayList<>(presentIndex.length);
        if (inputs != null) {
            for (int i : presentIndex) {
                out.add(inputs.get(i)); // [B, d]
            }
            return out;
        }
        long b = present.getShape().get(0);
        long d = present.getShape().get(2);
        for (NDArray x : present.split(presentIndex.length, 1)) {
            out.add(x.reshape(b, d)); // [B, d]
        }
        return out;
    }

    /** [B, d] zeros (every operation's output when no input is present). */
    NDArray zeros() {
        if (template != null) {
            return template.zerosLike();
        }
        return slots.get(":, 0, :").zerosLike();
    }
}
