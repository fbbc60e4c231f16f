package io.keytrail.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.errors.RefusalCode;

/**
 * The one error shape of every HTTP answer, {@code {"error":{"code","message"}}}, for the places that
 * write a response without Spring MVC's help: the access filter, the error page and Tomcat's own
 * error report valve.
 */
final class ErrorBodies {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ErrorBodies() {
    }

    static ObjectNode body(RefusalCode code, String message) {
        ObjectNode body = MAPPER.createObjectNode();
        body.putObject("error").put("code", code.name()).put("message", message);
        return body;
    }

    static byte[] bytes(RefusalCode code, String message) {
        return body(code, message).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Writes the error with its status, unless the response was already committed. */
    static void write(HttpServletResponse response, int status, RefusalCode code, String message) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        byte[] bytes = bytes(code, message);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        response.flushBuffer();
    }

    /** The code an error status is answered with when no layer chose one: the client's fault or ours. */
    static RefusalCode codeOf(int status) {
        return switch (status) {
            case 401 -> RefusalCode.UNAUTHORIZED;
            case 403 -> RefusalCode.FORBIDDEN;
            case 413 -> RefusalCode.TOO_LARGE;
            case 503 -> RefusalCode.UNAVAILABLE;
            default -> status >= 400 && status < 500 ? RefusalCode.INVALID_INPUT : RefusalCode.INTERNAL_ERROR;
        };
    }
}
