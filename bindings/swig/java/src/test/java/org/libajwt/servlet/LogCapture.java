package org.libajwt.servlet;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/** Collects what a java.util.logging logger logs while open. */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    public LogCapture(Class<?> source) {
        this.logger = Logger.getLogger(source.getName());
        logger.addHandler(this);
    }

    public List<String> lines() {
        return records.stream().map(LogRecord::getMessage).collect(Collectors.toList());
    }

    public List<LogRecord> records() { return records; }

    public void clear() { records.clear(); }

    @Override
    public void publish(LogRecord record) { records.add(record); }

    @Override
    public void flush() {}

    @Override
    public void close() { logger.removeHandler(this); }
}
