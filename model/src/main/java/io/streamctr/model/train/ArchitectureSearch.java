package io.streamctr.model.train;

import ai.djl.nn.Parameter;
import java.util.List;

/**
 * A model whose architecture is searched one-shot on the stream and then frozen (OptFusion, Zhang
 * et al., WSDM 2025, Sec. 3.4). {@link OnlineTrainer} recognizes a block that implements it: during
 * the search it steps the {@link #architectureParameters()} with their own Adam (their own learning
 * rate, no weight decay) on the same mini-batch as the model weights; after {@link
 * SearchSchedule#searchEvents()} labelled events it calls {@link #freezeArchitecture()} and the
 * model continues as the derived architecture, its weights warm-started or re-initialized. The
 * frozen architecture is part of the trainer's snapshot.
 */
public interface ArchitectureSearch {

    /** The architecture parameters: never stepped by the weights' optimizer. */
    List<Parameter> architectureParameters();

    /** How long to search and how to step the architecture parameters. */
    SearchSchedule searchSchedule();

    boolean isArchitectureFrozen();

    /** Ends the search: fixes the architecture derived from the current architecture parameters. */
    void freezeArchitecture();

    /** The frozen architecture as bytes, or an empty array while searching. */
    byte[] architectureState();

    /** Restores what {@link #architectureState()} returned; an empty array means searching. */
    void restoreArchitectureState(byte[] state);

    /**
     * The current architecture as JSON (derived from the architecture parameters while searching).
     */
    String architectureJson();
}
