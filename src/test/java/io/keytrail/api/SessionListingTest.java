package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.EngineSpringTest;
import io.keytrail.directory.Directory;
import io.keytrail.directory.SessionRowsCalls;

/**
 * Replay's final session lines are read page by page (a store may hold millions of sessions): with more
 * sessions than one page, every session is listed once, in insertion order, and no query loads them all.
 */
@EngineSpringTest
class SessionListingTest {
    @Autowired
    Keytrail keytrail;
    @Autowired
    Directory directory;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SessionRowsCalls calls;

    @Test
    void moreSessionsThanOnePage_areEachListedOnceInInsertionOrder_withoutLoadingAll() throws Exception {
        List<Story> stories = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Story story = new Story();
            ObjectNode roomKey = story.roomKey();
            keytrail.receiveRoomKey(story.sender.userId(), roomKey.get("sender_key").textValue(),
                    roomKey.get("plaintext"), Optional.of(Story.ME));
            stories.add(story);
        }
        long stored = jdbc.queryForObject("select count(*) from kt_session", Long.class);
        calls.clear();
        StringWriter out = new StringWriter();

        ReplayCommand.writeSessions(directory, new ObjectMapper(), out, 2);

        List<String> lines = Arrays.asList(out.toString().split("\n"));
        assertThat(lines).hasSize((int) stored);
        List<String> ours = lines.stream().filter(l -> stories.stream().anyMatch(s -> l.contains(s.room))).toList();
        assertThat(ours).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(ours.get(i)).contains(stories.get(i).room, stories.get(i).sessionId());
        }
        assertThat(calls.of("findAllByOrderByPosition")).isEmpty();
        assertThat(calls.of("findByPositionGreaterThanOrderByPosition")).hasSize((int) (stored / 2 + 1));
    }
}
