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
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Taobao display-ad click data (Tianchi 56): {@code raw_sample.csv} ({@code user, time_stamp,
 * adgroup_id, pid, nonclk, clk}) is one event per line, label = {@code clk}, user = {@code user},
 * item = {@code adgroup_id}, time = time_stamp s, {@code pid} categorical; joined, when the files
 * are beside it, with {@code ad_feature.csv} (cate_id, campaign_id, customer, brand categorical;
 * price numeric) and {@code user_profile.csv} (every column categorical). Both are held in memory
 * (about a million rows each for the full set). raw_sample is not in time order: the caller sorts.
 */
public final class TaobaoAdAdapter implements DatasetAdapter {

    @Override
    public String name() {
        return "taobao-ad";
    }

    @Override
    public String description() {
        return "Taobao display ads raw_sample.csv, joined with ad_feature.csv and user_profile.csv"
                + " when present; label = clk";
    }

    @Override
    public boolean timeOrdered() {
        return false;
    }

    @Override
    public EventStream open(Path path, DatasetOptions options) {
        List<Path> files = Inputs.dataFile(path, "raw_sample.csv");
        Path dir = TextFiles.dirOf(files.get(0));
        SideTable ads =
                TextFiles.find(dir, "ad_feature.csv").map(f -> SideTable.read(f, ',')).orElse(null);
        SideTable users =
                TextFiles.find(dir, "user_profile.csv")
                        .map(f -> SideTable.read(f, ','))
                        .orElse(null);
        return new LineEventStream(
                files,
                new LineMapper() {
                    private int user;
                    private int time;
                    private int adgroup;
                    private int pid;
                    private int clk;
                    private int columns;

                    @Override
                    public boolean hasHeader() {
                        return true;
                    }

                    @Override
                    public void header(String text, Path file) {
                        List<String> names = Arrays.asList(TextFiles.split(text, ','));
                        columns = names.size();
                        user = names.indexOf("user");
                        time = names.indexOf("time_stamp");
                        adgroup = names.indexOf("adgroup_id");
                        pid = names.indexOf("pid");
                        clk = names.indexOf("clk");
                        if (user < 0 || time < 0 || adgroup < 0 || clk < 0) {
                            throw new IllegalArgumentException(
                                    "expected the raw_sample header"
                                            + " user,time_stamp,adgroup_id,pid,nonclk,clk in "
                                            + file
                                            + ", got '"
                                            + text
                                            + "'");
                        }
                    }

                    @Override
                    public void map(String text, Path file, long line, Consumer<ClickEvent> out) {
                        String[] f = TextFiles.split(text, ',');
                        Events.requireFields(f, columns);
                        if (f[user].isEmpty()) {
                            throw new BadLineException("empty user");
                        }
                        ClickEvent e =
                                Events.create(
                                        "taobao-ad:" + TextFiles.stem(file) + ":" + line,
                                        f[user],
                                        f[adgroup],
                                        Math.multiplyExact(Long.parseLong(f[time]), 1000L),
                                        Events.binaryLabel(f[clk]),
                                        null);
                        if (pid >= 0) {
                            Events.putCategorical(e, "pid", f[pid]);
                        }
                        if (ads != null) {
                            ads.join(f[adgroup], e);
                            String price = e.getCategorical().remove("price");
                            if (price != null) {
                                e.getNumeric().put("price", Float.parseFloat(price));
                            }
                        }
                        if (users != null) {
                            users.join(f[user], e);
                        }
                        out.accept(e);
                    }
                },
                options.newBadLines());
    }
}
