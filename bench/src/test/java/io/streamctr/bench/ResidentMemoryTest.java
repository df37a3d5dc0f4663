package io.streamctr.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ResidentMemoryTest {

    private static final String STATUS =
            String.join(
                    "\n",
                    "Name:\tjava",
                    "VmPeak:\t 9012345 kB",
                    "VmHWM:\t  1234567 kB",
                    "VmRSS:\t   812344 kB",
                    "RssAnon:\t  700000 kB",
                    "Threads:\t87",
                    "");

    @Test
    void readsVmRssInKibibytes() {
        assertThat(ResidentMemory.parseVmRssBytes(STATUS)).hasValue(812_344L * 1024);
    }

    @Test
    void ignoresTheOtherRssLinesAndFindsVmRssAnywhere() {
        assertThat(ResidentMemory.parseVmRssBytes("RssAnon:\t 5 kB\nVmRSS: 7 kB"))
                .hasValue(7L * 1024);
    }

    @Test
    void missingOrMalformedLineIsEmpty() {
        assertThat(ResidentMemory.parseVmRssBytes("Name:\tjava\nVmHWM:\t 1 kB\n")).isEmpty();
        assertThat(ResidentMemory.parseVmRssBytes("VmRSS:\t lots kB")).isEmpty();
        assertThat(ResidentMemory.parseVmRssBytes("VmRSS:")).isEmpty();
        assertThat(ResidentMemory.parseVmRssBytes("VmRSS:\t 12 GB")).isEmpty();
        assertThat(ResidentMemory.parseVmRssBytes("")).isEmpty();
    }

    @Test
    void readsThisProcessOnLinux() {
        OptionalLong rss = ResidentMemory.rssBytes();
        if (System.getProperty("os.name").toLowerCase().contains("linux")) {
            assertThat(rss).isPresent();
            assertThat(rss.getAsLong()).isGreaterThan(1024L * 1024);
        }
    }

    @Test
    void growthIsRelativeToTheBaseline() {
        assertThat(ResidentMemory.growthPercent(800, 820)).isEqualTo(2.5);
        assertThat(ResidentMemory.growthPercent(800, 760)).isEqualTo(-5.0);
        assertThatThrownBy(() -> ResidentMemory.growthPercent(0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsMebibytes() {
        assertThat(ResidentMemory.mib(3L * 1024 * 1024 * 1024)).isEqualTo("3,072 MiB");
        assertThat(ResidentMemory.mib(OptionalLong.empty())).isEqualTo("n/a");
    }
}
