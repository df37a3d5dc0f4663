package io.streamctr.model.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import io.streamctr.model.runtime.DjlRuntime;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stages of a trainer whose block implements {@link ArchitectureSearch} (OptFusion, Zhang et
 * al., WSDM 2025, Sec. 3.4). During {@link TrainingStage#SEARCH} the architecture parameters have
 * their own Adam (the schedule's learning rate, no weight decay) and step on the same mini-batch as
 * the weights, and the labelled events are counted; once the schedule's budget is spent, {@link
 * #end} freezes the architecture, re-initializes the weights unless the schedule warm-starts (their
 * Adam then counts its steps from the switch: the weight step offset), and moves to {@link
 * TrainingStage#RETRAIN}. For any other block it is the single stage {@link TrainingStage#FIXED}
 * and does nothing.
 *
 * <p>Not thread-safe: driven by its trainer's thread.
 */
final class ArchitectureSearchStage {

    /** The trainer's log, where the freeze was always reported. */
    private static final Logger LOG = LoggerFactory.getLogger(OnlineTrainer.class);

    private final String modelName;

    /** Null for a block without search (FIXED). */
    private final ArchitectureSearch search;

    private final AdamOptimizer optimizer;
    private final long seed;
    private final NDManager manager;
    private TrainingStage stage;
    private long searchedEvents;

    /**
     * The weights' Adam counts its steps from here (the switch, when the weights were
     * re-initialized).
     */
    private long weightStepOffset;

    private ArchitectureSearchStage(
            String modelName, ArchitectureSearch search, TrainerConfig config, NDManager manager) {
        this.modelName = modelName;
        this.search = search;
        this.seed = config.seed();
        this.manager = manager;
        if (search == null) {
            this.optimizer = null;
            this.stage = TrainingStage.FIXED;
        } else {
            float lr = search.searchSchedule().architectureLearningRate();
            TrainerConfig arch =
                    new TrainerConfig(
                            lr,
                            lr,
                            0f,
                            0f,
                            config.beta1(),
                            config.beta2(),
                            config.epsilon(),
                            config.seed());
            List<Parameter> parameters = search.architectureParameters();
            this.optimizer =
                    new AdamOptimizer(parameters, new boolean[parameters.size()], arch, manager);
            this.stage =
                    search.isArchitectureFrozen() ? TrainingStage.RETRAIN : TrainingStage.SEARCH;
        }
    }

    /**
     * The stages of an initialized block: SEARCH (or RETRAIN if already frozen) for an {@link
     * ArchitectureSearch}, else FIXED.
     */
    static ArchitectureSearchStage of(
            String modelName, Block block, TrainerConfig config, NDManager manager) {
        return new ArchitectureSearchStage(
                modelName, block instanceof ArchitectureSearch s ? s : null, config, manager);
    }

    /**
     * The architecture parameters, which the weights' optimizer must leave alone (empty without
     * search).
     */
    List<Parameter> parameters() {
        return search == null ? List.of() : search.architectureParameters();
    }

    boolean hasSearch() {
        return search != null;
    }

    TrainingStage stage() {
        return stage;
    }

    boolean searching() {
        return stage == TrainingStage.SEARCH;
    }

    long searchedEvents() {
        return searchedEvents;
    }

    long weightStepOffset() {
        return weightStepOffset;
    }

    /** Whether the search has had its schedule's labelled events (at once for a budget of 0). */
    boolean budgetSpent() {
        return searching() && searchedEvents >= search.searchSchedule().searchEvents();
    }

    /** Zeroes the architecture gradients while searching (a skipped step). */
    void zeroGradients() {
        if (searching()) {
            optimizer.zeroGradients();
        }
    }

    /** Whether, while searching, an architecture gradient is not finite. */
    boolean hasNonFiniteGradient() {
        return searching() && optimizer.hasNonFiniteGradient(null);
    }

    /**
     * While searching, the architecture parameters with a non-finite gradient ({@link
     * AdamOptimizer#nonFiniteGradientReport}).
     */
    String nonFiniteGradientReport() {
        return searching() ? optimizer.nonFiniteGradientReport(null) : "";
    }

    /**
     * After the weights' update of step {@code step} (1-based) on {@code labelled} events: the
     * architecture's, while searching.
     */
    void stepped(long step, int labelled) {
        if (searching()) {
            optimizer.update(step);
            searchedEvents += labelled;
        }
    }

    /**
     * Ends the search at training step {@code step}: freezes the architecture, re-initializes the
     * weights and resets their Adam unless the schedule warm-starts, moves to RETRAIN. Returns
     * false (and does nothing) when not searching.
     */
    boolean end(long step, List<Parameter> weights, AdamOptimizer weightOptimizer) {
        if (!searching()) {
            return false;
        }
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            optimizer.zeroGradients();
            search.freezeArchitecture();
            if (!search.searchSchedule().warmStart()) {
                reinitialize(weights);
                weightOptimizer.resetMoments();
                weightStepOffset = step;
            }
            stage = TrainingStage.RETRAIN;
            LOG.info(
                    "model '{}' froze its architecture after {} searched events (step {}): {}",
                    modelName,
                    searchedEvents,
                    step,
                    search.architectureJson());
            return true;
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    /** Fresh values from each weight's own initializer, under a seed derived from the config's. */
    private void reinitialize(List<Parameter> weights) {
        Engine engine = DjlRuntime.engine();
        synchronized (OnlineTrainer.INIT_LOCK) {
            engine.setRandomSeed((int) (seed + 1));
            for (Parameter p : weights) {
                NDArray w = p.getArray();
                try (NDArray fresh =
                        p.getInitializer().initialize(manager, w.getShape(), DataType.FLOAT32)) {
                    AdamOptimizer.copyInto(fresh, w);
                }
            }
        }
    }

    /** The architecture optimizer's moments (first, then second; views); empty without search. */
    NDList optimizerState() {
        return search == null ? new NDList() : optimizer.state();
    }

    /** The progress for a snapshot; null without search. */
    TrainerSnapshot.SearchState state() {
        return search == null
                ? null
                : new TrainerSnapshot.SearchState(
                        stage, searchedEvents, weightStepOffset, search.architectureState());
    }

    /**
     * Takes back a snapshot's progress and the architecture optimizer's moments ({@link
     * #optimizerState()}).
     */
    void restore(TrainerSnapshot.SearchState saved, NDList optimizerState) {
        if (search == null) {
            return;
        }
        optimizer.load(optimizerState);
        search.restoreArchitectureState(saved.architecture());
        stage = saved.stage();
        searchedEvents = saved.searchedEvents();
        weightStepOffset = saved.weightStepOffset();
    }
}
