package io.streamctr.flink;

import io.streamctr.model.train.OnlineTrainer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Test-only: collects the {@link OnlineTrainer}'s INFO lines (an OptFusion model logs when it
 * freezes its architecture) with their wall-clock times, while open.
 */
public final class TrainerLog extends AbstractAppender implements AutoCloseable {

    /** One log line: when (epoch ms) and what. */
    public record Line(long timeMillis, String message) {}

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private final String loggerName;

    private TrainerLog(String loggerName) {
        super("trainer-log-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        this.loggerName = loggerName;
    }

    /** Starts collecting. */
    public static TrainerLog capture() {
        return capture(OnlineTrainer.class);
    }

    /** Starts collecting the INFO lines of {@code source}'s logger instead. */
    public static TrainerLog capture(Class<?> source) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        TrainerLog appender = new TrainerLog(source.getName());
        appender.start();
        context.getConfiguration().addAppender(appender);
        LoggerConfig logger = new LoggerConfig(source.getName(), Level.INFO, false);
        logger.addAppender(appender, Level.INFO, null);
        context.getConfiguration().addLogger(source.getName(), logger);
        context.updateLoggers();
        return appender;
    }

    @Override
    public void append(LogEvent event) {
        lines.add(new Line(event.getTimeMillis(), event.getMessage().getFormattedMessage()));
    }

    /** The lines collected so far that start with {@code prefix}. */
    public List<Line> startingWith(String prefix) {
        return lines.stream().filter(l -> l.message().startsWith(prefix)).toList();
    }

    /** Stops collecting. */
    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().removeLogger(loggerName);
        if (context.getConfiguration() instanceof AbstractConfiguration configuration) {
            configuration.removeAppender(getName());
        }
        context.updateLoggers();
        stop();
    }
}
