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
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * KDD Cup 2012 track 2 (Tencent search ads) {@code training.txt}: tab-separated {@code Click,
 * Impression, DisplayURL, AdID, AdvertiserID, Depth, Position, QueryID, KeywordID, TitleID,
 * DescriptionID, UserID}. One line is one event (as in the OptFusion paper's preprocessing): label
 * = Click &gt; 0, the impression count as the numeric feature {@code impressions}; user = {@code
 * UserID} (0 = unknown), item = {@code AdID}; the other ids are categorical features, and with
 * {@code userid_profile.txt} beside it, {@code gender} and {@code age}. Lines without the two
 * counts (10 fields, the test file) give unlabelled events. There is no timestamp: line order is
 * the time ({@code start-ms} + line x {@code interval-ms}).
 */
public final class Kdd12Adapter implements DatasetAdapter {

    private static final String[] FIELDS = {
        "DisplayURL",
        "AdID",
        "AdvertiserID",
        "Depth",
        "Position",
        "QueryID",
        "KeywordID",
        "TitleID",
        "DescriptionID",
        "UserID"
    };

    @Override
    public String name() {
        return "kdd12";
    }

    @Override
    public String description() {
        return "KDD Cup 2012 track 2 training.txt TSV; label = Click > 0; user = UserID, item ="
                + " AdID; line order as time";
    }

    @Override
    public boolean timeOrdered() {
        return true;
    }

    @Override
    public EventStream open(Path path, DatasetOptions options) {
        var files = Inputs.dataFile(path, "training.txt", "train.txt");
        Map<String, String[]> profiles = new HashMap<>();
        TextFiles.find(TextFiles.dirOf(files.get(0)), "userid_profile.txt")
                .ifPresent(
                        file ->
                                TextFiles.forEachLine(
                                        file,
                                        StandardCharsets.UTF_8,
                                        false,
                                        (text, line) -> {
                                            String[] f = TextFiles.split(text, '\t');
                                            Events.requireFields(f, 3);
                                            profiles.put(f[0], new String[] {f[1], f[2]});
                                        }));
        long start = options.getLong("start-ms", 0);
        long interval = options.getLong("interval-ms", 1);
        return new LineEventStream(
                files,
                (text, file, line, out) -> {
                    String[] f = TextFiles.split(text, '\t');
                    boolean labelled = f.length == 12;
                    if (!labelled && f.length != 10) {
                        throw new BadLineException(
                                "expected 12 tab-separated fields (10 without Click and"
                                        + " Impression), got "
                                        + f.length);
                    }
                    int at = labelled ? 2 : 0;
                    Integer label = null;
                    long impressions = 0;
                    if (labelled) {
                        long clicks = Long.parseLong(f[0]);
                        impressions = Long.parseLong(f[1]);
                        if (clicks < 0 || impressions < 1 || clicks > impressions) {
                            throw new BadLineException(
                                    "clicks "
                                            + clicks
                                            + " and impressions "
                                            + impressions
                                            + " do not fit");
                        }
                        label = clicks > 0 ? 1 : 0;
                    }
                    String user = f[at + 9];
                    ClickEvent e =
                            Events.create(
                                    "kdd12:" + TextFiles.stem(file) + ":" + line,
                                    user,
                                    f[at + 1],
                                    Inputs.lineTime(start, interval, line - 1),
                                    label,
                                    null);
                    for (int i = 0; i < FIELDS.length; i++) {
                        Events.putCategorical(e, FIELDS[i], f[at + i]);
                    }
                    if (labelled) {
                        e.getNumeric().put("impressions", (float) impressions);
                    }
                    String[] profile = profiles.get(user);
                    if (profile != null) {
                        e.getCategorical().put("gender", profile[0]);
                        e.getCategorical().put("age", profile[1]);
                    }
                    out.accept(e);
                },
                options.newBadLines());
    }
}
