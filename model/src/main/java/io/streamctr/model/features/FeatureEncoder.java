package io.streamctr.model.features;

import io.streamctr.schemas.BehaviourSequence;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import java.util.List;
import java.util.Map;

/**
 * Turns examples (an event plus the user's sequences before it) into a {@link FeatureBatch}: string
 * ids are hashed with {@link StableHash} into their field group's rows, sequences keep their {@code
 * L} most recent items, and labels come with a mask.
 */
public final class FeatureEncoder {

    private final FeatureSpec spec;

    public FeatureEncoder(FeatureSpec spec) {
        this.spec = spec;
    }

    public FeatureSpec spec() {
        return spec;
    }

    /** Encodes the examples, in order, into one batch. */
    public FeatureBatch encode(List<Example> examples) {
        return encode(examples, null);
    }

    /**
     * Encodes the examples, the last X numeric fields of the spec taken from {@code trailing} [B,
     * X] row-major instead of the events (e.g. {@link FreshFeatures#values}); null for none.
     */
    public FeatureBatch encode(List<Example> examples, float[] trailing) {
        FeatureBatch batch = new FeatureBatch(spec, examples.size());
        for (int i = 0; i < examples.size(); i++) {
            encodeRow(batch, i, examples.get(i));
        }
        if (trailing != null) {
            int n = spec.numericCount();
            int x = examples.isEmpty() ? 0 : trailing.length / examples.size();
            if (x * examples.size() != trailing.length || x > n) {
                throw new IllegalArgumentException(
                        "trailing numeric values must be [B, X] with X <= "
                                + n
                                + ": "
                                + trailing.length
                                + " values for "
                                + examples.size()
                                + " events");
            }
            for (int i = 0; i < examples.size(); i++) {
                System.arraycopy(trailing, i * x, batch.numeric, i * n + n - x, x);
            }
        }
        return batch;
    }

    private void encodeRow(FeatureBatch b, int i, Example example) {
        ClickEvent e = example.getEvent();
        int f = spec.categoricalCount();
        int base = i * f;
        b.categorical[base] = spec.row(FeatureSpec.userGroup(), StableHash.hash(e.getUserId()));
        b.categorical[base + 1] = spec.row(FeatureSpec.itemGroup(), StableHash.hash(e.getItemId()));
        int side = ItemSide.hash(e, spec.sideField());
        b.categorical[base + 2] =
                side == ItemSide.NONE ? 0 : spec.row(FeatureSpec.sideGroup(), side);
        Map<String, String> cats = e.getCategorical();
        for (int c = 0; c < spec.categoricalFields().size(); c++) {
            String v = cats.get(spec.categoricalFields().get(c));
            b.categorical[base + FeatureSpec.FIXED_GROUPS + c] =
                    v == null || v.isEmpty()
                            ? 0
                            : spec.row(spec.categoricalGroup(c), StableHash.hash(v));
        }

        Map<String, Float> nums = e.getNumeric();
        int n = spec.numericCount();
        for (int j = 0; j < n; j++) {
            Float v = nums.get(spec.numericFields().get(j));
            b.numeric[i * n + j] = v == null || !Float.isFinite(v) ? 0f : v;
        }

        int k = spec.maxValuesPerField();
        Map<String, List<String>> multi = e.getMultiValued();
        for (int m = 0; m < spec.multiValuedCount(); m++) {
            List<String> values = multi.get(spec.multiValuedFields().get(m));
            if (values == null) {
                continue;
            }
            int offset = (i * spec.multiValuedCount() + m) * k;
            int count = Math.min(k, values.size());
            for (int j = 0; j < count; j++) {
                b.multiIds[offset + j] =
                        spec.row(spec.multiValuedGroup(m), StableHash.hash(values.get(j)));
                b.multiMask[offset + j] = 1f;
            }
        }

        encodeSequence(b, 0, i, example.getHistory().getClicked());
        encodeSequence(b, 1, i, example.getHistory().getNonClicked());

        Integer label = e.getLabel();
        if (label != null) {
            b.labels[i] = label;
            b.labelMask[i] = 1f;
        }
    }

    private void encodeSequence(FeatureBatch b, int s, int i, BehaviourSequence seq) {
        if (seq == null) {
            return;
        }
        int l = spec.sequenceLength();
        List<Integer> items = seq.getItems();
        List<Integer> sides = seq.getSides();
        int start = Math.max(0, items.size() - l);
        int base = i * l;
        for (int j = start; j < items.size(); j++) {
            int pos = base + (j - start);
            b.sequenceItems[s][pos] = spec.row(FeatureSpec.itemGroup(), items.get(j));
            int side = j < sides.size() ? sides.get(j) : ItemSide.NONE;
            b.sequenceSides[s][pos] =
                    side == ItemSide.NONE ? 0 : spec.row(FeatureSpec.sideGroup(), side);
            b.sequenceMask[s][pos] = 1f;
        }
    }
}
