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
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Microsoft News MIND {@code behaviors.tsv}: {@code impression_id, user_id, time (M/D/YYYY h:mm:ss
 * AM/PM, taken as UTC), history (space-separated news ids), impressions (newsId-label ...)}. Each
 * impression candidate is one event at the impression time, label = its click (candidates without
 * {@code -label}, as in the test split, give unlabelled events), action type {@code impression}.
 *
 * <p>The history column (clicks before the data window; the same on every impression of a user) is
 * emitted, once per user, as labelled clicks (label 1, action type {@value #HISTORY_ACTION}) just
 * before the user's earliest impression: in history order, at {@code t0 - n + i} ms for the i-th of
 * n ids, t0 being the user's earliest impression time, found by a first pass over the file. So the
 * enricher seeds the user's click sequence from them before any impression is scored. The job's
 * enricher (and {@code evaluate}) take {@value #HISTORY_ACTION} events as context only ({@code
 * ctr.sequence.context-only-actions}): they extend the sequences but are neither scored nor trained
 * on, so the metrics cover the impressions alone.
 *
 * <p>With {@code news.tsv} beside the behaviours, {@code category} and {@code subcategory} are
 * categorical features of every event. The file is not in time order: the caller sorts.
 */
public final class MindAdapter implements DatasetAdapter {

    /** The action type of the events made from the history column. */
    public static final String HISTORY_ACTION = "history";

    /** The action type of impression candidates. */
    public static final String IMPRESSION_ACTION = "impression";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("M/d/yyyy h:mm:ss a", Locale.US);

    @Override
    public String name() {
        return "mind";
    }

    @Override
    public String description() {
        return "MIND behaviors.tsv (+ news.tsv): one event per impression candidate; history"
                + " emitted first as clicks";
    }

    @Override
    public boolean timeOrdered() {
        return false;
    }

    /** Epoch ms of a MIND time ({@code 11/12/2019 2:14:46 PM}, UTC). */
    public static long parseTime(String text) {
        try {
            return LocalDateTime.parse(text, TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new BadLineException("time is not M/D/YYYY h:mm:ss AM/PM: '" + text + "'");
        }
    }

    @Override
    public EventStream open(Path path, DatasetOptions options) {
        List<Path> files = Inputs.dataFile(path, "behaviors.tsv");
        Path dir = TextFiles.dirOf(files.get(0));
        Map<String, String[]> news = new HashMap<>();
        TextFiles.find(dir, "news.tsv")
                .ifPresent(
                        file ->
                                TextFiles.forEachLine(
                                        file,
                                        StandardCharsets.UTF_8,
                                        false,
                                        (text, line) -> {
                                            String[] f = TextFiles.split(text, '\t');
                                            if (f.length < 3) {
                                                throw new IllegalArgumentException(
                                                        "expected news_id, category, subcategory,"
                                                                + " ...; got "
                                                                + f.length
                                                                + " fields");
                                            }
                                            news.put(f[0], new String[] {f[1], f[2]});
                                        }));
        Map<String, Long> firstTime = new HashMap<>();
        TextFiles.forEachLine(
                files.get(0),
                StandardCharsets.UTF_8,
                false,
                (text, line) -> {
                    String[] f = TextFiles.split(text, '\t');
                    if (f.length == 5) {
                        try {
                            firstTime.merge(f[1], parseTime(f[2]), Math::min);
                        } catch (BadLineException e) {
                            // counted when the main pass meets the line
                        }
                    }
                });
        Set<String> seeded = new HashSet<>();
        return new LineEventStream(
                files,
                (text, file, line, out) -> {
                    String[] f = TextFiles.split(text, '\t');
                    Events.requireFields(f, 5);
                    String impression = f[0];
                    String user = f[1];
                    if (user.isEmpty()) {
                        throw new BadLineException("empty user id");
                    }
                    long time = parseTime(f[2]);
                    String[] candidates = f[4].isEmpty() ? new String[0] : f[4].split(" ");
                    if (candidates.length == 0) {
                        throw new BadLineException("no impression candidates");
                    }
                    ClickEvent[] events = new ClickEvent[candidates.length];
                    for (int k = 0; k < candidates.length; k++) {
                        String c = candidates[k];
                        int dash = c.lastIndexOf('-');
                        String item = dash < 0 ? c : c.substring(0, dash);
                        Integer label = dash < 0 ? null : Events.binaryLabel(c.substring(dash + 1));
                        events[k] =
                                event(
                                        "mind:" + impression + ":" + k,
                                        user,
                                        item,
                                        time,
                                        label,
                                        IMPRESSION_ACTION,
                                        news);
                    }
                    if (!f[3].isEmpty() && seeded.add(user)) {
                        String[] history = f[3].split(" ");
                        long t0 = firstTime.getOrDefault(user, time);
                        for (int i = 0; i < history.length; i++) {
                            out.accept(
                                    event(
                                            "mind:" + user + ":h" + i,
                                            user,
                                            history[i],
                                            t0 - history.length + i,
                                            1,
                                            HISTORY_ACTION,
                                            news));
                        }
                    }
                    for (ClickEvent e : events) {
                        out.accept(e);
                    }
                },
                options.newBadLines());
    }

    private static ClickEvent event(
            String id,
            String user,
            String item,
            long time,
            Integer label,
            String action,
            Map<String, String[]> news) {
        ClickEvent e = Events.create(id, user, item, time, label, action);
        String[] meta = news.get(item);
        if (meta != null) {
            Events.putCategorical(e, "category", meta[0]);
            Events.putCategorical(e, "subcategory", meta[1]);
        }
        return e;
    }
}
