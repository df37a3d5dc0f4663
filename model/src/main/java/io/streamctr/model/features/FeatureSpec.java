package io.streamctr.model.features;

import java.util.List;
import java.util.Objects;

/**
 * Which features the models see, declared as data: the encoder, the enricher and every model are
 * built from it.
 *
 * <p>Hashed embedding layout: one table with a range of {@code bucketsPerField} rows per field
 * group and row 0 shared as padding / missing value. Groups, in order: user, item (the target item
 * and every item of the behaviour sequences share it), item side feature (target and sequences
 * share it), then each {@link #categoricalFields()} entry, then each {@link #multiValuedFields()}
 * entry.
 *
 * @param embeddingDim D, the embedding size
 * @param bucketsPerField hash buckets of each field group
 * @param categoricalFields keys of {@code ClickEvent.categorical} used as fields (user and item are
 *     always fields)
 * @param multiValuedFields keys of {@code ClickEvent.multiValued} used as mean-pooled bags
 * @param maxValuesPerField K, values kept per multi-valued field (the rest are dropped)
 * @param numericFields keys of {@code ClickEvent.numeric}, fed as they are
 * @param sideField the multi-valued or categorical field whose value set is an item's side feature
 *     in the behaviour sequences (e.g. MovieLens genres); null for none
 * @param sequenceLength L, the most recent items kept per behaviour sequence
 */
public record FeatureSpec(
        int embeddingDim,
        int bucketsPerField,
        List<String> categoricalFields,
        List<String> multiValuedFields,
        int maxValuesPerField,
        List<String> numericFields,
        String sideField,
        int sequenceLength)
        implements java.io.Serializable {

    /** The behaviour sequences the enricher keeps, in the order of the model inputs. */
    public static final List<String> SEQUENCES = List.of("clicked", "non_clicked");

    /** Field groups that always exist: user, item, item side feature. */
    public static final int FIXED_GROUPS = 3;

    public FeatureSpec {
        require(embeddingDim > 0, "embeddingDim must be > 0, got " + embeddingDim);
        require(bucketsPerField > 1, "bucketsPerField must be > 1, got " + bucketsPerField);
        require(maxValuesPerField > 0, "maxValuesPerField must be > 0, got " + maxValuesPerField);
        require(sequenceLength > 0, "sequenceLength must be > 0, got " + sequenceLength);
        categoricalFields =
                List.copyOf(Objects.requireNonNull(categoricalFields, "categoricalFields"));
        multiValuedFields =
                List.copyOf(Objects.requireNonNull(multiValuedFields, "multiValuedFields"));
        numericFields = List.copyOf(Objects.requireNonNull(numericFields, "numericFields"));
        long rows =
                1L
                        + (long)
                                        (FIXED_GROUPS
                                                + categoricalFields.size()
                                                + multiValuedFields.size())
                                * bucketsPerField;
        require(rows <= Integer.MAX_VALUE, "embedding table too large: " + rows + " rows");
    }

    /**
     * The MovieLens demo: user, item, genre set as side feature, genres as a bag; D = 16, L = 50.
     */
    public static FeatureSpec movieLens() {
        return new FeatureSpec(
                16, 1 << 15, List.of(), List.of("genres"), 8, List.of(), "genres", 50);
    }

    /** F: categorical tokens per event (user, item, item side, then the categorical fields). */
    public int categoricalCount() {
        return FIXED_GROUPS + categoricalFields.size();
    }

    /** M: multi-valued fields. */
    public int multiValuedCount() {
        return multiValuedFields.size();
    }

    /** N: numeric fields. */
    public int numericCount() {
        return numericFields.size();
    }

    /** S: behaviour sequences. */
    public int sequenceCount() {
        return SEQUENCES.size();
    }

    /** Rows of the hashed embedding table (padding row included). */
    public int embeddingRows() {
        return 1
                + (FIXED_GROUPS + categoricalFields.size() + multiValuedFields.size())
                        * bucketsPerField;
    }

    /** Row of a hashed value in a field group; never 0 (row 0 is padding / missing). */
    public long row(int group, int hash) {
        return 1L + (long) group * bucketsPerField + Math.floorMod(hash, bucketsPerField);
    }

    /** Group index of the user field. */
    public static int userGroup() {
        return 0;
    }

    /** Group index of items (target and sequences). */
    public static int itemGroup() {
        return 1;
    }

    /** Group index of the items' side feature. */
    public static int sideGroup() {
        return 2;
    }

    /** Group index of the i-th categorical field. */
    public int categoricalGroup(int i) {
        return FIXED_GROUPS + i;
    }

    /** Group index of the i-th multi-valued field. */
    public int multiValuedGroup(int i) {
        return FIXED_GROUPS + categoricalFields.size() + i;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
