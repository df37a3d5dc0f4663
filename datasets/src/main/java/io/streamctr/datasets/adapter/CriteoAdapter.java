package io.streamctr.datasets.adapter;

import io.streamctr.datasets.BadLineException;
import io.streamctr.datasets.DatasetAdapter;
import io.streamctr.datasets.DatasetOptions;
import io.streamctr.datasets.EventStream;
import io.streamctr.datasets.Events;
import io.streamctr.datasets.LineEventStream;
import io.streamctr.datasets.TextFiles;
import io.streamctr.schemas.ClickEvent;
import java.nio.file.Path;

/**
 * Criteo Kaggle Display Advertising Challenge raw TSV: {@code label, I1..I13, C1..C26} (40 fields;
 * 39 without the label in the Kaggle test file, which gives unlabelled events). An empty field is a
 * missing value and is left out of the event.
 *
 * <p>Integer features are bucketed as in the OptFusion paper (and the Kaggle winners'
 * preprocessing): a value v &gt; 2 becomes {@code floor(ln(v)^2)}, smaller values stay as they are;
 * the bucket is the categorical feature {@code I1..I13}. {@code C1..C26} are categorical as given.
 * Criteo has no user, item or timestamp: the file is in time order, so the event time is the line
 * order ({@code start-ms} + line x {@code interval-ms}, defaults 0 and 1); the user is a
 * pseudo-user {@code u<line mod users>} ({@code users}, default 1000) only to spread the events
 * over partitions; the item id is empty.
 */
public final class CriteoAdapter implements DatasetAdapter {

    static final int NUMERIC = 13;
    static final int CATEGORICAL = 26;

    @Override
    public String name() {
        return "criteo";
    }

    @Override
    public String description() {
        return "Criteo Kaggle DAC raw TSV (label, I1..I13, C1..C26); I bucketed floor(ln(v)^2) for"
                + " v > 2; line order as time";
    }

    @Override
    public boolean timeOrdered() {
        return true;
    }

    /** The OptFusion bucket of an integer feature: {@code floor(ln(v)^2)} for v &gt; 2, else v. */
    public static long bucket(double v) {
        if (v > 2) {
            double ln = Math.log(v);
            return (long) Math.floor(ln * ln);
        }
        return (long) Math.floor(v);
    }

    @Override
    public EventStream open(Path path, DatasetOptions options) {
        long users = options.getLong("users", 1000);
        long start = options.getLong("start-ms", 0);
        long interval = options.getLong("interval-ms", 1);
        if (users < 1) {
            throw new IllegalArgumentException("option users must be >= 1, got " + users);
        }
        return new LineEventStream(
                Inputs.dataFile(path, "train.txt", "train.tsv", "dac_sample.txt"),
                (text, file, line, out) -> {
                    String[] f = TextFiles.split(text, '\t');
                    boolean labelled = f.length == 1 + NUMERIC + CATEGORICAL;
                    if (!labelled && f.length != NUMERIC + CATEGORICAL) {
                        throw new BadLineException(
                                "expected 40 tab-separated fields (39 without label), got "
                                        + f.length);
                    }
                    int at = labelled ? 1 : 0;
                    long ordinal = line - 1;
                    ClickEvent e =
                            Events.create(
                                    "criteo:" + TextFiles.stem(file) + ":" + line,
                                    "u" + ordinal % users,
                                    "",
                                    Inputs.lineTime(start, interval, ordinal),
                                    labelled ? Events.binaryLabel(f[0]) : null,
                                    null);
                    for (int i = 0; i < NUMERIC; i++) {
                        String v = f[at + i];
                        if (!v.isEmpty()) {
                            double value;
                            try {
                                value = Double.parseDouble(v);
                            } catch (NumberFormatException ex) {
                                throw new BadLineException(
                                        "I" + (i + 1) + " is not a number: '" + v + "'");
                            }
                            e.getCategorical().put("I" + (i + 1), Long.toString(bucket(value)));
                        }
                    }
                    for (int i = 0; i < CATEGORICAL; i++) {
                        Events.putCategorical(e, "C" + (i + 1), f[at + NUMERIC + i]);
                    }
                    out.accept(e);
                },
                options.newBadLines());
    }
}
