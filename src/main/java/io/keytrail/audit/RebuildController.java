package io.keytrail.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code POST /api/v1/admin/rebuild} (admin token, design 11): rebuilds the read models from the events
 * while the service runs ({@link ReadModelRebuild}); inputs wait meanwhile. Answers the counts; progress
 * goes to the log.
 */
@RestController
@RequestMapping(path = "/api/v1/admin", produces = "application/json")
public class RebuildController {
    private static final Logger log = LoggerFactory.getLogger(RebuildController.class);
    private final ReadModelRebuild rebuild;
    private final ObjectMapper mapper;

    public RebuildController(ReadModelRebuild rebuild, ObjectMapper mapper) {
        this.rebuild = rebuild;
        this.mapper = mapper;
    }

    @PostMapping("/rebuild")
    public JsonNode rebuild() {
        log.info("rebuilding the read models from the events; inputs wait until it is done");
        ReadModelRebuild.Result result = rebuild.rebuild(p -> log.info("rebuild: {} / {} events", p.events(), p.total()));
        log.info("read models rebuilt: {} events, {} sessions, {} devices, {} identities in {} ms", result.events(),
                result.sessions(), result.devices(), result.identities(), result.took().toMillis());
        return ReadModelRebuild.summary(mapper, result);
    }
}
