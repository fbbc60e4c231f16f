package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.decrypt.DecryptService;

/** A batch stops when its client is gone, and answers UNAVAILABLE for what it did not begin at shutdown. */
class InputBatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ArrayNode inputs(int count) {
        ArrayNode inputs = JSON.createArrayNode();
        for (int i = 0; i < count; i++) {
            inputs.add(JSON.createObjectNode().put("n", i));
        }
        return inputs;
    }

    private static ObjectNode result(JsonNode input) {
        ObjectNode out = JSON.createObjectNode();
        out.set("result", input);
        return out;
    }

    @Test
    void aClientThatLeaves_stopsTheBatchAtTheNextWrite() {
        List<JsonNode> processed = new ArrayList<>();

        InputBatch.Result result = InputBatch.run(inputs(1000), input -> {
            processed.add(input);
            return result(input);
        }, () -> false, outcome -> {
            if (outcome.at("/result/n").intValue() == 2) {
                throw new IOException("Broken pipe");
            }
        });

        assertThat(result.clientGone()).isTrue();
        assertThat(result.processed()).isEqualTo(3);
        assertThat(processed).hasSize(3);
    }

    @Test
    void atShutdown_theInputInHandFinishes_andTheRestAreAnsweredUnavailableUnprocessed() throws Exception {
        AtomicBoolean stopping = new AtomicBoolean();
        List<ObjectNode> answers = new ArrayList<>();

        InputBatch.Result result = InputBatch.run(inputs(5), input -> {
            if (input.get("n").intValue() == 1) {
                stopping.set(true);
            }
            return result(input);
        }, stopping::get, answers::add);

        assertThat(result.processed()).isEqualTo(2);
        assertThat(result.clientGone()).isFalse();
        assertThat(answers).hasSize(5);
        assertThat(answers.subList(0, 2)).allMatch(a -> a.has("result"));
        assertThat(answers.subList(2, 5)).allMatch(a -> "UNAVAILABLE".equals(a.at("/error/code").textValue()));
    }

    @Test
    void aBatchThatEndsNormally_processesEveryInputInOrder() {
        List<ObjectNode> answers = new ArrayList<>();
        InputBatch.Result result = InputBatch.run(inputs(4), InputBatchTest::result, () -> false, answers::add);
        assertThat(result).isEqualTo(new InputBatch.Result(4, false));
        assertThat(answers).extracting(a -> a.at("/result/n").intValue()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void groupsRunTogether_answerEachInputInOrder_andAtShutdownAnswerEveryInputOfAGroupNotBegun() throws Exception {
        AtomicBoolean stopping = new AtomicBoolean();
        List<ObjectNode> answers = new ArrayList<>();
        List<List<JsonNode>> groups = List.of(List.of(inputs(3).get(0), inputs(3).get(1)), List.of(inputs(3).get(2)),
                List.of(inputs(2).get(0), inputs(2).get(1)));

        InputBatch.Result result = InputBatch.runGroups(groups, group -> {
            if (group.size() == 1) {
                stopping.set(true);
            }
            return group.stream().map(InputBatchTest::result).toList();
        }, stopping::get, answers::add);

        assertThat(result).isEqualTo(new InputBatch.Result(3, false));
        assertThat(answers).hasSize(5);
        assertThat(answers.subList(0, 3)).extracting(a -> a.at("/result/n").intValue()).containsExactly(0, 1, 2);
        assertThat(answers.subList(3, 5)).allMatch(a -> "UNAVAILABLE".equals(a.at("/error/code").textValue()));
    }

    @Test
    void roomKeysAreGroupedInRunsOfAtMostTheLimit_otherInputsAlone() {
        List<JsonNode> inputs = new ArrayList<>();
        for (int i = 0; i < InputProcessor.MAX_ROOM_KEYS_TOGETHER + 2; i++) {
            inputs.add(JSON.createObjectNode().put("type", "room_key"));
        }
        inputs.add(JSON.createObjectNode().put("type", "decrypt"));
        inputs.add(JSON.createObjectNode().put("type", "room_key"));

        List<List<JsonNode>> groups = InputProcessor.groups(inputs);

        assertThat(groups).extracting(List::size).containsExactly(InputProcessor.MAX_ROOM_KEYS_TOGETHER, 2, 1, 1);
    }

    @Test
    void decryptsAreGroupedInRunsOfAtMostTheLimit_neverMixedWithRoomKeys() {
        List<JsonNode> inputs = new ArrayList<>();
        for (int i = 0; i < DecryptService.MAX_TOGETHER + 3; i++) {
            inputs.add(JSON.createObjectNode().put("type", "decrypt"));
        }
        inputs.add(JSON.createObjectNode().put("type", "room_key"));
        inputs.add(JSON.createObjectNode().put("type", "room_key"));
        inputs.add(JSON.createObjectNode().put("type", "decrypt"));
        inputs.add(JSON.createObjectNode().put("type", "decrypt"));
        inputs.add(JSON.createObjectNode().put("type", "own_device"));
        inputs.add(JSON.createObjectNode().put("type", "decrypt"));

        List<List<JsonNode>> groups = InputProcessor.groups(inputs);

        assertThat(groups).extracting(List::size).containsExactly(DecryptService.MAX_TOGETHER, 3, 2, 2, 1, 1);
        assertThat(groups.get(2)).allMatch(input -> "room_key".equals(input.path("type").textValue()));
    }
}
