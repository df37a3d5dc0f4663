package io.streamctr.cli.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.model.optfusion.ArchitectureLayout;
import io.streamctr.model.optfusion.ArchitectureWriter;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command on a saved JSON (no checkpoint; the checkpoint path is in the ITCase). */
class ArchitectureCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new ArchitectureCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void redrawsASavedJsonAsSvgAndPng(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("optfusion-hard-seed1-architecture.json");
        Files.writeString(json, ArchitectureWriter.toJson(ArchitectureJsonTest.architecture()));

        int code =
                run(
                        "--json",
                        json.toString(),
                        "--format",
                        "svg,PNG",
                        "--output",
                        dir.resolve("out").toString());

        assertThat(code).as(err.toString()).isZero();
        Path svg = dir.resolve("out/optfusion-hard-seed1-architecture.svg");
        Path png = dir.resolve("out/optfusion-hard-seed1-architecture.png");
        assertThat(out.toString()).contains("wrote " + svg).contains("wrote " + png);
        assertThat(Files.readString(svg)).startsWith("<svg").contains("data-block=\"D2\"");
        BufferedImage image = ImageIO.read(png.toFile());
        ArchitectureLayout layout = ArchitectureLayout.of(ArchitectureJsonTest.architecture());
        assertThat(image.getWidth()).isEqualTo((int) Math.ceil(layout.width()));
        assertThat(dir.resolve("out/optfusion-hard-seed1-architecture.dot")).doesNotExist();
    }

    @Test
    void anUnknownFormatOrABadFileIsAUsageError(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("a.json");
        Files.writeString(json, "{\"variant\":\"soft\"}");

        assertThat(run("--json", json.toString(), "--format", "gif")).isEqualTo(2);
        assertThat(err.toString()).contains("--format must be json, dot, svg or png");
        assertThat(run("--json", json.toString(), "--output", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("architecture: ").contains("missing field 'blocks'");
        assertThat(run("--json", dir.resolve("none.json").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("is not a file");
    }
}
