package io.keytrail.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;

/**
 * Reads a request body as bytes (bounded by {@link BodyLimitFilter}), decodes it strictly as UTF-8
 * (invalid bytes are refused, as in a recording, never replaced) and parses it with {@link JsonInput}.
 */
final class RequestBodies {
    private RequestBodies() {
    }

    static JsonNode json(HttpServletRequest request) {
        return parse(text(bytes(request)));
    }

    static byte[] bytes(HttpServletRequest request) {
        try (InputStream in = request.getInputStream()) {
            return in.readAllBytes();
        } catch (BodyLimitFilter.BodyTooLargeException e) {
            throw new RefusalException(RefusalCode.TOO_LARGE, e.getMessage());
        } catch (IOException e) {
            throw RefusalException.invalidInput("the request body could not be read");
        }
    }

    static String text(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw RefusalException.invalidInput("the body is not valid UTF-8");
        }
    }

    static JsonNode parse(String body) {
        try {
            return JsonInput.parse(body);
        } catch (JsonProcessingException e) {
            throw RefusalException.invalidInput("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
