package io.streamctr.datasets.adapter;

import io.streamctr.datasets.BadLineException;
import io.streamctr.datasets.DatasetAdapter;
import io.streamctr.datasets.DatasetOptions;
import io.streamctr.datasets.EventStream;
import io.streamctr.datasets.Events;
import io.streamctr.datasets.LineEventStream;
import io.streamctr.datasets.LineMapper;
import io.streamctr.datasets.TextFiles;
import io.streamctr.schemas.ClickEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * KuaiVideo in the BARS/FuxiCTR form ({@code KuaiVideo_x1/train.csv}, {@code test.csv}): a CSV with
 * a header holding at least {@code user_id, item_id, is_click}; {@code pos_items} and {@code
 * neg_items} ({@code ^}-joined item ids: the user's earlier liked / skipped videos) become
 * multi-valued features; {@code group_id} (the user index for gAUC) and {@code is_like} are left
 * out of the features ({@code is_like} as the action type {@code like} when 1, else {@code view});
 * any other column is categorical. No timestamp: line order is the time.
 */
public final class KuaiVideoAdapter implements DatasetAdapter {

    private static final Set<String> SEQUENCES = Set.of("pos_items", "neg_items");
    private static final Set<String> NOT_FEATURES =
            Set.of("user_id", "item_id", "is_click", "is_like", "group_id");

    @Override
    public String name() {
        return "kuaivideo";
    }

    @Override
    public String description() {
        return "KuaiVideo_x1 (BARS) CSV: user_id, item_id, is_click, pos_items/neg_items (^); line"
                + " order as time";
    }

    @Override
    public boolean timeOrdered() {
        return true;
    }

    @Override
    public EventStream open(Path path, DatasetOptions options) {
        long start = options.getLong("start-ms", 0);
        long interval = options.getLong("interval-ms", 1);
        return new LineEventStream(
                Inputs.dataFile(path, "train.csv"),
                new LineMapper() {
                    private String[] columns;
                    private int user;
                    private int item;
                    private int click;
                    private int like;

                    @Override
                    public boolean hasHeader() {
                        return true;
                    }

                    @Override
                    public void header(String text, Path file) {
                        columns = TextFiles.split(text, ',');
                        List<String> names = Arrays.asList(columns);
                        user = names.indexOf("user_id");
                        item = names.indexOf("item_id");
                        click = names.indexOf("is_click");
                        like = names.indexOf("is_like");
                        if (user < 0 || item < 0 || click < 0) {
                            throw new IllegalArgumentException(
                                    "expected a KuaiVideo header with user_id, item_id, is_click in"
                                            + " "
                                            + file
                                            + ", got '"
                                            + text
                                            + "'");
                        }
                    }

                    @Override
                    public void map(String text, Path file, long line, Consumer<ClickEvent> out) {
                        String[] f = TextFiles.split(text, ',');
                        Events.requireFields(f, columns.length);
                        if (f[user].isEmpty()) {
                            throw new BadLineException("empty user_id");
                        }
                        String action =
                                like < 0
                                        ? null
                                        : Events.binaryLabel(f[like]) == 1 ? "like" : "view";
                        ClickEvent e =
                                Events.create(
                                        "kuaivideo:" + TextFiles.stem(file) + ":" + line,
                                        f[user],
                                        f[item],
                                        Inputs.lineTime(start, interval, line - 2),
                                        Events.binaryLabel(f[click]),
                                        action);
                        for (int i = 0; i < f.length; i++) {
                            if (SEQUENCES.contains(columns[i])) {
                                List<String> ids = new ArrayList<>();
                                for (String s : TextFiles.split(f[i], '^')) {
                                    if (!s.isEmpty()) {
                                        ids.add(s);
                                    }
                                }
                                e.getMultiValued().put(columns[i], ids);
                            } else if (!NOT_FEATURES.contains(columns[i])) {
                                Events.putCategorical(e, columns[i], f[i]);
                            }
                        }
                        out.accept(e);
                    }
                },
                options.newBadLines());
    }
}
