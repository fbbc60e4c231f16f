package io.keytrail.api;

import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.errors.RefusalCode;

/**
 * Runs an array of inputs in order and hands each outcome to a sink as soon as it is known, so the
 * answer is streamed (never the whole answer in memory) and a client that has gone is noticed at the
 * next write: the batch stops there instead of running for nobody. When the service is stopping, the
 * inputs not yet begun are answered {@code UNAVAILABLE} without being processed.
 */
final class InputBatch {
    /** Takes one outcome; an {@link IOException} means the client is gone. */
    interface Sink {
        void accept(ObjectNode outcome) throws IOException;
    }

    private InputBatch() {
    }

    /**
     * How a batch ended.
     *
     * @param processed  inputs processed
     * @param clientGone whether the batch stopped because the client could no longer be written to
     */
    record Result(int processed, boolean clientGone) {
    }

    /**
     * As {@link #run}, for inputs in groups processed together ({@link InputProcessor#groups}: runs of
     * room keys decided in one unit of work); each outcome still goes to the sink in input order.
     */
    static Result runGroups(List<List<JsonNode>> groups, Function<List<JsonNode>, List<ObjectNode>> process,
                            BooleanSupplier stopping, Sink sink) {
        int processed = 0;
        try {
            for (List<JsonNode> group : groups) {
                if (stopping.getAsBoolean()) {
                    for (int i = 0; i < group.size(); i++) {
                        sink.accept(ErrorBodies.body(RefusalCode.UNAVAILABLE,
                                "the service is shutting down; this input was not processed: send it again"));
                    }
                    continue;
                }
                List<ObjectNode> outcomes = process.apply(group);
                processed += outcomes.size();
                for (ObjectNode outcome : outcomes) {
                    sink.accept(outcome);
                }
            }
        } catch (IOException e) {
            return new Result(processed, true);
        }
        return new Result(processed, false);
    }

    static Result run(Iterable<JsonNode> inputs, Function<JsonNode, ObjectNode> process, BooleanSupplier stopping,
                      Sink sink) {
        int processed = 0;
        try {
            for (JsonNode input : inputs) {
                if (stopping.getAsBoolean()) {
                    sink.accept(ErrorBodies.body(RefusalCode.UNAVAILABLE,
                            "the service is shutting down; this input was not processed: send it again"));
                    continue;
                }
                ObjectNode outcome = process.apply(input);
                processed++;
                sink.accept(outcome);
            }
        } catch (IOException e) {
            return new Result(processed, true);
        }
        return new Result(processed, false);
    }
}
