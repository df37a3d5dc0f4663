package io.streamctr.cli.architecture;

import io.streamctr.cli.Choices;
import io.streamctr.cli.Inputs;
import io.streamctr.flink.JobOptions;
import io.streamctr.flink.StreamCtrPipeline;
import io.streamctr.model.ModelRegistry;
import io.streamctr.model.learn.DeepLearner;
import io.streamctr.model.learn.Learners;
import io.streamctr.model.optfusion.FusionArchitecture;
import io.streamctr.model.optfusion.OptFusionModel;
import io.streamctr.model.runtime.DjlRuntime;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Writes the architecture an OptFusion learner searched (kept edges, the operation of each block)
 * as JSON, Graphviz DOT and the project's own drawing (SVG, PNG; no Graphviz needed), read from a
 * retained checkpoint or a savepoint of the job, or redrawn from a JSON file written before.
 */
@Command(
        name = "architecture",
        mixinStandardHelpOptions = true,
        description = {
            "Write an OptFusion model's learned architecture (JSON, Graphviz DOT, SVG, PNG) from a"
                    + " checkpoint or savepoint, or redraw a saved JSON.",
            "The SVG and PNG are drawn by streamctr itself: blocks by level, each with its"
                    + " operation, and the kept edges."
        })
public final class ArchitectureCommand implements Callable<Integer> {

    /** Where the architecture comes from. */
    static final class Source {
        @Option(
                names = "--checkpoint",
                required = true,
                paramLabel = "PATH",
                description =
                        "A retained checkpoint (…/chk-N) or a savepoint of the streamctr job.")
        String checkpoint;

        @Option(
                names = "--json",
                required = true,
                paramLabel = "FILE",
                description =
                        "An architecture JSON written before (by this command or evaluate"
                                + " --architecture-dir); the files are named after it.")
        Path json;
    }

    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

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
            description = "Where to write NAME-architecture.EXT. Default: the working directory.")
    Path output;

    @Option(
            names = "--format",
            split = ",",
            defaultValue = "json,dot,svg",
            paramLabel = "FORMAT",
            description =
                    "What to write, comma-separated: json, dot, svg, png. Default:"
                            + " ${DEFAULT-VALUE}.")
    List<String> formats = new ArrayList<>();

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "Job options the job ran with that shape the model (ctr.features.*,"
                            + " ctr.sequence.max-length, ctr.learner.*, ctr.train.*); repeatable.")
    Map<String, String> options = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        Set<ArchitectureFormat> chosen = formats();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (source.json != null) {
            if (!Files.isRegularFile(source.json)) {
                throw new ParameterException(
                        spec.commandLine(), "--json " + source.json + " is not a file");
            }
            FusionArchitecture architecture;
            try {
                architecture = ArchitectureJson.read(source.json);
            } catch (IllegalArgumentException e) {
                err.println("architecture: " + e.getMessage());
                err.flush();
                return 2;
            }
            String base = source.json.getFileName().toString().replaceFirst("\\.json$", "");
            chosen.remove(ArchitectureFormat.JSON);
            if (chosen.isEmpty()) {
                err.println("architecture: nothing to write: " + source.json + " is the JSON");
                err.flush();
                return 2;
            }
            written(out, ArchitectureFormat.writeAll(architecture, chosen, output, base));
            return 0;
        }
        validate();
        Configuration conf = new Configuration();
        options.forEach(conf::setString);
        DjlRuntime.configure();
        byte[] snapshot;
        try {
            snapshot = ModelStateReader.read(source.checkpoint, model);
        } catch (Exception e) {
            err.println(
                    "architecture: cannot read learner '"
                            + model
                            + "' from "
                            + source.checkpoint
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
            out.printf(
                    "%s at step %d, stage %s (%s)%n",
                    model,
                    learner.step(),
                    learner.trainer().stage(),
                    optFusion.isArchitectureFrozen()
                            ? "architecture frozen"
                            : "still searching: the current argmax is shown");
            written(
                    out,
                    ArchitectureFormat.writeAll(
                            architecture, chosen, output, model + "-architecture"));
        }
        return 0;
    }

    private Set<ArchitectureFormat> formats() {
        Set<ArchitectureFormat> chosen = EnumSet.noneOf(ArchitectureFormat.class);
        for (String f : formats) {
            try {
                chosen.add(ArchitectureFormat.valueOf(f.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--format must be json, dot, svg or png (comma-separated), got '"
                                + f
                                + "'");
            }
        }
        if (chosen.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--format names no format");
        }
        return chosen;
    }

    private static void written(PrintWriter out, List<Path> files) {
        for (Path file : files) {
            out.println("wrote " + file.toAbsolutePath());
        }
        out.flush();
    }

    /** An OptFusion model's name, a local checkpoint that exists, an output directory. */
    private void validate() {
        List<String> optFusion =
                ModelRegistry.names().stream().filter(n -> n.startsWith("optfusion")).toList();
        Choices.require("OptFusion model", model, optFusion, "registered OptFusion models");
        String checkpoint = source.checkpoint;
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
