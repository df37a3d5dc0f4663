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

/**
 * What an {@link OnlineTrainer}'s snapshot holds, and its bytes (Flink operator state). Each format
 * ever written is still read; the bytes lead with the format's version:
 *
 * <ol>
 *   <li>a model without architecture search: the model name (modified UTF-8), the step and the
 *       skipped steps (longs), then the arrays;
 *   <li>a model with architecture search: as 1, with its {@link SearchState} after the counters:
 *       the stage (ordinal byte), the searched events and the weight step offset (longs), the frozen
 *       architecture (int length, bytes; empty while searching).
 * </ol>
 *
 * <p>The arrays are one DJL-encoded {@code NDList} (int length, bytes): the block's parameters in its
 * order, the weights' Adam moments (first, then second), then the architecture optimizer's
 * ({@link #of} and {@link #restoreInto}).
 *
 * @param modelName the name the trainer was given
 * @param step the training step (the model version)
 * @param skippedSteps steps skipped for a non-finite loss or gradient
 * @param search the architecture search's progress; null for a model without one (format 1)
 * @param arrays the encoded parameters and Adam moments
 */
record TrainerSnapshot(String modelName, long step, long skippedSteps, SearchState search, byte[] arrays) {

    /** A model without architecture search. */
    static final byte PLAIN_FORMAT = 1;
    /** A model with architecture search: format 1 plus the stage, its counters and the architecture. */
    static final byte SEARCH_FORMAT = 2;

    /**
     * Where an architecture search stands.
     *
     * @param stage {@link TrainingStage#SEARCH} or {@link TrainingStage#RETRAIN}
     * @param searchedEvents labelled events trained on while searching
     * @param weightStepOffset the step from which the weights' Adam counts (the switch, after a re-initialization)
     * @param architecture the frozen architecture ({@link ArchitectureSearch#architectureState()}), empty while searching
     */
    record SearchState(TrainingStage stage, long searchedEvents, long weightStepOffset, byte[] architecture) {}

    /** A trainer's state: its counters, the search's progress, parameters and moments (encoded). */
    static TrainerSnapshot of(String modelName, long step, long skippedSteps, ModelParameters parameters,
            AdamOptimizer weights, ArchitectureSearchStage searchStage) {
        NDList arrays = new NDList();
        parameters.all.forEach(p -> arrays.add(p.getArray()));
        arrays.addAll(weights.state());
        arrays.addAll(searchStage.optimizerState());
        return new TrainerSnapshot(modelName, step, skippedSteps, searchStage.state(), arrays.encode());
    }

    /**
     * Puts the parameters, the moments and the search's progress back into a trainer's (the caller
     * takes the step and the counters), decoding the arrays in a sub-manager of {@code manager}.
     *
     * @throws IllegalArgumentException when the snapshot is of another model name, of a model with
     *     (without) architecture search for one without (with), or of another architecture
     */
    void restoreInto(String model, NDManager manager, ModelParameters parameters, AdamOptimizer weights,
            ArchitectureSearchStage searchStage) {
        if (!modelName.equals(model)) {
            throw new IllegalArgumentException("snapshot is of model '" + modelName + "', not '" + model + "'");
        }
        if ((search != null) != searchStage.hasSearch()) {
            throw new IllegalArgumentException("snapshot format " + format() + " is of a model " + (search != null ? "with" : "without")
                    + " architecture search; model '" + model + "' is " + (search != null ? "without" : "with") + " one");
        }
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager restoreManager = manager.newSubManager()) {
            NDList decoded = NDList.decode(restoreManager, arrays);
            int n = parameters.all.size();
            int w = parameters.weights.size();
            if (decoded.size() != 3 * n) { // parameters, then two moments each (the weights', then the architecture's)
                throw new IllegalArgumentException("snapshot holds " + decoded.size() + " arrays; model '" + model
                        + "' needs " + 3 * n + " (parameters + Adam moments): was it saved by another architecture?");
            }
            for (int i = 0; i < n; i++) {
                AdamOptimizer.copyInto(decoded.get(i), parameters.all.get(i).getArray());
            }
            weights.load(new NDList(decoded.subList(n, n + 2 * w)));
            searchStage.restore(search, new NDList(decoded.subList(n + 2 * w, decoded.size())));
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    /** The format these contents are written in. */
    byte format() {
        return search == null ? PLAIN_FORMAT : SEARCH_FORMAT;
    }

    /** The bytes in the current format of their kind (identical to what the trainer always wrote). */
    byte[] toBytes() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(format());
            out.writeUTF(modelName);
            out.writeLong(step);
            out.writeLong(skippedSteps);
            if (search != null) {
                out.writeByte(search.stage().ordinal());
                out.writeLong(search.searchedEvents());
                out.writeLong(search.weightStepOffset());
                out.writeInt(search.architecture().length);
                out.write(search.architecture());
            }
            out.writeInt(arrays.length);
            out.write(arrays);
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
            if (version != PLAIN_FORMAT && version != SEARCH_FORMAT) {
                throw new IllegalArgumentException("unsupported model snapshot format " + version + "; formats read: "
                        + PLAIN_FORMAT + " (without architecture search) and " + SEARCH_FORMAT + " (with architecture search)");
            }
            String modelName = in.readUTF();
            long step = in.readLong();
            long skippedSteps = in.readLong();
            SearchState search = version == SEARCH_FORMAT ? readSearchState(in) : null;
            byte[] arrays = readBlock(in, "arrays");
            if (in.available() > 0) {
                throw new IllegalArgumentException("model snapshot of '" + modelName + "' has " + in.available()
                        + " bytes after its end");
            }
            return new TrainerSnapshot(modelName, step, skippedSteps, search, arrays);
        } catch (EOFException e) {
            throw new IllegalArgumentException("truncated model snapshot of " + bytes.length + " bytes", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SearchState readSearchState(DataInputStream in) throws IOException {
        int ordinal = in.readByte();
        if (ordinal != TrainingStage.SEARCH.ordinal() && ordinal != TrainingStage.RETRAIN.ordinal()) {
            throw new IllegalArgumentException("model snapshot has stage " + ordinal + ", expected "
                    + TrainingStage.SEARCH.ordinal() + " (SEARCH) or " + TrainingStage.RETRAIN.ordinal() + " (RETRAIN)");
        }
        long searchedEvents = in.readLong();
        long weightStepOffset = in.readLong();
        return new SearchState(TrainingStage.values()[ordinal], searchedEvents, weightStepOffset, readBlock(in, "architecture"));
    }

    /** An int length, then that many bytes. */
    private static byte[] readBlock(DataInputStream in, String what) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IllegalArgumentException("model snapshot's " + what + " claim " + length + " bytes, "
                    + in.available() + " are left");
        }
        byte[] block = new byte[length];
        in.readFully(block);
        return block;
    }
}
