package io.streamctr.datasets;

import io.streamctr.datasets.adapter.AmazonAdapter;
import io.streamctr.datasets.adapter.AvazuAdapter;
import io.streamctr.datasets.adapter.CriteoAdapter;
import io.streamctr.datasets.adapter.GenericAdapter;
import io.streamctr.datasets.adapter.IpinyouAdapter;
import io.streamctr.datasets.adapter.Kdd12Adapter;
import io.streamctr.datasets.adapter.KuaiVideoAdapter;
import io.streamctr.datasets.adapter.MindAdapter;
import io.streamctr.datasets.adapter.MovieLensAdapter;
import io.streamctr.datasets.adapter.TaobaoAdAdapter;
import io.streamctr.datasets.adapter.TaobaoBehaviorAdapter;
import io.streamctr.schemas.ClickEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The data set formats known by name ({@code replay --dataset NAME}), and opening one in time
 * order: the same code serves the replay command, the job's tests and benchmarks.
 */
public final class DatasetAdapters {

    private static final Map<String, DatasetAdapter> ADAPTERS = new LinkedHashMap<>();

    static {
        for (DatasetAdapter a :
                List.of(
                        new MovieLensAdapter(),
                        new CriteoAdapter(),
                        new AvazuAdapter(),
                        new Kdd12Adapter(),
                        new AmazonAdapter(),
                        new TaobaoBehaviorAdapter(),
                        new TaobaoAdAdapter(),
                        new KuaiVideoAdapter(),
                        new MindAdapter(),
                        new IpinyouAdapter(),
                        new GenericAdapter())) {
            ADAPTERS.put(a.name(), a);
        }
    }

    private DatasetAdapters() {}

    public static Set<String> names() {
        return ADAPTERS.keySet();
    }

    public static Collection<DatasetAdapter> all() {
        return ADAPTERS.values();
    }

    /**
     * The adapter named {@code name}; IllegalArgumentException listing the known names otherwise.
     */
    public static DatasetAdapter get(String name) {
        DatasetAdapter adapter = ADAPTERS.get(name);
        if (adapter == null) {
            throw new IllegalArgumentException(
                    "unknown data set '"
                            + name
                            + "'; known data sets: "
                            + String.join(", ", names()));
        }
        return adapter;
    }

    /**
     * Opens a data set in event-time order: as read when the format is time-ordered or {@code
     * assumeSorted}, else through a {@link TimeSortedStream} (chunks of {@code chunkSize} events,
     * temporary files in {@code tempDir}, the system's when null).
     */
    public static EventStream openInTimeOrder(
            String name,
            Path path,
            DatasetOptions options,
            boolean assumeSorted,
            int chunkSize,
            Path tempDir) {
        DatasetAdapter adapter = get(name);
        EventStream stream = adapter.open(path, options);
        if (adapter.timeOrdered() || assumeSorted) {
            return stream;
        }
        return TimeSortedStream.sort(stream, chunkSize, tempDir);
    }

    /** The first {@code limit} events in time order, in memory: for tests and small benchmarks. */
    public static List<ClickEvent> read(String name, Path path, DatasetOptions options, int limit) {
        List<ClickEvent> events = new ArrayList<>();
        try (EventStream stream =
                openInTimeOrder(
                        name, path, options, false, TimeSortedStream.DEFAULT_CHUNK_SIZE, null)) {
            while (events.size() < limit && stream.hasNext()) {
                events.add(stream.next());
            }
        }
        return events;
    }
}
