package io.streamctr.cli.architecture;

import io.streamctr.model.optfusion.ArchitecturePng;
import io.streamctr.model.optfusion.ArchitectureSvg;
import io.streamctr.model.optfusion.ArchitectureWriter;
import io.streamctr.model.optfusion.FusionArchitecture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The files a learned OptFusion architecture can be written as: JSON (α, β, read back by {@link
 * ArchitectureJson}), Graphviz DOT, and the project's own drawing as SVG or PNG (no Graphviz).
 */
public enum ArchitectureFormat {
    JSON,
    DOT,
    SVG,
    PNG;

    /** The file name extension, with its dot. */
    public String extension() {
        return "." + name().toLowerCase(Locale.ROOT);
    }

    /** The file's bytes. */
    public byte[] render(FusionArchitecture a) {
        return switch (this) {
            case JSON -> ArchitectureWriter.toJson(a).getBytes(StandardCharsets.UTF_8);
            case DOT -> ArchitectureWriter.toDot(a).getBytes(StandardCharsets.UTF_8);
            case SVG -> ArchitectureSvg.render(a).getBytes(StandardCharsets.UTF_8);
            case PNG -> ArchitecturePng.render(a);
        };
    }

    /**
     * Writes {@code dir/base.EXT} for each format (in enum order), creating {@code dir}.
     *
     * @return the files written
     */
    public static List<Path> writeAll(
            FusionArchitecture a, Collection<ArchitectureFormat> formats, Path dir, String base)
            throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (ArchitectureFormat format : values()) {
            if (formats.contains(format)) {
                Path file = dir.resolve(base + format.extension());
                Files.write(file, format.render(a));
                written.add(file);
            }
        }
        return written;
    }
}
