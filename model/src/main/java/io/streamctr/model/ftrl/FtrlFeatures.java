package io.streamctr.model.ftrl;

import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.features.ItemSide;
import io.streamctr.model.features.StableHash;
import io.streamctr.schemas.BehaviourSequence;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Hashed one-hot features of one example for the FTRL learner: the fields of the {@link
 * FeatureSpec} the deep models read, each value hashed with its field's namespace into a coordinate
 * in [0, 2^bits). Per example the coordinates are sorted and distinct (a feature is 0 or 1).
 *
 * <p>Namespaces: {@code user}, {@code item}, {@code side} (the item's side-value set, when the side
 * field is not already a categorical field), {@code cat:NAME} per categorical field, {@code
 * multi:NAME} per value of a multi-valued field (the spec's K first), {@code num:NAME} per
 * bucketized numeric field ({@link #bucket}), {@code seq:clicked} and {@code seq:non_clicked} per
 * item of the behaviour sequences (the spec's L most recent), and with crosses on {@code
 * cross:user*side} per value of the side field (MovieLens: user × genre). A value is hashed with
 * {@link StableHash} and combined with its namespace's hash by a MurmurHash3 round, so coordinates
 * are the same on every JVM and after a restore; sequence items are already stable hashes and are
 * combined as they are, so the target item and a clicked item differ only by namespace.
 */
public final class FtrlFeatures {

    private static final int USER = StableHash.hash("user");
    private static final int ITEM = StableHash.hash("item");
    private static final int SIDE = StableHash.hash("side");
    private static final int CROSS = StableHash.hash("cross:user*side");
    private static final int[] SEQUENCES =
            FeatureSpec.SEQUENCES.stream().mapToInt(s -> StableHash.hash("seq:" + s)).toArray();

    private final FeatureSpec spec;
    private final int mask;
    private final boolean crosses;
    private final boolean sideIsCategorical;
    private final int[] categorical;
    private final int[] multiValued;
    private final int[] numeric;

    public FtrlFeatures(FeatureSpec spec, FtrlConfig config) {
        if (spec == null || config == null) {
            throw new IllegalArgumentException("spec and config must not be null");
        }
        this.spec = spec;
        this.mask = config.coordinates() - 1;
        this.crosses = config.crosses();
        this.sideIsCategorical =
                spec.sideField() != null && spec.categoricalFields().contains(spec.sideField());
        this.categorical = namespaces("cat:", spec.categoricalFields());
        this.multiValued = namespaces("multi:", spec.multiValuedFields());
        this.numeric = namespaces("num:", spec.numericFields());
    }

    public FeatureSpec spec() {
        return spec;
    }

    /** The sorted, distinct coordinates of the example's features (the bias not included). */
    public int[] coordinates(Example example) {
        if (example == null || example.getEvent() == null) {
            throw new IllegalArgumentException("example and its event must not be null");
        }
        ClickEvent e = example.getEvent();
        Buffer out = new Buffer();
        int user = StableHash.hash(e.getUserId());
        out.add(mix(USER, user));
        out.add(mix(ITEM, StableHash.hash(e.getItemId())));
        if (!sideIsCategorical) {
            int side = ItemSide.hash(e, spec.sideField());
            if (side != ItemSide.NONE) {
                out.add(mix(SIDE, side));
            }
        }
        Map<String, String> cats = e.getCategorical();
        for (int c = 0; c < categorical.length; c++) {
            String v = cats.get(spec.categoricalFields().get(c));
            if (v != null && !v.isEmpty()) {
                out.add(mix(categorical[c], StableHash.hash(v)));
            }
        }
        Map<String, List<String>> multi = e.getMultiValued();
        for (int m = 0; m < multiValued.length; m++) {
            List<String> values = multi.get(spec.multiValuedFields().get(m));
            if (values != null) {
                int count = Math.min(spec.maxValuesPerField(), values.size());
                for (int j = 0; j < count; j++) {
                    out.add(mix(multiValued[m], StableHash.hash(values.get(j))));
                }
            }
        }
        Map<String, Float> nums = e.getNumeric();
        for (int j = 0; j < numeric.length; j++) {
            Float v = nums.get(spec.numericFields().get(j));
            if (v != null && Float.isFinite(v)) {
                out.add(mix(numeric[j], bucket(v)));
            }
        }
        if (example.getHistory() != null) {
            addSequence(out, SEQUENCES[0], example.getHistory().getClicked());
            addSequence(out, SEQUENCES[1], example.getHistory().getNonClicked());
        }
        if (crosses) {
            addCrosses(out, e, mix(CROSS, user));
        }
        return out.sortedDistinct(mask);
    }

    /**
     * The bucket of a numeric value: {@code floor(ln(v)^2)} above 2 (the Criteo rule), mirrored
     * below −2, else {@code floor(4v)} (quarter steps, so 0, 1 and 2 stay apart); the three ranges
     * never share a bucket.
     */
    public static int bucket(float v) {
        if (v > 2) {
            return 1_000 + (int) Math.floor(square(Math.log(v)));
        }
        if (v < -2) {
            return -1_000 - (int) Math.floor(square(Math.log(-v)));
        }
        return (int) Math.floor(4.0 * v);
    }

    private void addSequence(Buffer out, int namespace, BehaviourSequence seq) {
        if (seq == null) {
            return;
        }
        List<Integer> items = seq.getItems();
        for (int j = Math.max(0, items.size() - spec.sequenceLength()); j < items.size(); j++) {
            out.add(mix(namespace, items.get(j)));
        }
    }

    private void addCrosses(Buffer out, ClickEvent e, int userCross) {
        String field = spec.sideField();
        if (field == null) {
            return;
        }
        List<String> values = e.getMultiValued().get(field);
        if (values != null && !values.isEmpty()) {
            for (String v : values) {
                out.add(mix(userCross, StableHash.hash(v)));
            }
            return;
        }
        String single = e.getCategorical().get(field);
        if (single != null && !single.isEmpty()) {
            out.add(mix(userCross, StableHash.hash(single)));
        }
    }

    private static int[] namespaces(String prefix, List<String> fields) {
        return fields.stream().mapToInt(f -> StableHash.hash(prefix + f)).toArray();
    }

    private static double square(double x) {
        return x * x;
    }

    /**
     * One MurmurHash3_x86_32 round of {@code value} on seed {@code namespace}, then its finalizer.
     */
    static int mix(int namespace, int value) {
        int k = value * 0xcc9e2d51;
        k = Integer.rotateLeft(k, 15);
        k *= 0x1b873593;
        int h = namespace ^ k;
        h = Integer.rotateLeft(h, 13);
        h = h * 5 + 0xe6546b64;
        h ^= 4;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /** A growable int list. */
    private static final class Buffer {
        private int[] values = new int[64];
        private int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int[] sortedDistinct(int mask) {
            for (int i = 0; i < size; i++) {
                values[i] &= mask;
            }
            Arrays.sort(values, 0, size);
            int n = 0;
            for (int i = 0; i < size; i++) {
                if (n == 0 || values[i] != values[n - 1]) {
                    values[n++] = values[i];
                }
            }
            return Arrays.copyOf(values, n);
        }
    }
}
