package io.streamctr.cli.architecture;

import io.streamctr.cli.Choices;
import io.streamctr.cli.Inputs;
import io.streamctr.flink.JobOptions;
import io.streamctr.flink.StreamCtrPipeline;
import io.streamctr.model.ModelRegistry;
import io.streamctr.model.learn.DeepLearner;
import io.streamctr.model.learn.Learners;
import io.streamctr.model.optfusion.ArchitectureWriter;
import io.streamctr.model.optfusion.FusionArchitecture;
import io.streamctr.model.optfusion.OptFusionModel;
import io.streamctr.model.runtime.DjlRuntime;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Writes the architecture an OptFusion learner searched (kept edges, the operation of each block)
 * as JSON and as Graphviz DOT, read from a retained checkpoint or a savepoint of the job.
 */
@Command(
        name = "architecture",
        mixinStandardHelpOptions = true,
        description = {
            "Write an OptFusion model's learned architecture (JSON + Graphviz DOT) from a"
                    + " checkpoint or savepoint.",
            "Render the DOT with Graphviz if installed (Debian: apt-get install graphviz): dot"
                    + " -Tpng FILE.dot -o FILE.png"
        })
public final class ArchitectureCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--checkpoint",
            required = true,
            paramLabel = "PATH",
            description = "A retained checkpoint (…/chk-N) or a savepoint of the streamctr job.")
    String checkpoint;

    @Option(
            names = "--model",
            defaultValue = "optfusion-soft",
            paramLabel = "NAME",
            description =
                    "The learner's model name (its operator uid is learner-NAME). Default:"
                            + " ${DEFAULT-VALUE}.")
    String model;

    @Option(
            names = "--output",
            defaultValue = ".",
            paramLabel = "DIR",
            description =
                    "Where to write NAME-architecture.json/.dot. Default: the working directory.")
    Path output;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "Job options the job ran with that shape the model (ctr.features.*,"
                            + " ctr.sequence.max-length, ctr.learner.*, ctr.train.*); repeatable.")
    Map<String, String> options = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        validate();
        Configuration conf = new Configuration();
        options.forEach(conf::setString);
        DjlRuntime.configure();
        byte[] snapshot;
        try {
            snapshot = ModelStateReader.read(checkpoint, model);
        } catch (Exception e) {
            err.println(
                    "architecture: cannot read learner '"
                            + model
                            + "' from "
                            + checkpoint
                            + ": "
                            + rootMessage(e));
            return 1;
        }
        var featureSpec = StreamCtrPipeline.featureSpec(conf);
        // the learner the job built: the deep model behind the freshness levers it ran with
        try (DeepLearner learner =
                Learners.createDeep(
                        model,
                        featureSpec,
                        JobOptions.trainerConfig(conf),
                        "cpu",
                        JobOptions.freshnessConfig(conf),
                        (block, deepSpec) -> block)) {
            learner.restore(snapshot);
            if (!(learner.trainer().block() instanceof OptFusionModel optFusion)) {
                err.println(
                        "architecture: model '"
                                + model
                                + "' is not an OptFusion model; nothing to draw");
                return 2;
            }
            FusionArchitecture architecture = optFusion.architecture();
            Files.createDirectories(output);
            Path json = output.resolve(model + "-architecture.json");
            Path dot = output.resolve(model + "-architecture.dot");
            Files.writeString(json, ArchitectureWriter.toJson(architecture));
            Files.writeString(dot, ArchitectureWriter.toDot(architecture));
            out.printf(
                    "%s at step %d, stage %s (%s)%n",
                    model,
                    learner.step(),
                    learner.trainer().stage(),
                    optFusion.isArchitectureFrozen()
                            ? "architecture frozen"
                            : "still searching: the current argmax is shown");
            out.println("wrote " + json.toAbsolutePath());
            out.println(
                    "wrote "
                            + dot.toAbsolutePath()
                            + "  (render: dot -Tpng "
                            + dot.getFileName()
                            + " -o "
                            + model
                            + "-architecture.png)");
            out.flush();
        }
        return 0;
    }

    /** An OptFusion model's name, a local checkpoint that exists, an output directory. */
    private void validate() {
        List<String> optFusion =
                ModelRegistry.names().stream().filter(n -> n.startsWith("optfusion")).toList();
        Choices.require("OptFusion model", model, optFusion, "registered OptFusion models");
        if (!checkpoint.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*") || checkpoint.startsWith("file:")) {
            Path local = Path.of(checkpoint.replaceFirst("^file:(//)?", ""));
            Inputs.existing(
                    "--checkpoint", local, "a retained checkpoint (…/chk-N) or a savepoint");
        }
        Inputs.outputDirectory("--output", output);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
