package io.streamctr.datasets.adapter;

import io.streamctr.datasets.BadLineException;
import io.streamctr.datasets.DatasetAdapter;
import io.streamctr.datasets.DatasetOptions;
import io.streamctr.datasets.EventStream;
import io.streamctr.datasets.Events;
import io.streamctr.datasets.LineEventStream;
import io.streamctr.datasets.TextFiles;
import io.streamctr.schemas.ClickEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * iPinYou RTB logs in the libFM form of wnzhang/deep-ctr: {@code label idx:1 idx:1 ...} lines
 * ({@code train.fm.txt}, then {@code test.fm.txt}: the test days follow the training days) and
 * {@code featindex.fm.txt} mapping {@code field:value} to each index. The fields are recovered from
 * the index: each {@code idx} becomes the categorical feature {@code field = value} (e.g. {@code
 * weekday = 2}, {@code hour = 13}). The log has no user or event time: the time is the line order
 * ({@code start-ms} + line x {@code interval-ms}), the user a pseudo-user {@code u<line mod users>}
 * (default 1000 users), the item the {@code creative} when present.
 */
public final class IpinyouAdapter implements DatasetAdapter {

    @Override
    public String name() {
        return "ipinyou";
    }

    @Override
    public String description() {
        return "iPinYou libFM lines (train.fm.txt, test.fm.txt) + featindex.fm.txt: fields"
                + " recovered from the index";
    }

    @Override
    public boolean timeOrdered() {
        return true;
    }

    @Override
    public EventStream open(Path path, DatasetOptions options) {
        TextFiles.requireExists(path);
        Path dir = TextFiles.dirOf(path);
        List<Path> files = new ArrayList<>();
        if (Files.isRegularFile(path)) {
            files.add(path);
        } else {
            files.add(TextFiles.require(dir, "train.fm.txt"));
            TextFiles.find(dir, "test.fm.txt").ifPresent(files::add);
        }
        Map<Integer, String[]> index = new HashMap<>();
        TextFiles.forEachLine(
                TextFiles.require(dir, "featindex.fm.txt", "featindex.txt"),
                StandardCharsets.UTF_8,
                false,
                (text, line) -> {
                    String[] f = TextFiles.split(text, '\t');
                    int colon = f[0].indexOf(':');
                    if (f.length != 2 || colon < 0) {
                        throw new IllegalArgumentException(
                                "expected field:value<TAB>index, got '" + text + "'");
                    }
                    index.put(
                            Integer.parseInt(f[1].strip()),
                            new String[] {f[0].substring(0, colon), f[0].substring(colon + 1)});
                });
        long users = options.getLong("users", 1000);
        long start = options.getLong("start-ms", 0);
        long interval = options.getLong("interval-ms", 1);
        long[] ordinal = {0};
        return new LineEventStream(
                files,
                (text, file, line, out) -> {
                    String[] f = TextFiles.split(text.strip(), ' ');
                    long n = ordinal[0]++;
                    ClickEvent e =
                            Events.create(
                                    "ipinyou:" + TextFiles.stem(file) + ":" + line,
                                    "u" + n % users,
                                    "",
                                    Inputs.lineTime(start, interval, n),
                                    Events.binaryLabel(f[0]),
                                    null);
                    for (int i = 1; i < f.length; i++) {
                        int colon = f[i].indexOf(':');
                        int idx = Integer.parseInt(colon < 0 ? f[i] : f[i].substring(0, colon));
                        String[] fieldValue = index.get(idx);
                        if (fieldValue == null) {
                            throw new BadLineException(
                                    "feature index " + idx + " is not in the featindex file");
                        }
                        e.getCategorical().put(fieldValue[0], fieldValue[1]);
                    }
                    String creative = e.getCategorical().get("creative");
                    if (creative != null) {
                        e.setItemId(creative);
                    }
                    out.accept(e);
                },
                options.newBadLines());
    }
}
