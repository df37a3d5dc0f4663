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
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Avazu Kaggle CTR CSV with its header ({@code id,click,hour,C1,banner_pos,...,C21}; the test file
 * has no {@code click} and gives unlabelled events). {@code id} becomes the event id, not a
 * feature; {@code hour} (YYMMDDHH, UTC) becomes the event time and the features {@code hour_of_day}
 * (0-23), {@code weekday} (1 = Monday .. 7) and {@code is_weekend} (0/1); every other column is a
 * categorical feature. The user is {@code device_id}, or {@code ip:<device_ip>} when the device id
 * is the placeholder {@value #PLACEHOLDER_DEVICE} that most rows carry; the item is {@code
 * site_id}, or {@code app_id} for app traffic (site {@value #APP_SITE}). The file is in hour order.
 */
public final class AvazuAdapter implements DatasetAdapter {

    /** The device id most rows share (no device id known). */
    public static final String PLACEHOLDER_DEVICE = "a99f214a";

    /** The site id of app traffic. */
    public static final String APP_SITE = "85f751fd";

    @Override
    public String name() {
        return "avazu";
    }

    @Override
    public String description() {
        return "Avazu CSV with header; hour YYMMDDHH -> time, hour_of_day, weekday, is_weekend;"
                + " user = device_id or ip";
    }

    @Override
    public boolean timeOrdered() {
        return true;
    }

    /** The UTC date-time of an Avazu {@code hour} (YYMMDDHH); BadLineException when malformed. */
    public static LocalDateTime decodeHour(String yymmddhh) {
        if (yymmddhh.length() != 8) {
            throw new BadLineException("hour is not YYMMDDHH: '" + yymmddhh + "'");
        }
        try {
            return LocalDateTime.of(
                    2000 + Integer.parseInt(yymmddhh.substring(0, 2)),
                    Integer.parseInt(yymmddhh.substring(2, 4)),
                    Integer.parseInt(yymmddhh.substring(4, 6)),
                    Integer.parseInt(yymmddhh.substring(6, 8)),
                    0);
        } catch (RuntimeException e) {
            throw new BadLineException("hour is not YYMMDDHH: '" + yymmddhh + "'");
        }
    }

    @Override
    public EventStream open(Path path, DatasetOptions options) {
        return new LineEventStream(
                Inputs.dataFile(path, "train", "train.csv", "test", "test.csv"),
                new Mapper(),
                options.newBadLines());
    }

    private static final class Mapper implements LineMapper {
        private String[] columns;
        private int id;
        private int click;
        private int hour;
        private int deviceId;
        private int deviceIp;
        private int siteId;
        private int appId;

        @Override
        public boolean hasHeader() {
            return true;
        }

        @Override
        public void header(String text, Path file) {
            columns = TextFiles.split(text, ',');
            List<String> names = Arrays.asList(columns);
            id = names.indexOf("id");
            click = names.indexOf("click");
            hour = names.indexOf("hour");
            deviceId = names.indexOf("device_id");
            deviceIp = names.indexOf("device_ip");
            siteId = names.indexOf("site_id");
            appId = names.indexOf("app_id");
            if (id < 0 || hour < 0 || deviceId < 0 || deviceIp < 0 || siteId < 0 || appId < 0) {
                throw new IllegalArgumentException(
                        "expected an Avazu header with id, hour, device_id, device_ip, site_id,"
                                + " app_id in "
                                + file
                                + ", got '"
                                + text
                                + "'");
            }
        }

        @Override
        public void map(String text, Path file, long lineNumber, Consumer<ClickEvent> out) {
            String[] f = TextFiles.split(text, ',');
            Events.requireFields(f, columns.length);
            LocalDateTime time = decodeHour(f[hour]);
            String device = f[deviceId];
            String user =
                    device.equals(PLACEHOLDER_DEVICE) || device.isEmpty()
                            ? "ip:" + f[deviceIp]
                            : device;
            String item = f[siteId].equals(APP_SITE) ? f[appId] : f[siteId];
            ClickEvent e =
                    Events.create(
                            "avazu:" + f[id],
                            user,
                            item,
                            time.toInstant(ZoneOffset.UTC).toEpochMilli(),
                            click >= 0 ? Events.binaryLabel(f[click]) : null,
                            null);
            for (int i = 0; i < f.length; i++) {
                if (i != id && i != click && i != hour) {
                    Events.putCategorical(e, columns[i], f[i]);
                }
            }
            DayOfWeek day = time.getDayOfWeek();
            e.getCategorical().put("hour_of_day", Integer.toString(time.getHour()));
            e.getCategorical().put("weekday", Integer.toString(day.getValue()));
            e.getCategorical()
                    .put(
                            "is_weekend",
                            day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY ? "1" : "0");
            out.accept(e);
        }
    }
}
