package io.streamctr.model.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an {@link OnlineTrainer}'s snapshot holds, and its bytes (Flink operator state). Each format
 * ever written is still read; the bytes lead with the format's version:
 *
 * <ol>
 *   <li>a model without architecture search: the model name (modified UTF-8), the step and the
 *       skipped steps (longs), then the arrays;
 *   <li>a model with architecture search: as 1, with its {@link SearchState} after the counters:
 *       the stage (ordinal byte), the searched events and the weight step offset (longs), the
 *       frozen architecture (int length, bytes; empty while searching);
 *   <li>a model trained with another embedding rule than Adam or with a base rate (formats 1 and 2
 *       are still written without them): the name and the counters as 1, a flags byte (bit 0: a
 *       search state follows, bit 1: base-rate counts follow), the search state as 2 if flagged,
 *       the embedding rule's {@link EmbeddingOptimizer#optionName()} (modified UTF-8), the base
 *       rate's half-life (int), decayed events and clicks (doubles) if flagged.
 * </ol>
 *
 * <p>The arrays are one DJL-encoded {@code NDList} (int length, bytes): the block's parameters in
 * its order, the weights' optimizer state (Adam's first moments, AdaGrad's unused zeros or FTRL's
 * z; then Adam's second moments, AdaGrad's or FTRL's n), then the architecture optimizer's ({@link
 * #of} and {@link #restoreInto}). Formats 1 and 2 imply Adam; a snapshot of another rule than the
 * trainer's restores the parameters and starts the tables' state afresh.
 *
 * @param modelName the name the trainer was given
 * @param step the training step (the model version)
 * @param skippedSteps steps skipped for a non-finite loss or gradient
 * @param search the architecture search's progress; null for a model without one (format 1)
 * @param embeddingOptimizer the rule that wrote the embedding tables' state (Adam in formats 1 and
 *     2)
 * @param baseRate the base rate's counts; null for none
 * @param arrays the encoded parameters and optimizer state (null in a snapshot being {@link
 *     #encode}d)
 */
record TrainerSnapshot(
        String modelName,
        long step,
        long skippedSteps,
        SearchState search,
        EmbeddingOptimizer embeddingOptimizer,
        BaseRateState baseRate,
        byte[] arrays) {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerSnapshot.class);

    /** Contents of format 1 or 2: Adam, no base rate. */
    TrainerSnapshot(
            String modelName, long step, long skippedSteps, SearchState search, byte[] arrays) {
        this(modelName, step, skippedSteps, search, EmbeddingOptimizer.ADAM, null, arrays);
    }

    /** A model without architecture search. */
    static final byte PLAIN_FORMAT = 1;

    /**
     * A model with architecture search: format 1 plus the stage, its counters and the architecture.
     */
    static final byte SEARCH_FORMAT = 2;

    /** Flags for what follows, the embedding rule and the base rate's counts. */
    static final byte FLAGGED_FORMAT = 3;

    private static final int HAS_SEARCH = 1;
    private static final int HAS_BASE_RATE = 2;

    /**
     * A base rate's counts.
     *
     * @param halfLife its half-life in events
     * @param events decayed labelled events
     * @param clicks decayed clicks
     */
    record BaseRateState(int halfLife, double events, double clicks) {}

    /**
     * Where an architecture search stands.
     *
     * @param stage {@link TrainingStage#SEARCH} or {@link TrainingStage#RETRAIN}
     * @param searchedEvents labelled events trained on while searching
     * @param weightStepOffset the step from which the weights' Adam counts (the switch, after a
     *     re-initialization)
     * @param architecture the frozen architecture ({@link ArchitectureSearch#architectureState()}),
     *     empty while searching
     */
    record SearchState(
            TrainingStage stage, long searchedEvents, long weightStepOffset, byte[] architecture) {}

    /**
     * A trainer's state: its counters, the search's progress, parameters and moments, to be written
     * (the arrays are read from the live state at {@link EncodedSnapshot#writeTo}, once, straight
     * into the caller's buffer; the bytes are {@link #toBytes()}'s of the same contents).
     */
    static EncodedSnapshot encode(
            String modelName,
            long step,
            long skippedSteps,
            ModelParameters parameters,
            AdamOptimizer weights,
            ArchitectureSearchStage searchStage,
            BaseRate baseRate) {
        NDList arrays = new NDList();
        parameters.all.forEach(p -> arrays.add(p.getArray()));
        arrays.addAll(weights.state());
        arrays.addAll(searchStage.optimizerState());
        BaseRateState rate =
                baseRate == null
                        ? null
                        : new BaseRateState(
                                baseRate.halfLife(), baseRate.events(), baseRate.clicks());
        byte[] header =
                new TrainerSnapshot(
                                modelName,
                                step,
                                skippedSteps,
                                searchStage.state(),
                                weights.embeddingOptimizer(),
                                rate,
                                null)
                        .header();
        ArrayEncoding encoding = ArrayEncoding.of(arrays);
        return new EncodedSnapshot() {
            @Override
            public int size() {
                return header.length + Integer.BYTES + encoding.size();
            }

            @Override
            public void writeTo(ByteBuffer out) {
                out.put(header).putInt(encoding.size());
                encoding.writeTo(out);
            }
        };
    }

    /**
     * Puts the parameters, the moments and the search's progress back into a trainer's (the caller
     * takes the step and the counters), decoding the arrays in a sub-manager of {@code manager}.
     *
     * @throws IllegalArgumentException when the snapshot is of another model name, of a model with
     *     (without) architecture search for one without (with), or of another architecture
     */
    void restoreInto(
            String model,
            NDManager manager,
            ModelParameters parameters,
            AdamOptimizer weights,
            ArchitectureSearchStage searchStage,
            BaseRate baseRate) {
        if (!modelName.equals(model)) {
            throw new IllegalArgumentException(
                    "snapshot is of model '" + modelName + "', not '" + model + "'");
        }
        if ((search != null) != searchStage.hasSearch()) {
            throw new IllegalArgumentException(
                    "snapshot format "
                            + format()
                            + " is of a model "
                            + (search != null ? "with" : "without")
                            + " architecture search; model '"
                            + model
                            + "' is "
                            + (search != null ? "without" : "with")
                            + " one");
        }
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager restoreManager = manager.newSubManager()) {
            NDList decoded = NDList.decode(restoreManager, arrays);
            int n = parameters.all.size();
            int w = parameters.weights.size();
            if (decoded.size()
                    != 3 * n) { // parameters, then two moments each (the weights', then the
                // architecture's)
                throw new IllegalArgumentException(
                        "snapshot holds "
                                + decoded.size()
                                + " arrays; model '"
                                + model
                                + "' needs "
                                + 3 * n
                                + " (parameters + Adam moments): was it saved by another"
                                + " architecture?");
            }
            for (int i = 0; i < n; i++) {
                AdamOptimizer.copyInto(decoded.get(i), parameters.all.get(i).getArray());
            }
            weights.load(new NDList(decoded.subList(n, n + 2 * w)));
            if (embeddingOptimizer != weights.embeddingOptimizer()) {
                LOG.warn(
                        "model '{}': snapshot's embedding tables were trained with {}, this trainer"
                                + " uses {}: their state starts afresh",
                        model,
                        embeddingOptimizer.optionName(),
                        weights.embeddingOptimizer().optionName());
                weights.restartEmbeddingState();
            }
            searchStage.restore(search, new NDList(decoded.subList(n + 2 * w, decoded.size())));
            restoreBaseRate(model, baseRate);
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    /**
     * Puts the counts back into {@code target} (null: the trainer has none); a mismatch is logged.
     */
    private void restoreBaseRate(String model, BaseRate target) {
        if (target != null && baseRate != null) {
            target.restore(baseRate.events(), baseRate.clicks());
        } else if (target != null || baseRate != null) {
            LOG.warn(
                    "model '{}': snapshot {} base rate, this trainer {} one",
                    model,
                    baseRate == null ? "has no" : "has a",
                    target == null ? "has no" : "has");
        }
    }

    /** The format these contents are written in: 1 or 2 while they need nothing more, else 3. */
    byte format() {
        if (embeddingOptimizer == EmbeddingOptimizer.ADAM && baseRate == null) {
            return search == null ? PLAIN_FORMAT : SEARCH_FORMAT;
        }
        return FLAGGED_FORMAT;
    }

    /**
     * The bytes in the current format of their kind (identical to what the trainer always wrote).
     */
    byte[] toBytes() {
        byte[] header = header();
        return ByteBuffer.allocate(header.length + Integer.BYTES + arrays.length)
                .put(header)
                .putInt(arrays.length)
                .put(arrays)
                .array();
    }

    /** The bytes before the arrays' length: format, name, counters, search, rule, base rate. */
    private byte[] header() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
                DataOutputStream out = new DataOutputStream(bytes)) {
            byte format = format();
            out.writeByte(format);
            out.writeUTF(modelName);
            out.writeLong(step);
            out.writeLong(skippedSteps);
            if (format == FLAGGED_FORMAT) {
                out.writeByte(
                        (search != null ? HAS_SEARCH : 0) | (baseRate != null ? HAS_BASE_RATE : 0));
            }
            if (search != null) {
                out.writeByte(search.stage().ordinal());
                out.writeLong(search.searchedEvents());
                out.writeLong(search.weightStepOffset());
                out.writeInt(search.architecture().length);
                out.write(search.architecture());
            }
            if (format == FLAGGED_FORMAT) {
                out.writeUTF(embeddingOptimizer.optionName());
                if (baseRate != null) {
                    out.writeInt(baseRate.halfLife());
                    out.writeDouble(baseRate.events());
                    out.writeDouble(baseRate.clicks());
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a snapshot of any format ever written.
     *
     * @throws IllegalArgumentException for an unknown format (naming the formats read), or bytes
     *     that are truncated, too long or inconsistent
     */
    static TrainerSnapshot fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != PLAIN_FORMAT && version != SEARCH_FORMAT && version != FLAGGED_FORMAT) {
                throw new IllegalArgumentException(
                        "unsupported model snapshot format "
                                + version
                                + "; formats read: "
                                + PLAIN_FORMAT
                                + " (without architecture search), "
                                + SEARCH_FORMAT
                                + " (with architecture search) and "
                                + FLAGGED_FORMAT
                                + " (with an embedding rule or a base rate)");
            }
            String modelName = in.readUTF();
            long step = in.readLong();
            long skippedSteps = in.readLong();
            int flags =
                    version == FLAGGED_FORMAT
                            ? in.readByte()
                            : (version == SEARCH_FORMAT ? HAS_SEARCH : 0);
            if ((flags & ~(HAS_SEARCH | HAS_BASE_RATE)) != 0) {
                throw new IllegalArgumentException(
                        "model snapshot of '" + modelName + "' has unknown flags " + flags);
            }
            SearchState search = (flags & HAS_SEARCH) != 0 ? readSearchState(in) : null;
            EmbeddingOptimizer rule =
                    version == FLAGGED_FORMAT
                            ? EmbeddingOptimizer.parse(in.readUTF())
                            : EmbeddingOptimizer.ADAM;
            BaseRateState rate =
                    (flags & HAS_BASE_RATE) != 0
                            ? new BaseRateState(in.readInt(), in.readDouble(), in.readDouble())
                            : null;
            byte[] arrays = readBlock(in, "arrays");
            if (in.available() > 0) {
                throw new IllegalArgumentException(
                        "model snapshot of '"
                                + modelName
                                + "' has "
                                + in.available()
                                + " bytes after its end");
            }
            return new TrainerSnapshot(modelName, step, skippedSteps, search, rule, rate, arrays);
        } catch (EOFException e) {
            throw new IllegalArgumentException(
                    "truncated model snapshot of " + bytes.length + " bytes", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SearchState readSearchState(DataInputStream in) throws IOException {
        int ordinal = in.readByte();
        if (ordinal != TrainingStage.SEARCH.ordinal()
                && ordinal != TrainingStage.RETRAIN.ordinal()) {
            throw new IllegalArgumentException(
                    "model snapshot has stage "
                            + ordinal
                            + ", expected "
                            + TrainingStage.SEARCH.ordinal()
                            + " (SEARCH) or "
                            + TrainingStage.RETRAIN.ordinal()
                            + " (RETRAIN)");
        }
        long searchedEvents = in.readLong();
        long weightStepOffset = in.readLong();
        return new SearchState(
                TrainingStage.values()[ordinal],
                searchedEvents,
                weightStepOffset,
                readBlock(in, "architecture"));
    }

    /** An int length, then that many bytes. */
    private static byte[] readBlock(DataInputStream in, String what) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IllegalArgumentException(
                    "model snapshot's "
                            + what
                            + " claim "
                            + length
                            + " bytes, "
                            + in.available()
                            + " are left");
        }
        byte[] block = new byte[length];
        in.readFully(block);
        return block;
    }
}
