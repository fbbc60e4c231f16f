package io.keytrail.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Bounds on the work one HTTP request may ask for ({@code keytrail.limits.*}, design 11); a request
 * over one is refused with {@code TOO_LARGE} before the work, never answered with a 500.
 *
 * @param body        the largest request body, except one with import inputs
 * @param importBody  the largest request body that holds import inputs (key exports, backups)
 * @param batchInputs the most inputs in one array
 * @param largeBodiesAtOnce how many requests with a body over {@code body} (or of unknown length) may
 *                    be read at once: each may take a few times {@code importBody} of memory
 */
@ConfigurationProperties(prefix = "keytrail.limits")
record HttpLimits(DataSize body, DataSize importBody, Integer batchInputs, Integer largeBodiesAtOnce) {
    HttpLimits {
        body = body == null ? DataSize.ofMegabytes(1) : body;
        importBody = importBody == null ? DataSize.ofMegabytes(64) : importBody;
        batchInputs = batchInputs == null ? 1_000 : batchInputs;
        largeBodiesAtOnce = largeBodiesAtOnce == null ? 2 : Math.max(1, largeBodiesAtOnce);
        if (importBody.compareTo(body) < 0) {
            importBody = body;
        }
    }

    /** The defaults of design 11. */
    static HttpLimits defaults() {
        return new HttpLimits(null, null, null, null);
    }
}
