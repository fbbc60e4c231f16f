package io.keytrail.api;

import java.io.IOException;
import java.util.concurrent.Semaphore;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import io.keytrail.errors.RefusalCode;

/**
 * No request body larger than its limit is read: a declared {@code Content-Length} over it is refused
 * at once, and a chunked body stops being read at the first byte past it ({@link BodyTooLargeException}).
 * {@code POST /api/v1/inputs} may carry import inputs and so gets the larger limit; whether a body that
 * large really holds one is checked after parsing ({@link ApiController}). Only
 * {@code keytrail.limits.large-bodies-at-once} such large bodies are read at a time; one more is
 * answered 503 {@code UNAVAILABLE} at once, so a burst of big imports cannot exhaust the heap.
 */
class BodyLimitFilter extends OncePerRequestFilter {
    private final HttpLimits limits;
    private final Semaphore largeBodies;

    BodyLimitFilter(HttpLimits limits) {
        this.limits = limits;
        this.largeBodies = new Semaphore(limits.largeBodiesAtOnce());
    }

    /** The most bytes this request's body may have. */
    long limitOf(HttpServletRequest request) {
        boolean inputs = "POST".equals(request.getMethod()) && "/api/v1/inputs".equals(request.getRequestURI());
        return (inputs ? limits.importBody() : limits.body()).toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = limitOf(request);
        if (request.getContentLengthLong() > limit) {
            // Closing the connection spares Tomcat from swallowing the unread body.
            response.setHeader("Connection", "close");
            ErrorBodies.write(response, 413, RefusalCode.TOO_LARGE, tooLarge(limit));
            return;
        }
        long length = request.getContentLengthLong();
        boolean large = limit > limits.body().toBytes()
                && (length > limits.body().toBytes() || length < 0 && request.getHeader("Transfer-Encoding") != null);
        if (!large) {
            chain.doFilter(new Bounded(request, limit), response);
            return;
        }
        if (!largeBodies.tryAcquire()) {
            response.setHeader("Retry-After", "5");
            response.setHeader("Connection", "close");
            ErrorBodies.write(response, 503, RefusalCode.UNAVAILABLE, "as many large requests as allowed at once are"
                    + " being read (keytrail.limits.large-bodies-at-once); send this one again shortly");
            return;
        }
        try {
            chain.doFilter(new Bounded(request, limit), response);
        } finally {
            largeBodies.release();
        }
    }

    static String tooLarge(long limit) {
        return "the request body is larger than " + limit + " bytes (keytrail.limits.body; import inputs:"
                + " keytrail.limits.import-body)";
    }

    /** Thrown by the bounded stream at the first byte past the limit. */
    static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(long limit) {
            super(tooLarge(limit));
        }
    }

    private static final class Bounded extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        Bounded(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new BoundedStream(super.getInputStream(), limit);
            }
            return stream;
        }
    }

    private static final class BoundedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long read;

        BoundedStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, (int) Math.min(length, limit - read + 1));
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws BodyTooLargeException {
            read += n;
            if (read > limit) {
                throw new BodyTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
