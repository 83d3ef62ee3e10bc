package org.libajwt.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** A real Tomcat on a free loopback port: one servlet at /*, optionally behind a filter on a path pattern. */
public final class EmbeddedTomcat implements AutoCloseable {
    /** Tomcat's own INFO lines would bury the filter's; kept referenced so the level sticks. */
    private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");

    static {
        TOMCAT_LOG.setLevel(Level.WARNING);
    }

    private final Tomcat tomcat = new Tomcat();
    private final Path baseDir;

    public EmbeddedTomcat(HttpServlet servlet, Filter filter, String filterPattern) {
        try {
            baseDir = Files.createTempDirectory("ajwt-tomcat");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        StandardContext ctx = (StandardContext) tomcat.addContext("", baseDir.toString());
        // No web application is undeployed here: skip the leak checks that need --add-opens.
        ctx.setClearReferencesThreadLocals(false);
        ctx.setClearReferencesRmiTargets(false);
        Tomcat.addServlet(ctx, "app", servlet);
        ctx.addServletMappingDecoded("/*", "app", false);
        if (filter != null) {
            FilterDef def = new FilterDef();
            def.setFilterName("ajwt");
            def.setFilter(filter);
            ctx.addFilterDef(def);
            FilterMap map = new FilterMap();
            map.setFilterName("ajwt");
            map.addURLPattern(filterPattern);
            ctx.addFilterMap(map);
        }
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + pathAndQuery);
    }

    @Override
    public void close() throws Exception {
        tomcat.stop();
        tomcat.destroy();
        try (var files = Files.walk(baseDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
