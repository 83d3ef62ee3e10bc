package org.libajwt.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.libajwt.Ajwt;
import org.libajwt.AjwtException;
import org.libajwt.Authenticator;

/**
 * A Jakarta Servlet filter that lets a request through only when its Authorization header
 * authenticates ({@link Authenticator#authenticateRequest}). The authenticated username is the
 * request attribute {@link #USER_ATTRIBUTE} and the request's {@code getUserPrincipal()} /
 * {@code getRemoteUser()} (auth type "JWT"). A refused request gets 401 with
 * {@code WWW-Authenticate: JWT} and one log line (logger {@code org.libajwt.servlet.AjwtFilter}:
 * method, path, status and reason, and the claimed username escaped; never the token).
 *
 * <p>Every refusal is a 401, including a failing repository or nonce store (fail closed); those
 * are logged at WARNING, the client's own faults at INFO.
 *
 * <pre>
 *   ServletContext ctx = ...;
 *   ctx.addFilter("ajwt", AjwtFilter.builder(authenticator).bindBody(1 &lt;&lt; 20).build())
 *      .addMappingForUrlPatterns(null, false, "/api/*");
 * </pre>
 */
public final class AjwtFilter implements Filter {
    /** Request attribute holding the authenticated username (a String). */
    public static final String USER_ATTRIBUTE = "org.libajwt.user";
    /** The challenge of every 401 (the Authorization header's method word). */
    public static final String CHALLENGE = "JWT";

    private static final Logger LOG = Logger.getLogger(AjwtFilter.class.getName());

    private final Authenticator authenticator;
    private final LongSupplier clock;
    private final int maxBody;

    private AjwtFilter(Builder b) {
        this.authenticator = b.authenticator;
        this.clock = b.clock;
        this.maxBody = b.maxBody;
    }

    /** A filter over {@code authenticator} (configured and owned by the caller). */
    public static Builder builder(Authenticator authenticator) {
        return new Builder(authenticator);
    }

    /** Options of an {@link AjwtFilter}. */
    public static final class Builder {
        private final Authenticator authenticator;
        private LongSupplier clock = Ajwt::now;
        private int maxBody = -1;

        private Builder(Authenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        }

        /** Unix seconds for the time window (default: the system clock). */
        public Builder clock(LongSupplier clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Reads the body (at most {@code maxBytes}; a larger one is refused with 413) so the
         * verifier's binding policy can compare its digest; the servlet then reads the same bytes.
         * Without it the body is left unread and counts as unknown to the binding check.
         */
        public Builder bindBody(int maxBytes) {
            if (maxBytes < 0) throw new IllegalArgumentException("maxBytes < 0");
            this.maxBody = maxBytes;
            return this;
        }

        public AjwtFilter build() {
            return new AjwtFilter(this);
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest) || !(response instanceof HttpServletResponse)) {
            throw new ServletException("AjwtFilter handles HTTP requests only");
        }
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse out = (HttpServletResponse) response;
        String header = http.getHeader("Authorization");

        byte[] body = null;
        if (maxBody >= 0) {
            body = readBody(http);
            if (body == null) {
                log(Level.INFO, http, header, "body larger than " + maxBody + " bytes", null);
                out.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
                return;
            }
            http = new BufferedBodyRequest(http, body);
        }

        String user;
        try {
            user = authenticator.authenticateRequest(header, http.getMethod(), target(http), body, clock.getAsLong());
        } catch (AjwtException e) {
            refuse(http, out, header, e.getMessage(), e.isClientError() ? Level.INFO : Level.WARNING, null);
            return;
        } catch (RuntimeException e) {
            // A repository or nonce store that threw (e.g. Redis down): fail closed.
            refuse(http, out, header, "key or nonce lookup failed: " + e, Level.WARNING, e);
            return;
        }
        AuthenticatedRequest authenticated = new AuthenticatedRequest(http, user);
        authenticated.setAttribute(USER_ATTRIBUTE, user);
        chain.doFilter(authenticated, response);
    }

    /** The request target as received: path and query, not decoded (the core normalises it). */
    static String target(HttpServletRequest http) {
        String query = http.getQueryString();
        return query == null ? http.getRequestURI() : http.getRequestURI() + "?" + query;
    }

    /** The whole body, or null when it exceeds the cap. */
    private byte[] readBody(HttpServletRequest http) throws IOException {
        long declared = http.getContentLengthLong();
        if (declared > maxBody) return null;
        try (InputStream in = http.getInputStream()) {
            byte[] bytes = in.readNBytes(maxBody + 1);
            return bytes.length > maxBody ? null : bytes;
        }
    }

    private void refuse(HttpServletRequest http, HttpServletResponse out, String header, String reason,
                        Level level, Throwable cause) throws IOException {
        log(level, http, header, reason, cause);
        out.setHeader("WWW-Authenticate", CHALLENGE);
        out.sendError(HttpServletResponse.SC_UNAUTHORIZED);
    }

    private void log(Level level, HttpServletRequest http, String header, String reason, Throwable cause) {
        if (!LOG.isLoggable(level)) return;
        String claimed = header == null ? null : authenticator.claimedUsername(header);
        String line = "refused " + LogText.escape(http.getMethod()) + " " + LogText.escape(http.getRequestURI())
                + ": " + LogText.escape(reason) + (claimed == null ? "" : " (claimed user " + LogText.quote(claimed) + ")");
        // The stack trace of a store failure adds nothing the reason does not say.
        LOG.log(level, line);
        if (cause != null && LOG.isLoggable(Level.FINE)) LOG.log(Level.FINE, "cause", cause);
    }
}
