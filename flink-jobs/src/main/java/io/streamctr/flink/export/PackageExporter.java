package io.streamctr.flink.export;

import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.pkg.ModelPackage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.apache.flink.core.fs.Path;

/**
 * Periodic export of one learner's model package from the running job (issue 15, item 2). The
 * learner operator owns the learner, so it drives this: on a checkpoint's snapshot, when an export
 * is due ({@link ExportConfig}), the package of the learner as checkpointed is staged in a local
 * temporary folder ({@link ModelPackage#save}); when that checkpoint completes it is published to
 * {@code path/NAME/step-N}: copied with Flink's {@link FileSystem} to {@code step-N.tmp-UUID}, then
 * renamed, so a reader that lists {@code path/NAME} never sees half a package (skip names with
 * {@code .tmp-}). The newest {@code keep} packages stay; older ones, and the temporary folders of
 * an earlier attempt, are deleted. A package exported is always one of a completed checkpoint: a
 * job restored from that checkpoint continues from the same state.
 *
 * <p>Not thread-safe: called from the operator's task thread.
 */
public final class PackageExporter implements AutoCloseable {

    /** What a published package's folder is called: {@code step-N}. */
    public static final Pattern PACKAGE = Pattern.compile("step-(\\d+)");

    private static final String TMP = ".tmp-";

    private final ExportConfig config;
    private final Path root;
    private final TreeMap<Long, Staged> staged = new TreeMap<>();
    private long lastStep;
    private long lastMillis;
    private boolean finalExport;

    /** A package staged for a checkpoint; {@code last} when it is the one after the input ended. */
    private record Staged(long step, java.nio.file.Path dir, boolean last) {}

    /**
     * An exporter of learner {@code learner} whose model is now at {@code step}: the first export
     * is due a schedule's length from now.
     */
    public PackageExporter(ExportConfig config, String learner, long step, long nowMillis) {
        this.config = config;
        this.root = new Path(config.path(), learner);
        this.lastStep = step;
        this.lastMillis = nowMillis;
    }

    /** The folder of a learner's packages under the export root. */
    public Path root() {
        return root;
    }

    /** The next snapshot stages the learner whatever the schedule (the end of a bounded input). */
    public void exportAtNextCheckpoint() {
        finalExport = true;
    }

    /**
     * Stages the learner's package for checkpoint {@code checkpointId} when an export is due and
     * the model moved since the last one; returns whether it did.
     */
    public boolean onSnapshot(long checkpointId, OnlineLearner learner, long nowMillis)
            throws IOException {
        long step = learner.step();
        if (step == lastStep
                || !(finalExport || config.due(step, nowMillis, lastStep, lastMillis))) {
            return false;
        }
        java.nio.file.Path dir = Files.createTempDirectory("streamctr-export-");
        try {
            ModelPackage.save(learner, dir);
        } catch (IOException | RuntimeException e) {
            deleteLocal(dir);
            throw e;
        }
        // the flag is spent by the snapshot taken after the input ended, not by the completion of a
        // checkpoint begun before it (whose package misses the last events)
        staged.put(checkpointId, new Staged(step, dir, finalExport));
        finalExport = false;
        return true;
    }

    /**
     * Publishes the newest package staged at or before checkpoint {@code checkpointId} (which
     * subsumes older ones) and returns its folder, null when there was none.
     */
    public Path onCheckpointComplete(long checkpointId) throws IOException {
        Map.Entry<Long, Staged> newest = staged.floorEntry(checkpointId);
        if (newest == null) {
            return null;
        }
        Staged chosen = staged.remove(newest.getKey());
        dropStaged(staged.headMap(checkpointId, true)); // subsumed
        lastStep = chosen.step();
        lastMillis = System.currentTimeMillis();
        try {
            return publish(chosen);
        } finally {
            deleteLocal(chosen.dir());
        }
    }

    /** Drops what was staged for a checkpoint that will not complete. */
    public void onCheckpointAborted(long checkpointId) {
        Staged s = staged.remove(checkpointId);
        if (s != null) {
            deleteLocal(s.dir());
            finalExport |= s.last(); // the next checkpoint exports the final model instead
        }
    }

    private Path publish(Staged s) throws IOException {
        FileSystem fs = root.getFileSystem();
        Path target = new Path(root, "step-" + s.step());
        if (fs.exists(target)) {
            return target; // exported before a restart from an earlier checkpoint: the same state
        }
        fs.mkdirs(root);
        Path tmp = new Path(root, "step-" + s.step() + TMP + UUID.randomUUID());
        fs.mkdirs(tmp);
        List<java.nio.file.Path> files;
        try (Stream<java.nio.file.Path> listed = Files.list(s.dir())) {
            // the manifest last: a reader of a file system without atomic renames waits for it
            files = listed.sorted(Comparator.comparing(PackageExporter::isManifest)).toList();
        }
        for (java.nio.file.Path file : files) {
            try (OutputStream out =
                    fs.create(
                            new Path(tmp, file.getFileName().toString()), WriteMode.NO_OVERWRITE)) {
                Files.copy(file, out);
            }
        }
        if (!fs.rename(tmp, target)) {
            fs.delete(tmp, true);
            throw new IOException("cannot rename " + tmp + " to " + target);
        }
        prune(fs);
        return target;
    }

    /** Deletes all but the newest {@code keep} packages, and temporary folders left behind. */
    private void prune(FileSystem fs) throws IOException {
        FileStatus[] entries = fs.listStatus(root);
        if (entries == null) {
            return;
        }
        List<FileStatus> packages = new ArrayList<>();
        for (FileStatus entry : entries) {
            String name = entry.getPath().getName();
            if (name.contains(TMP)) {
                fs.delete(entry.getPath(), true);
            } else if (PACKAGE.matcher(name).matches()) {
                packages.add(entry);
            }
        }
        packages.sort(
                Comparator.comparingLong((FileStatus f) -> step(f.getPath().getName())).reversed());
        for (FileStatus old :
                packages.subList(Math.min(config.keep(), packages.size()), packages.size())) {
            fs.delete(old.getPath(), true);
        }
    }

    private static boolean isManifest(java.nio.file.Path file) {
        return file.getFileName().toString().equals(ModelPackage.MANIFEST);
    }

    /** N of a package folder named {@code step-N}. */
    public static long step(String name) {
        Matcher m = PACKAGE.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a package folder step-N");
        }
        return Long.parseLong(m.group(1));
    }

    private static void dropStaged(Map<Long, Staged> older) {
        for (Iterator<Staged> it = older.values().iterator(); it.hasNext(); ) {
            deleteLocal(it.next().dir());
            it.remove();
        }
    }

    private static void deleteLocal(java.nio.file.Path dir) {
        try (Stream<java.nio.file.Path> files = Files.walk(dir)) {
            for (java.nio.file.Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the staged package " + dir, e);
        }
    }

    @Override
    public void close() {
        dropStaged(staged);
    }
}
